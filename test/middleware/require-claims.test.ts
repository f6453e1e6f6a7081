/**
 * `requireClaims(rule)`, a per-route authorization rule over any claim, on every framework: 403
 * `insufficient_scope` (reason `claim_rule_failed`, no `scope` attribute) unless the rule returns exactly
 * `true`; a throwing rule is a 403, never a 500; the rule sees a frozen, own-member-only view; without an
 * identity the guard answers 401 like every guard.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAuthError, requireClaims, type AuthInfo } from '../../src/index.js';
import { requireClaims as fastifyRequireClaims } from '../../src/adapters/fastify/index.js';
import { ADAPTERS } from '../helpers/adapters.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'api://receipts';
const REFUSED =
  'Bearer realm="api", error="insufficient_scope", error_description="The access token does not meet a claim requirement of this resource"';

let key: TestKey;
beforeAll(async () => {
  key = await createTestKey('ES256');
});

const bearer = async (claims: Record<string, unknown> = {}): Promise<string> =>
  `Bearer ${await signToken(key, { iss: ISSUER, aud: AUDIENCE, client_id: 'payments', acr: 'mfa', ...claims })}`;

/** True when `auth` is a frozen view without prototypes that cannot be changed. */
function isFrozenView(auth: AuthInfo): boolean {
  try {
    (auth.payload as { acr?: unknown }).acr = 'none';
  } catch {
    // expected: frozen
  }
  return Object.isFrozen(auth) && Object.getPrototypeOf(auth.payload) === null && auth.payload.acr === 'mfa';
}

describe.each(ADAPTERS)('$name', ({ build, kit }) => {
  let app: Server;
  const reasons: string[] = [];
  beforeAll(async () => {
    const auth = kit.authenticate({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] });
    app = await build(
      [
        { path: '/payouts', chain: [auth, kit.requireClaims((a) => a.payload.acr === 'mfa')] },
        { path: '/truthy', chain: [auth, kit.requireClaims(() => 1 as unknown as boolean)] },
        {
          path: '/throws',
          chain: [
            auth,
            kit.requireClaims(() => {
              throw new Error('lookup failed');
            }),
          ],
        },
        { path: '/view', chain: [auth, kit.requireClaims(isFrozenView)] },
        { path: '/inherited', chain: [auth, kit.requireClaims((a) => (a.payload as { isAdmin?: unknown }).isAdmin === true)] },
        { path: '/alone', chain: [kit.requireClaims(() => true, { realm: 'receipts' })] },
      ],
      { kind: 'default', record: (error) => reasons.push(isAuthError(error) ? error.reason : 'fault') },
    );
  });
  afterAll(async () => new Promise<void>((resolve) => app.close(() => resolve())));
  beforeEach(() => {
    reasons.length = 0;
  });

  it('answers 200 when the rule returns true', async () => {
    const res = await request(app).get('/payouts').set('Authorization', await bearer());
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('payments');
  });

  it('answers 403 insufficient_scope without a scope attribute when the rule returns false', async () => {
    const res = await request(app).get('/payouts').set('Authorization', await bearer({ acr: 'pwd' }));
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(REFUSED);
    expect(reasons).toEqual(['claim_rule_failed']);
  });

  it('answers 403 when the rule returns a truthy value other than true', async () => {
    const res = await request(app).get('/truthy').set('Authorization', await bearer());
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(REFUSED);
  });

  it('answers 403, never 500, when the rule throws', async () => {
    const res = await request(app).get('/throws').set('Authorization', await bearer());
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(REFUSED);
    expect(reasons).toEqual(['claim_rule_failed']);
    expect(res.text).not.toContain('lookup failed');
  });

  it('gives the rule a frozen view without prototypes', async () => {
    expect((await request(app).get('/view').set('Authorization', await bearer())).status).toBe(200);
  });

  it('never lets a member inherited from a polluted Object.prototype satisfy the rule', async () => {
    const polluted = Object.prototype as { isAdmin?: boolean };
    polluted.isAdmin = true;
    try {
      const res = await request(app).get('/inherited').set('Authorization', await bearer());
      expect(res.status).toBe(403);
    } finally {
      delete polluted.isAdmin;
    }
    expect((await request(app).get('/inherited').set('Authorization', await bearer({ isAdmin: true }))).status).toBe(200);
  });

  it('answers 401 in its realm without an identity from authentication', async () => {
    const res = await request(app).get('/alone').set('Authorization', await bearer());
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="receipts"');
    expect(reasons).toEqual(['authentication_required']);
  });
});

describe('requireClaims() arguments', () => {
  it.each([
    ['a string', 'acr'],
    ['an object', { acr: 'mfa' }],
    ['undefined', undefined],
  ])('throws a TypeError naming the rule when it is %s', (_name, rule) => {
    expect(() => requireClaims(rule as never)).toThrow('bearer-guard: requireClaims() argument "rule" must be a function (auth) => boolean');
    expect(() => fastifyRequireClaims(rule as never)).toThrow(TypeError);
  });

  it('throws a TypeError for an unknown option', () => {
    expect(() => requireClaims(() => true, { match: 'any' } as never)).toThrow('bearer-guard: requireClaims() option "match" is not a known option');
  });
});
