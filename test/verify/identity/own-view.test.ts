/**
 * Own-member-only views: what `validate`, `requireClaims` and issuer resolvers are given.
 */
import { describe, expect, it } from 'vitest';
import { authView, ownView } from '../../../src/verify/identity/own-view.js';
import type { AuthInfo } from '../../../src/index.js';

describe('ownView', () => {
  it('copies own members onto frozen objects without prototypes, keeping a __proto__ member as data', () => {
    const source = JSON.parse('{"a":{"b":[1,{"c":2}]},"__proto__":{"admin":true}}') as Record<string, unknown>;
    const view = ownView(source);
    expect(Object.getPrototypeOf(view)).toBeNull();
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.hasOwn(view, '__proto__')).toBe(true);
    expect((view as { admin?: unknown }).admin).toBeUndefined();
    const nested = (view.a as { b: unknown[] }).b;
    expect(Array.isArray(nested)).toBe(true);
    expect(Object.isFrozen(nested)).toBe(true);
    expect(Object.getPrototypeOf(nested[1])).toBeNull();
    expect(view).not.toBe(source);
    expect(JSON.stringify(view)).toBe(JSON.stringify(source));
  });

  it('ignores members inherited from a polluted Object.prototype', () => {
    const polluted = Object.prototype as { role?: string };
    polluted.role = 'admin';
    try {
      expect((ownView({ sub: 'x' }) as { role?: string }).role).toBeUndefined();
    } finally {
      delete polluted.role;
    }
  });

  it('copies a payload nested 20 000 levels deep without overflowing the stack', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 20_000; i++) deep = (deep.x = {}) as Record<string, unknown>;
    expect(() => ownView(root)).not.toThrow();
  });

  it('copies shared and cyclic references once', () => {
    const shared = { v: 1 };
    const cyclic: Record<string, unknown> = { a: shared, b: shared };
    cyclic.self = cyclic;
    const view = ownView(cyclic);
    expect(view.a).toBe(view.b);
    expect(view.self).toBe(view);
  });

  it('gives each identity one view, with a copy of its expiry date', () => {
    const auth = Object.freeze({ token: 't', scopes: ['a'], roles: [], expiresAt: new Date(5000), payload: { sub: 's' } }) as unknown as AuthInfo;
    const view = authView(auth);
    expect(authView(auth)).toBe(view);
    expect(view.expiresAt.getTime()).toBe(5000);
    expect(view.expiresAt).not.toBe(auth.expiresAt);
    expect(Object.getPrototypeOf(view.payload)).toBeNull();
  });
});
