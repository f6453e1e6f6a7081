/**
 * A guard reached without authenticate() before it fails closed (401) and says why once, as a process
 * warning naming the route and the fix; a request let through by optional authentication does not count.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate, authErrorHandler, requireRoles, requireScopes } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(async () => {
  await issuer.close();
});

describe.each(FRAMEWORKS)('a guard without authenticate() on $name', ({ build }) => {
  let server: Server;
  let warn: { mock: { calls: unknown[][] }; mockRestore(): void };
  beforeAll(() => {
    server = build(
      [
        { path: '/forgotten', chain: [requireScopes('receipts.read')] },
        { path: '/optional', chain: [authenticate(issuer.verifierOptions(), { optional: true }), requireRoles('Admin')] },
      ],
      authErrorHandler(),
    );
  });
  afterAll(() => {
    server.close();
  });

  it('answers 401 every time and warns once, naming the guard, the route and the fix', async () => {
    warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    for (let i = 0; i < 3; i++) {
      const response = await request(server).get('/forgotten?x=1');
      expect(response.status).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    }
    const calls = warn.mock.calls.filter((call) => (call[1] as { code?: string } | undefined)?.code === 'BEARER_GUARD_NO_AUTHENTICATE');
    expect(calls).toHaveLength(1);
    expect(String(calls[0]![0])).toMatch(/^requireScopes\(\) on GET \/forgotten ran without an identity from authenticate\(\).*Mount authenticate\(\) before the guard/);
    warn.mockRestore();
  });

  it('does not warn for a request optional authentication let through without credentials', async () => {
    warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const response = await request(server).get('/optional');
    expect(response.status).toBe(401);
    expect(warn.mock.calls.filter((call) => (call[1] as { code?: string } | undefined)?.code === 'BEARER_GUARD_NO_AUTHENTICATE')).toEqual([]);
    warn.mockRestore();
  });
});
