/**
 * An issuer resolver (`issuer: (request, claims) => issuers`): per request, it answers which issuers are
 * allowed; the token is then verified as usual against that issuer's discovered keys (real issuer servers
 * over HTTP). Its answer only narrows what is accepted (a cached token is re-judged), is bounded and
 * validated, and a resolver's own failure is the API's fault (500), or the answer of the `AuthError` it throws.
 */
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createVerifier,
  isAuthError,
  KeysUnavailableError,
  onVerifyEvent,
  type IssuerResolver,
  type VerifyEvent,
  type JsonObject,
  type ResolverRequest,
  type VerifierOptions,
} from '../../../src/index.js';
import { BAD_RESOLVER_ANSWER, MAX_RESOLVER_SOURCES } from '../../../src/verify/issuer/resolve-issuers.js';
import { ADAPTERS } from '../../helpers/adapters.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, rawToken, signToken, type TestKey } from '../../helpers/keys.js';

const AUDIENCE = 'api://receipts';

let brandA: IssuerServer;
let brandB: IssuerServer;
let keyA: TestKey;
let keyB: TestKey;
let domains: Record<string, string>;
beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
  [brandA, brandB] = await Promise.all([startIssuerServer({ keys: [keyA.jwk] }), startIssuerServer({ keys: [keyB.jwk] })]);
  domains = { 'api.brand-a.example': brandA.url, 'api.brand-b.example': brandB.url };
});
afterAll(async () => Promise.all([brandA.close(), brandB.close()]));
beforeEach(() => [brandA, brandB].forEach((server) => server.resetHits()));

/** The issuer of the request's host, from the API's own table. */
const byHost: IssuerResolver = (req) => {
  const host = req.headers.host;
  return typeof host === 'string' && Object.hasOwn(domains, host) ? [domains[host]!] : [];
};

const tokenOf = (server: IssuerServer, key: TestKey, claims: Record<string, unknown> = {}) =>
  signToken(key, { iss: server.url, aud: AUDIENCE, client_id: 'payments', ...claims });

const at = (host: string) => ({ method: 'GET', url: '/receipts', headers: { host } });

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (!isAuthError(error)) return `fault: ${(error as Error).message}`;
    return `${error.status} ${error.reason}`;
  }
}

const withResolver = (issuer: IssuerResolver, extra: Partial<VerifierOptions> = {}) =>
  createVerifier({ issuer, audience: AUDIENCE, ...extra });

describe('an issuer resolver', () => {
  it("verifies a token of the issuer it allows for the request, with that issuer's discovered keys", async () => {
    const verifier = withResolver(byHost);
    const auth = await verifier.verify(await tokenOf(brandA, keyA), at('api.brand-a.example'));
    expect(auth.issuer).toBe(brandA.url);
    expect(brandA.jwksHits()).toBe(1);
  });

  it('refuses a token of an issuer it does not allow for the request, fetching nothing for it', async () => {
    const verifier = withResolver(byHost);
    expect(await outcome(verifier.verify(await tokenOf(brandB, keyB), at('api.brand-a.example')))).toBe('401 issuer_mismatch');
    expect(await outcome(verifier.verify(await tokenOf(brandB, keyB), at('unknown.example')))).toBe('401 issuer_mismatch');
    expect(brandB.jwksHits() + brandB.discoveryHits()).toBe(0);
  });

  it('re-judges a cached token against every new answer', async () => {
    const verifier = withResolver(byHost);
    const token = await tokenOf(brandB, keyB);
    for (let i = 0; i < 4; i++) expect(await outcome(verifier.verify(token, at('api.brand-b.example')))).toBe('accepted');
    expect(await outcome(verifier.verify(token, at('api.brand-a.example')))).toBe('401 issuer_mismatch');
  });

  it('gives the resolver a frozen request view and frozen, own-member-only claims', async () => {
    let seen: { request?: ResolverRequest; claims?: JsonObject } = {};
    const verifier = withResolver((req, claims) => {
      seen = { request: req, claims: claims as JsonObject };
      return brandA.url;
    });
    await verifier.verify(await tokenOf(brandA, keyA, { tenant: { id: 't1' } }), at('api.brand-a.example'));
    expect(seen.request).toEqual({ method: 'GET', url: '/receipts', headers: { host: 'api.brand-a.example' } });
    expect(Object.isFrozen(seen.request)).toBe(true);
    expect(Object.isFrozen(seen.request!.headers)).toBe(true);
    expect(seen.claims!.iss).toBe(brandA.url);
    expect(Object.getPrototypeOf(seen.claims)).toBeNull();
    expect(Object.isFrozen(seen.claims!.tenant)).toBe(true);
  });

  it('is called for a verification without a request, with an empty view', async () => {
    const resolver = vi.fn<IssuerResolver>(() => brandA.url);
    await withResolver(resolver).verify(await tokenOf(brandA, keyA));
    expect(resolver.mock.calls[0]![0]).toEqual({ method: undefined, url: undefined, headers: {} });
  });

  it('may answer asynchronously', async () => {
    const verifier = withResolver(async (req, claims) => byHost(req, claims));
    expect(await outcome(verifier.verify(await tokenOf(brandA, keyA), at('api.brand-a.example')))).toBe('accepted');
  });

  it('is not called for a token that cannot be decoded or names no issuer', async () => {
    const resolver = vi.fn(byHost);
    const verifier = withResolver(resolver);
    expect(await outcome(verifier.verify('not-a-jwt', at('api.brand-a.example')))).toBe('401 token_malformed');
    expect(await outcome(verifier.verify(await signToken(keyA, { aud: AUDIENCE }), at('api.brand-a.example')))).toBe('401 issuer_mismatch');
    expect(resolver).not.toHaveBeenCalled();
  });

  it('fails with the API fault, never a 401, when the resolver throws or rejects', async () => {
    const token = await tokenOf(brandA, keyA);
    const thrown = withResolver(() => {
      throw new Error('tenant table unavailable');
    });
    expect(await outcome(thrown.verify(token, at('api.brand-a.example')))).toBe('fault: tenant table unavailable');
    const rejected = withResolver(() => Promise.reject(new Error('tenant table unavailable')));
    expect(await outcome(rejected.verify(token, at('api.brand-a.example')))).toBe('fault: tenant table unavailable');
  });

  it('answers with the AuthError the resolver throws', async () => {
    const verifier = withResolver(() => {
      throw new KeysUnavailableError('metadata_unavailable', { retryAfterSeconds: 7 });
    });
    expect(await outcome(verifier.verify(await tokenOf(brandA, keyA), at('api.brand-a.example')))).toBe('503 metadata_unavailable');
  });

  it('publishes the AuthError the resolver throws or rejects with as a refusal at the issuer stage; faults are not', async () => {
    const events: VerifyEvent[] = [];
    const stop = onVerifyEvent((event) => events.push(event));
    try {
      const token = await tokenOf(brandA, keyA);
      const unavailable = () => new KeysUnavailableError('metadata_unavailable', { retryAfterSeconds: 7 });
      const thrown = withResolver(() => {
        throw unavailable();
      });
      expect(await outcome(thrown.verify(token, at('api.brand-a.example')))).toBe('503 metadata_unavailable');
      const rejected = withResolver(() => Promise.reject(unavailable()));
      expect(await outcome(rejected.verify(token, at('api.brand-a.example')))).toBe('503 metadata_unavailable');
      const faulty = withResolver(() => Promise.reject(new Error('tenant table unavailable')));
      expect(await outcome(faulty.verify(token, at('api.brand-a.example')))).toBe('fault: tenant table unavailable');
      expect(events).toEqual([
        { type: 'rejected', stage: 'issuer', status: 503, reason: 'metadata_unavailable', method: 'GET', path: '/receipts' },
        { type: 'rejected', stage: 'issuer', status: 503, reason: 'metadata_unavailable', method: 'GET', path: '/receipts' },
      ]);
    } finally {
      stop();
    }
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['an object', { issuer: 'https://login.example.com/' }],
    ['a relative URL', ['/issuer']],
    ['plain http off loopback', ['http://login.example.com/']],
    ['an issuer with a query', ['https://login.example.com/?tenant=a']],
    ['an issuer with a fragment', ['https://login.example.com/#a']],
    ['33 issuers', Array.from({ length: 33 }, (_, i) => `https://i${i}.example/`)],
  ])('fails with a fault when the resolver answers %s', async (_name, answer) => {
    const verifier = withResolver(() => answer as string[]);
    expect(await outcome(verifier.verify(await tokenOf(brandA, keyA), at('api.brand-a.example')))).toBe(`fault: ${BAD_RESOLVER_ANSWER}`);
  });

  it(`keeps at most ${MAX_RESOLVER_SOURCES} resolved issuers, least recently used out`, async () => {
    let n = 0;
    const verifier = withResolver(() => [`https://issuer-${n++}.example/`]);
    const token = await tokenOf(brandA, keyA);
    for (let i = 0; i < MAX_RESOLVER_SOURCES + 40; i++) expect(await outcome(verifier.verify(token))).toBe('401 issuer_mismatch');
    const issuers = verifier.status().issuers.map((entry) => entry.issuer);
    expect(issuers).toHaveLength(MAX_RESOLVER_SOURCES);
    expect(issuers).toContain(`https://issuer-${MAX_RESOLVER_SOURCES + 39}.example/`);
    expect(issuers).not.toContain('https://issuer-0.example/');
  });

  it('narrows the issuers of configured publicKeys without any fetch', async () => {
    const verifier = withResolver(byHost, { publicKeys: [keyA.jwk, keyB.jwk] });
    expect(await outcome(verifier.verify(await tokenOf(brandB, keyB), at('api.brand-b.example')))).toBe('accepted');
    expect(await outcome(verifier.verify(await tokenOf(brandB, keyB), at('api.brand-a.example')))).toBe('401 issuer_mismatch');
    expect(brandB.jwksHits() + brandB.discoveryHits()).toBe(0);
  });

  it('applies excludedTenants and the family\'s tenant of an issuer to the issuers it allows', async () => {
    const excluding = withResolver(byHost, { publicKeys: [keyA.jwk], excludedTenants: ['9188040D-6C67-4C5B-B112-36A304B66DAD'] });
    const personal = await tokenOf(brandA, keyA, { tid: '9188040d-6c67-4c5b-b112-36a304b66dad' });
    expect(await outcome(excluding.verify(personal, at('api.brand-a.example')))).toBe('401 tenant_not_allowed');
    expect(await outcome(excluding.verify(await tokenOf(brandA, keyA, { tid: 'another' }), at('api.brand-a.example')))).toBe('accepted');

    const tenant = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
    const entraIssuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
    const entra = withResolver(() => [entraIssuer], { publicKeys: [keyA.jwk], profile: 'entra' });
    const claims = { iss: entraIssuer, aud: AUDIENCE, azp: 'payments', ver: '2.0' };
    expect(await outcome(entra.verify(await signToken(keyA, { ...claims, tid: tenant })))).toBe('accepted');
    expect(await outcome(entra.verify(await signToken(keyA, { ...claims, tid: 'ffffffff-1b4d-4e8f-9a6b-2c5d8e1f0a3b' })))).toBe('401 tenant_mismatch');
  });

  it('cannot be combined with decryption (it reads the claims of signed tokens): a TypeError at creation', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    expect(() => withResolver(byHost, { decryption: { keys: [privateKey] } })).toThrow(
      'bearer-guard: option "decryption" cannot be combined with an issuer resolver, which reads the claims of signed tokens only: list the issuers, or give one option set per issuer',
    );
  });

  it('refuses a forged token of an allowed issuer like any other', async () => {
    const forged = rawToken({ alg: 'ES256', kid: keyA.kid }, { iss: brandA.url, aud: AUDIENCE, exp: 4102444800 });
    expect(await outcome(withResolver(byHost).verify(forged, at('api.brand-a.example')))).toBe('401 signature_invalid');
  });
});

describe.each(ADAPTERS)('an issuer resolver over HTTP, $name', ({ build, kit }) => {
  it('reads the Host of each request and answers 401 issuer_mismatch for another brand', async () => {
    const faults: unknown[] = [];
    const app = await build([{ path: '/receipts', chain: [kit.authenticate({ issuer: byHost, audience: AUDIENCE })] }], {
      kind: 'default',
      record: (error) => faults.push(error),
    });
    try {
      const a = await request(app).get('/receipts').set('Host', 'api.brand-a.example').set('Authorization', `Bearer ${await tokenOf(brandA, keyA)}`);
      expect(a.status).toBe(200);
      const b = await request(app).get('/receipts').set('Host', 'api.brand-a.example').set('Authorization', `Bearer ${await tokenOf(brandB, keyB)}`);
      expect(b.status).toBe(401);
      expect(b.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"',
      );
    } finally {
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });
});
