/**
 * Catalogue row CL-13, the other half: `JSON.parse` makes a payload's `__proto__` an own member, so a token
 * cannot pollute a prototype by itself; but another flaw of the application (a vulnerable deep merge…) may
 * have polluted `Object.prototype` already. Claims are then still read from own members only, so inherited
 * `roles`, `scope`, `scp` and `permissions` grant nothing. The prototype is polluted for one test at a time
 * and restored whatever happens.
 */
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { authenticate, requireRoles, requireScopes, type AuthInfo } from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  goodClaims,
  nowSeconds,
  signJson,
  signToken,
  useSecurityIssuer,
  type KeyRing,
} from './support.js';

/** What a polluted prototype offers every object: the grants each protected route requires. */
const POLLUTION: Readonly<Record<string, unknown>> = {
  roles: ['admin'],
  scope: 'read',
  scp: ['read'],
  permissions: ['read'],
};

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));

/** Runs `body` with `Object.prototype` polluted by plain assignment (as a vulnerable merge does), then restores it exactly. */
async function withPollutedPrototype<T>(body: () => Promise<T>, pollution: Readonly<Record<string, unknown>> = POLLUTION): Promise<T> {
  const proto = Object.prototype as Record<string, unknown>;
  const saved = Object.keys(pollution).map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)] as const);
  try {
    for (const [name, value] of Object.entries(pollution)) proto[name] = value;
    return await body();
  } finally {
    for (const [name, descriptor] of saved) {
      if (descriptor === undefined) delete proto[name];
      else Object.defineProperty(proto, name, descriptor);
    }
  }
}

describe.each(FRAMEWORKS)('CL-13 polluted Object.prototype on $name', ({ build }) => {
  it('grants nothing from inherited roles, scope, scp or permissions: 403 on every guard, empty roles and scopes', async () => {
    let seen: AuthInfo | undefined;
    const options = { issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri };
    const guard = authenticate(options);
    const auth0 = authenticate({ ...options, profile: 'auth0' });
    const app = build([
      { path: '/read', chain: [guard, requireScopes('read')] },
      { path: '/admin', chain: [guard, requireRoles('admin')] },
      { path: '/auth0-read', chain: [auth0, requireScopes('read')] },
      {
        path: '/peek',
        chain: [
          guard,
          (req, _res, next) => {
            seen = req.auth;
            next();
          },
        ],
      },
    ]);
    const token = await signToken(ring.rs256, goodClaims(issuer));
    const statuses = await withPollutedPrototype(async () => {
      expect(({} as { roles?: unknown }).roles).toEqual(['admin']); // the pollution is in place
      const answers: Record<string, number> = {};
      for (const path of ['/read', '/admin', '/auth0-read', '/peek']) {
        answers[path] = (await request(app).get(path).set('Authorization', `Bearer ${token}`)).status;
      }
      return answers;
    });
    expect(statuses).toEqual({ '/read': 403, '/admin': 403, '/auth0-read': 403, '/peek': 200 });
    expect(seen).toBeDefined();
    expect([...seen!.roles]).toEqual([]);
    expect([...seen!.scopes]).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('roles');
    expect(Object.prototype).not.toHaveProperty('scope');
  });

  it('never takes a missing exp, aud, iss, tid or alg from the prototype: a token lacking one is refused', async () => {
    const options = { issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri };
    const app = build([{ path: '/x', chain: [authenticate(options)] }]);
    const claims = goodClaims(issuer);
    const without = (name: string): Record<string, unknown> => {
      const copy = { ...claims };
      delete copy[name];
      return copy;
    };
    const tokens: Record<string, string> = {
      'no exp': signJson({ alg: 'RS256', kid: ring.rs256.kid }, without('exp'), ring.rs256),
      'no aud': signJson({ alg: 'RS256', kid: ring.rs256.kid }, without('aud'), ring.rs256),
      'no iss': signJson({ alg: 'RS256', kid: ring.rs256.kid }, without('iss'), ring.rs256),
      'no alg': signJson({ kid: ring.rs256.kid }, claims, ring.rs256, 'RS256'),
    };
    const pollution = { exp: nowSeconds() + 3600, aud: AUDIENCE, iss: issuer.url, tid: 'tenant', alg: 'RS256' };
    const statuses = await withPollutedPrototype(async () => {
      const answers: Record<string, number> = {};
      for (const [name, token] of Object.entries(tokens)) {
        answers[name] = (await request(app).get('/x').set('Authorization', `Bearer ${token}`)).status;
      }
      return answers;
    }, pollution);
    expect(statuses).toEqual({ 'no exp': 401, 'no aud': 401, 'no iss': 401, 'no alg': 401 });
    for (const name of Object.keys(pollution)) expect(Object.prototype).not.toHaveProperty(name);
  });
});
