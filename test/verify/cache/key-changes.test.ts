/**
 * Cached and uncached answers agree whatever moved at the issuer: a new `jwks_uri` named by discovery, a
 * second key published under a cached token's `kid`, a second key fitting a cached token without `kid`, a
 * removed key. A caching verifier and a non-caching one share their key stores (same key options), and the
 * caching one alone drives the refreshes, as a busy cache would. Real HTTP on 127.0.0.1, fake `Date` only.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, onVerifyEvent, type Verifier, type VerifierOptions, type VerifyEvent } from '../../../src/index.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import { jsonAfter, recordKeyEvents, settle, startRouteServer, type KeyEventLog, type RouteServer } from '../keys/support.js';

const AUDIENCE = 'api://receipts';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MAX_AGE = 60_000;

let k1: TestKey;
let k2: TestKey;
let k1twin: TestKey;
beforeAll(async () => {
  [k1, k2] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
  // Another key published under k1's kid.
  k1twin = await createTestKey('ES256', { kid: k1.kid });
});

/** What the issuer publishes: the `jwks_uri` its metadata names, and the keys at each JWKS path. */
interface Published {
  jwksPath: string;
  sets: Record<string, unknown[]>;
}

let serial = 0;
let server: RouteServer;
let log: KeyEventLog;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(async () => {
  log?.stop();
  vi.useRealTimers();
  await server?.close();
});

/** An issuer under a unique path (key stores are shared per URL across the process), with its JWKS paths `a` and `b`. */
async function startIssuer(published: Published): Promise<{ issuer: string; jwksUri: (path: string) => string }> {
  const prefix = `/moving-${++serial}`;
  const jwks = (name: string) => jsonAfter(0, () => ({ keys: published.sets[name] ?? [] }));
  server = await startRouteServer({
    [`${prefix}/.well-known/openid-configuration`]: jsonAfter(0, (base) => ({
      issuer: `${base}${prefix}`,
      jwks_uri: `${base}${prefix}/${published.jwksPath}`,
    })),
    [`${prefix}/a`]: jwks('a'),
    [`${prefix}/b`]: jwks('b'),
  });
  log = recordKeyEvents(server.base);
  return { issuer: `${server.base}${prefix}`, jwksUri: (path) => `${server.base}${prefix}/${path}` };
}

/** A caching and a non-caching verifier with the same key options, hence the same key stores. */
function verifiers(options: VerifierOptions): { cached: Verifier; uncached: Verifier } {
  const base = { ...options, keys: { maxAgeMs: MAX_AGE } };
  return { cached: createVerifier({ ...base, cache: { maxTtlMs: 24 * 3600_000 } }), uncached: createVerifier({ ...base, cache: false }) };
}

/** `accepted (cached)`, `accepted` or the reason of the refusal. */
async function outcome(verifier: Verifier, token: string): Promise<string> {
  const seen: VerifyEvent[] = [];
  const stop = onVerifyEvent((event) => seen.push(event));
  try {
    await verifier.verify(token);
  } catch (error) {
    if (isAuthError(error)) return error.reason;
    throw error;
  } finally {
    stop();
  }
  const accepted = seen.find((event) => event.type === 'accepted');
  return accepted?.type === 'accepted' && accepted.cached ? 'accepted (cached)' : 'accepted';
}

/** Verifies `token` until the caching verifier answers it from memory. */
async function cache(verifier: Verifier, token: string): Promise<void> {
  for (let i = 0; i < 3 && (await outcome(verifier, token)) !== 'accepted (cached)'; i++);
  expect(await outcome(verifier, token)).toBe('accepted (cached)');
}

/** Moves the clock past `maxAgeMs` and lets one cache hit start the refreshes due; waits for `done`. */
async function refreshThroughCacheHit(verifier: Verifier, token: string, done: () => boolean): Promise<void> {
  vi.setSystemTime(Date.now() + MAX_AGE);
  // Stale keys still serve (stale-while-revalidate), cached or not.
  expect(await outcome(verifier, token)).toBe('accepted (cached)');
  await settle(done);
}

function tokenOf(key: TestKey, issuer: string, options: { noKid?: boolean } = {}): Promise<string> {
  return signToken(key, { iss: issuer, aud: AUDIENCE, client_id: 'billing' }, { expiresIn: 6 * 3600, ...options });
}

describe('verified-token cache and moving keys', () => {
  it('answers 401 key_not_found from the cache, as without it, once discovery names a jwks_uri without the key', async () => {
    const published: Published = { jwksPath: 'a', sets: { a: [k1.jwk], b: [k2.jwk] } };
    const { issuer } = await startIssuer(published);
    const { cached, uncached } = verifiers({ issuer, audience: AUDIENCE });
    const old = await tokenOf(k1, issuer);
    await cache(cached, old);
    published.jwksPath = 'b';
    await refreshThroughCacheHit(cached, old, () => log.of('fetched').filter((event) => event.resource === 'metadata').length === 2);
    expect(await outcome(cached, old)).toBe('key_not_found');
    expect(await outcome(uncached, old)).toBe('key_not_found');
    expect(await outcome(cached, old)).toBe('key_not_found');
    // Tokens of the key the new set holds pass on both.
    const fresh = await tokenOf(k2, issuer);
    expect([await outcome(cached, fresh), await outcome(uncached, fresh)]).toEqual(['accepted', 'accepted']);
  });

  it('keeps accepting a cached token, as without the cache, when discovery names a new jwks_uri that still holds its key', async () => {
    const published: Published = { jwksPath: 'a', sets: { a: [k1.jwk], b: [k1.jwk, k2.jwk] } };
    const { issuer } = await startIssuer(published);
    const { cached, uncached } = verifiers({ issuer, audience: AUDIENCE });
    const token = await tokenOf(k1, issuer);
    await cache(cached, token);
    published.jwksPath = 'b';
    await refreshThroughCacheHit(cached, token, () => log.of('fetched').filter((event) => event.resource === 'metadata').length === 2);
    expect(await outcome(uncached, token)).toBe('accepted');
    expect(await outcome(cached, token)).toMatch(/^accepted/);
    await cache(cached, token);
  });

  it('answers 401 key_ambiguous from the cache, as without it, once a second key is published under the token kid', async () => {
    const published: Published = { jwksPath: 'a', sets: { a: [k1.jwk] } };
    const { issuer, jwksUri } = await startIssuer(published);
    const { cached, uncached } = verifiers({ issuer, audience: AUDIENCE, jwksUri: jwksUri('a') });
    const token = await tokenOf(k1, issuer);
    await cache(cached, token);
    published.sets.a = [k1.jwk, k1twin.jwk];
    await refreshThroughCacheHit(cached, token, () => log.of('rotated').length === 1);
    expect(await outcome(cached, token)).toBe('key_ambiguous');
    expect(await outcome(uncached, token)).toBe('key_ambiguous');
    // The kid names one key again: both accept the token again.
    published.sets.a = [k1.jwk];
    vi.setSystemTime(Date.now() + MAX_AGE);
    expect(await outcome(uncached, token)).toBe('key_ambiguous'); // stale set served, refresh started
    await settle(() => log.of('rotated').length === 2);
    expect([await outcome(cached, token), await outcome(uncached, token)]).toEqual(['accepted', 'accepted']);
  });

  it('answers 401 key_ambiguous from the cache, as without it, for a token without kid once a second fitting key is published', async () => {
    const published: Published = { jwksPath: 'a', sets: { a: [k1.jwk] } };
    const { issuer, jwksUri } = await startIssuer(published);
    const { cached, uncached } = verifiers({ issuer, audience: AUDIENCE, jwksUri: jwksUri('a') });
    const token = await tokenOf(k1, issuer, { noKid: true });
    await cache(cached, token);
    published.sets.a = [k1.jwk, k2.jwk];
    await refreshThroughCacheHit(cached, token, () => log.of('rotated').length === 1);
    expect(await outcome(cached, token)).toBe('key_ambiguous');
    expect(await outcome(uncached, token)).toBe('key_ambiguous');
  });

  it('answers 401 key_not_found from the cache, as without it, once a refresh removes the key', async () => {
    const published: Published = { jwksPath: 'a', sets: { a: [k1.jwk, k2.jwk] } };
    const { issuer } = await startIssuer(published);
    const { cached, uncached } = verifiers({ issuer, audience: AUDIENCE });
    const token = await tokenOf(k1, issuer);
    await cache(cached, token);
    published.sets.a = [k2.jwk];
    await refreshThroughCacheHit(cached, token, () => log.of('rotated').length === 1);
    expect(await outcome(cached, token)).toBe('key_not_found');
    expect(await outcome(uncached, token)).toBe('key_not_found');
  });

  it('keeps answering from memory, without a fetch, when a rotation leaves the token key the one its kid names', async () => {
    const published: Published = { jwksPath: 'a', sets: { a: [k1.jwk] } };
    const { issuer, jwksUri } = await startIssuer(published);
    const { cached } = verifiers({ issuer, audience: AUDIENCE, jwksUri: jwksUri('a') });
    const token = await tokenOf(k1, issuer);
    await cache(cached, token);
    published.sets.a = [k1.jwk, k2.jwk];
    await refreshThroughCacheHit(cached, token, () => log.of('rotated').length === 1);
    const fetches = server.hits.get(new URL(jwksUri('a')).pathname);
    for (let i = 0; i < 3; i++) expect(await outcome(cached, token)).toBe('accepted (cached)');
    expect(server.hits.get(new URL(jwksUri('a')).pathname)).toBe(fetches);
  });
});
