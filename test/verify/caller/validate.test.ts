/**
 * The `validate` stage: a rule every verified token must pass, run where the caller rules run (after the
 * signature, the claims and the binding). Exactly `true` accepts; anything else, a throw or a rejection
 * refuses as 401 `invalid_token`, reason `claim_invalid`, never a 500. The rule sees frozen, own-member-only
 * views. Keys are configured (`publicKeys`), so no network is involved; the last block runs over HTTP.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, onVerifyEvent, type JsonObject, type ValidateRule, type VerifyEvent } from '../../../src/index.js';
import { ADAPTERS } from '../../helpers/adapters.js';
import { createTestKey, rawToken, signToken, type TestKey } from '../../helpers/keys.js';

const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'api://receipts';
const INVALID_CLAIM = 'Bearer realm="api", error="invalid_token", error_description="The access token has an invalid claim"';

let key: TestKey;
let other: TestKey;
beforeAll(async () => {
  [key, other] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
});

const mint = (claims: Record<string, unknown> = {}, signer = key, expiresIn = 300): Promise<string> =>
  signToken(signer, { iss: ISSUER, aud: AUDIENCE, client_id: 'payments', acr: 'mfa', ...claims }, { expiresIn });

const verifierWith = (validate: ValidateRule, cache = false) =>
  createVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk], validate, ...(cache ? {} : { cache: false }) });

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
  return 'accepted';
}

describe('validate', () => {
  it('accepts a token when the rule returns true, or a promise of true', async () => {
    await expect(verifierWith((payload) => payload.acr === 'mfa').verify(await mint())).resolves.toMatchObject({ clientId: 'payments' });
    await expect(verifierWith(async (payload) => payload.acr === 'mfa').verify(await mint())).resolves.toMatchObject({ clientId: 'payments' });
  });

  it.each<[string, ValidateRule]>([
    ['false', () => false],
    ['a promise of false', async () => false],
    ['1', () => 1 as unknown as boolean],
    ['"true"', () => 'true' as unknown as boolean],
    ['undefined', () => undefined as unknown as boolean],
    ['an object', () => ({}) as unknown as boolean],
    ['a promise of "yes"', async () => 'yes' as unknown as boolean],
  ])('refuses a token as 401 claim_invalid when the rule answers %s', async (_name, rule) => {
    expect(await reasonOf(verifierWith(rule).verify(await mint()))).toBe('401 claim_invalid');
  });

  it.each<[string, ValidateRule]>([
    ['throws an Error', () => {
      throw new Error('tenant directory lookup failed');
    }],
    ['throws a string', () => {
      throw 'nope';
    }],
    ['rejects', () => Promise.reject(new Error('down'))],
    ['returns a thenable whose then throws', () => ({ then: () => { throw new Error('bad thenable'); } }) as unknown as Promise<boolean>],
  ])('refuses a token as 401 claim_invalid, never a 500, when the rule %s', async (_name, rule) => {
    expect(await reasonOf(verifierWith(rule).verify(await mint()))).toBe('401 claim_invalid');
  });

  it('publishes the refusal as decided at the caller stage', async () => {
    const events: VerifyEvent[] = [];
    const stop = onVerifyEvent((event) => events.push(event));
    try {
      await reasonOf(verifierWith(() => false).verify(await mint()));
    } finally {
      stop();
    }
    expect(events).toEqual([{ type: 'rejected', stage: 'caller', status: 401, reason: 'claim_invalid' }]);
  });

  it('runs only for tokens that passed the signature and the claims', async () => {
    const rule = vi.fn(() => true);
    const verifier = verifierWith(rule);
    expect(await reasonOf(verifier.verify(await mint({}, other)))).toBe('401 key_not_found');
    const forged = await mint({}, key);
    const [header, , signature] = forged.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ iss: ISSUER, aud: AUDIENCE, exp: 4102444800 })).toString('base64url')}.${signature}`;
    expect(await reasonOf(verifier.verify(tampered))).toBe('401 signature_invalid');
    expect(await reasonOf(verifier.verify(await mint({}, key, -3600)))).toBe('401 token_expired');
    expect(await reasonOf(verifier.verify(await mint({ aud: 'api://other' })))).toBe('401 audience_mismatch');
    expect(await reasonOf(verifier.verify(rawToken({ alg: 'none' }, { iss: ISSUER, aud: AUDIENCE })))).toBe('401 algorithm_not_allowed');
    expect(rule).not.toHaveBeenCalled();
    await verifier.verify(await mint());
    expect(rule).toHaveBeenCalledTimes(1);
  });

  it('gives the rule frozen views without prototypes: no inherited member, no way to change the identity', async () => {
    const seen: { payload?: JsonObject; header?: JsonObject; threw?: unknown } = {};
    const verifier = verifierWith((payload, header) => {
      seen.payload = payload as JsonObject;
      seen.header = header as JsonObject;
      try {
        (payload as { acr?: unknown }).acr = 'none';
      } catch (error) {
        seen.threw = error;
      }
      return true;
    });
    const polluted = Object.prototype as { isAdmin?: boolean };
    polluted.isAdmin = true;
    try {
      const auth = await verifier.verify(await mint({ nested: { roles: ['a'] } }));
      expect(seen.threw).toBeInstanceOf(TypeError);
      expect(auth.payload.acr).toBe('mfa');
      expect(Object.getPrototypeOf(seen.payload)).toBeNull();
      expect(Object.getPrototypeOf(seen.payload!.nested)).toBeNull();
      expect(Object.isFrozen(seen.payload!.nested)).toBe(true);
      expect(Object.isFrozen((seen.payload!.nested as { roles: string[] }).roles)).toBe(true);
      expect((seen.payload as { isAdmin?: unknown }).isAdmin).toBeUndefined();
      expect(seen.header).toMatchObject({ alg: 'ES256', kid: key.kid });
      expect(Object.getPrototypeOf(seen.header)).toBeNull();
    } finally {
      delete polluted.isAdmin;
    }
  });

  it('judges a token when it is verified, not when the verified-token cache answers it', async () => {
    const rule = vi.fn(() => true);
    const verifier = verifierWith(rule, true);
    const token = await mint();
    for (let i = 0; i < 4; i++) await verifier.verify(token);
    const judged = rule.mock.calls.length;
    await verifier.verify(token);
    expect(rule).toHaveBeenCalledTimes(judged);
    expect(judged).toBeLessThan(4);
  });

  it('runs on every verification with cache: false', async () => {
    const rule = vi.fn(() => true);
    const verifier = verifierWith(rule);
    const token = await mint();
    for (let i = 0; i < 4; i++) await verifier.verify(token);
    expect(rule).toHaveBeenCalledTimes(4);
  });

  it('does not cache a token the rule refused', async () => {
    let allow = false;
    const verifier = verifierWith(async () => allow, true);
    const token = await mint();
    for (let i = 0; i < 3; i++) expect(await reasonOf(verifier.verify(token))).toBe('401 claim_invalid');
    allow = true;
    expect(await reasonOf(verifier.verify(token))).toBe('accepted');
  });

  it('throws a TypeError naming validate when it is not a function', () => {
    expect(() => createVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk], validate: true as never })).toThrow(
      /option "validate" must be a function/,
    );
  });
});

describe.each(ADAPTERS)('validate over HTTP, $name', ({ build, kit }) => {
  const reasons: string[] = [];
  let app: import('node:http').Server;
  beforeAll(async () => {
    const base = { issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] };
    app = await build(
      [
        { path: '/mfa', chain: [kit.authenticate({ ...base, validate: (payload) => payload.acr === 'mfa' })] },
        { path: '/broken', chain: [kit.authenticate({ ...base, validate: () => Promise.reject(new Error('down')) })] },
      ],
      { kind: 'default', record: (error) => reasons.push(isAuthError(error) ? error.reason : 'fault') },
    );
  });
  afterAll(async () => new Promise<void>((resolve) => app.close(() => resolve())));

  it('answers 200 to a token the rule accepts and 401 claim_invalid to one it refuses', async () => {
    reasons.length = 0;
    expect((await request(app).get('/mfa').set('Authorization', `Bearer ${await mint()}`)).status).toBe(200);
    const res = await request(app).get('/mfa').set('Authorization', `Bearer ${await mint({ acr: 'pwd' })}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_CLAIM);
    expect(reasons).toEqual(['claim_invalid']);
  });

  it('answers 401 claim_invalid, not 500, when the rule rejects', async () => {
    reasons.length = 0;
    const res = await request(app).get('/broken').set('Authorization', `Bearer ${await mint()}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(INVALID_CLAIM);
    expect(reasons).toEqual(['claim_invalid']);
  });
});
