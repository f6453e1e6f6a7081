/**
 * `createVerifier([optionsA, optionsB])`: several issuers, each with its own rules, against real issuer
 * servers (discovery and JWK Sets over HTTP). The token's `iss` (or a `{tenantid}` template's shape)
 * selects exactly one option set before anything else is judged; a token of no configured issuer is
 * refused without any fetch.
 */
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError, type VerifierOptions } from '../../src/index.js';
import { ADAPTERS } from '../helpers/adapters.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

let a: IssuerServer;
let b: IssuerServer;
let tenants: IssuerServer;
let rsa: TestKey;
let ec: TestKey;
let tenantKey: TestKey;
beforeAll(async () => {
  [rsa, ec, tenantKey] = await Promise.all([createTestKey('RS256'), createTestKey('ES256'), createTestKey('ES256')]);
  [a, b, tenants] = await Promise.all([
    startIssuerServer({ keys: [rsa.jwk] }),
    startIssuerServer({ keys: [ec.jwk] }),
    startIssuerServer({ keys: [tenantKey.jwk] }),
  ]);
});
afterAll(async () => Promise.all([a, b, tenants].map((server) => server.close())));
beforeEach(() => [a, b, tenants].forEach((server) => server.resetHits()));

const setA = (): VerifierOptions => ({ issuer: a.url, audience: 'api://a', algorithms: ['RS256'] });
const setB = (): VerifierOptions => ({
  issuer: b.url,
  audience: 'api://b',
  claims: { scopes: ['permissions'] },
  requiredClaims: { gty: 'client-credentials' },
});
const setTenants = (): VerifierOptions => ({ issuer: `${tenants.url}/{tenantid}/v2.0`, audience: 'api://t', jwksUri: tenants.jwksUri });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
}

const tokenA = (claims: Record<string, unknown> = {}, key = rsa) => signToken(key, { iss: a.url, aud: 'api://a', ...claims });
const tokenB = (claims: Record<string, unknown> = {}) =>
  signToken(ec, { iss: b.url, aud: 'api://b', gty: 'client-credentials', permissions: ['receipts:read'], ...claims });

describe('several option sets', () => {
  it("verifies each issuer's tokens with its own set: audience, claims, claim locations", async () => {
    const verifier = createVerifier([setA(), setB()]);
    expect(await outcome(verifier.verify(await tokenA()))).toBe('accepted');
    const auth = await verifier.verify(await tokenB());
    expect(auth.scopes).toEqual(['receipts:read']);
    expect(auth.issuer).toBe(b.url);
  });

  it("never checks a token against another set's rules", async () => {
    const verifier = createVerifier([setA(), setB()]);
    expect(await outcome(verifier.verify(await tokenA({ aud: 'api://b' })))).toBe('401 audience_mismatch');
    expect(await outcome(verifier.verify(await tokenB({ aud: 'api://a' })))).toBe('401 audience_mismatch');
    expect(await outcome(verifier.verify(await tokenB({ gty: 'password' })))).toBe('401 claim_invalid');
    // A's allow-list is RS256 only; B's is every algorithm: the iss decides which one applies.
    expect(await outcome(verifier.verify(await tokenA({}, ec)))).toBe('401 algorithm_not_allowed');
    expect(b.jwksHits()).toBe(0);
  });

  it('refuses a token of no configured issuer as issuer_mismatch without fetching anything', async () => {
    const verifier = createVerifier([setA(), setB()]);
    const stranger = await signToken(ec, { iss: 'https://evil.example/', aud: 'api://b' });
    expect(await outcome(verifier.verify(stranger))).toBe('401 issuer_mismatch');
    expect(await outcome(verifier.verify('not-a-jwt'))).toBe('401 token_malformed');
    expect(await outcome(verifier.verify('eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn'))).toBe('401 token_encrypted');
    expect(a.jwksHits() + a.discoveryHits() + b.jwksHits() + b.discoveryHits()).toBe(0);
  });

  it('selects a {tenantid} template by the shape of iss; the selected set then checks the tenant', async () => {
    const verifier = createVerifier([setA(), setTenants()]);
    const good = await signToken(tenantKey, { iss: `${tenants.url}/t1/v2.0`, tid: 't1', aud: 'api://t' });
    const mismatch = await signToken(tenantKey, { iss: `${tenants.url}/t1/v2.0`, tid: 't2', aud: 'api://t' });
    expect(await outcome(verifier.verify(good))).toBe('accepted');
    expect(await outcome(verifier.verify(mismatch))).toBe('401 tenant_mismatch');
  });

  it('answers a token already verified from its own set', async () => {
    const verifier = createVerifier([setA(), setB()]);
    const token = await tokenB();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await verifier.verify(token));
    expect(results[3]).toBe(results[2]);
    expect(results[3]!.issuer).toBe(b.url);
  });

  it('loads every issuer in ready() and reports each in status()', async () => {
    const verifier = createVerifier([setA(), setB()]);
    await verifier.ready();
    const status = verifier.status();
    expect(status.ok).toBe(true);
    expect(status.issuers.map((entry) => entry.issuer)).toEqual([a.url, b.url]);
  });
});

describe('several option sets: configuration errors', () => {
  it('names the option set and the option of an invalid set', () => {
    expect(() => createVerifier([setA(), { issuer: b.url } as VerifierOptions])).toThrow(
      'bearer-guard: option "[1].audience" is required',
    );
  });

  it('refuses sets with different realms', () => {
    expect(() => createVerifier([setA(), { ...setB(), realm: 'other' }])).toThrow(
      'bearer-guard: option "[1].realm" must be the same in every option set',
    );
  });

  it.each<[string, Partial<VerifierOptions>, string]>([
    ['dpop', { dpop: {} }, 'must be set in every option set or in none, and required in all or none'],
    ['mtls', { mtls: {} }, 'must be set in every option set or in none, and required in all or none'],
    ['resource', { resource: 'https://api.example.com/mcp' }, 'must be the same in every option set'],
  ])('refuses sets that differ in %s (the challenges and credential schemes of one route must agree)', (name, extra, expectation) => {
    expect(() => createVerifier([setA(), { ...setB(), ...extra }])).toThrow(`bearer-guard: option "[1].${name}" ${expectation}`);
    expect(() => createVerifier([{ ...setA(), ...extra }, { ...setB(), ...extra }])).not.toThrow();
  });

  it('refuses an issuer named by two sets', () => {
    expect(() => createVerifier([setA(), { ...setB(), issuer: [b.url, a.url] }])).toThrow(/option "\[1\]\.issuer" names ".*", which an earlier option set names/);
  });

  it('refuses an issuer resolver in a list', () => {
    expect(() => createVerifier([setA(), { ...setB(), issuer: () => b.url }])).toThrow(
      'bearer-guard: option "[1].issuer" must be issuer URLs: an issuer resolver cannot be part of a list of option sets',
    );
  });

  it('refuses an empty list, naming issuer and audience', () => {
    expect(() => createVerifier([])).toThrow(/"issuer" and "audience"/);
  });
});

describe.each(ADAPTERS)('several option sets over HTTP, $name', ({ build, kit }) => {
  it('authenticates the tokens of both issuers and refuses the rest', async () => {
    const app = await build([{ path: '/r', chain: [kit.authenticate([setA(), setB()])] }], { kind: 'json' });
    try {
      expect((await request(app).get('/r').set('Authorization', `Bearer ${await tokenA()}`)).status).toBe(200);
      const res = await request(app).get('/r').set('Authorization', `Bearer ${await tokenB()}`);
      expect(res.body.scopes).toEqual(['receipts:read']);
      const refused = await request(app).get('/r').set('Authorization', `Bearer ${await tokenA({ aud: 'api://b' })}`);
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted"',
      );
    } finally {
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });
});
