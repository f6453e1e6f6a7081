/**
 * The verified-token cache: admission on second sight, expiry and nbf re-checked on every hit, entries
 * dropped with their signing key, per-verifier isolation, the entry bound, maxTtlMs, failures never cached.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, DEFAULTS, isAuthError, onVerifyEvent, type VerifyEvent } from '../../../src/index.js';
import type { KeyEntry } from '../../../src/verify/keys/jwk-set.js';
import { entryBytes, TokenCache } from '../../../src/verify/cache/token-cache.js';
import { keyChangeCount } from '../../../src/verify/keys/key-changes.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';

const AUDIENCE = 'api://receipts';
let server: IssuerServer;
let key: TestKey;
let serial = 0;

beforeAll(async () => {
  key = await createTestKey('ES256');
});
afterEach(async () => {
  vi.useRealTimers();
  await server?.close();
});
afterAll(() => undefined);

async function freshIssuer(): Promise<IssuerServer> {
  // A unique path per test: key stores are shared per JWKS URI across the process.
  server = await startIssuerServer({ keys: [key.jwk], path: `/cache-${++serial}` });
  return server;
}

/** Verifies `token` and reports whether the cache answered. */
async function verifyCached(verifier: ReturnType<typeof createVerifier>, token: string): Promise<boolean> {
  const seen: VerifyEvent[] = [];
  const stop = onVerifyEvent((event) => seen.push(event));
  try {
    await verifier.verify(token);
  } finally {
    stop();
  }
  const accepted = seen.find((event) => event.type === 'accepted');
  return accepted?.type === 'accepted' && accepted.cached;
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAuthError(error)) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('verified-token cache', () => {
  it('caches a token the second time it is verified and answers the third from memory', async () => {
    const issuer = await freshIssuer();
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE });
    expect(await verifyCached(verifier, token)).toBe(false);
    expect(await verifyCached(verifier, token)).toBe(false);
    expect(await verifyCached(verifier, token)).toBe(true);
    expect(await verifyCached(verifier, token)).toBe(true);
  });

  it('returns the same frozen identity from a hit', async () => {
    const issuer = await freshIssuer();
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE, scope: 'a' });
    await verifier.verify(token);
    const second = await verifier.verify(token);
    const third = await verifier.verify(token);
    expect(third).toBe(second);
    expect(Object.isFrozen(third) && Object.isFrozen(third.scopes) && Object.isFrozen(third.payload)).toBe(true);
  });

  it('re-checks exp on every hit: a cached token is refused once it expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    const issuer = await freshIssuer();
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, clockTolerance: 0 });
    const now = Math.floor(Date.now() / 1000);
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE, exp: now + 60 }, { now });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(await verifyCached(verifier, token)).toBe(true);
    vi.setSystemTime(new Date((now + 60) * 1000));
    expect(await reasonOf(verifier.verify(token))).toBe('token_expired');
  });

  it('re-checks nbf on every hit: a cached token is refused when the clock steps back before nbf', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    const issuer = await freshIssuer();
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, clockTolerance: 0 });
    const now = Math.floor(Date.now() / 1000);
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE, nbf: now - 10 }, { now });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(await verifyCached(verifier, token)).toBe(true);
    vi.setSystemTime(new Date((now - 60) * 1000));
    expect(await reasonOf(verifier.verify(token))).toBe('token_not_yet_valid');
  });

  it('drops an entry whose signing key a refresh removed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    const issuer = await freshIssuer();
    const other = await createTestKey('ES256');
    const verifier = createVerifier({
      issuer: issuer.url,
      audience: AUDIENCE,
      jwksUri: issuer.jwksUri,
      keys: { maxAgeMs: 60_000 },
    });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE }, { expiresIn: 3600 });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(await verifyCached(verifier, token)).toBe(true);
    issuer.keys = [other.jwk];
    vi.setSystemTime(Date.now() + 61_000);
    // The first request past maxAge (a cache hit) is served while it starts one background refresh.
    expect(await verifyCached(verifier, token)).toBe(true);
    await vi.waitFor(() => expect(issuer.jwksHits()).toBe(2));
    await vi.waitFor(async () => expect(await reasonOf(verifier.verify(token))).toBe('key_not_found'));
  });

  it('never serves one verifier an entry of another', async () => {
    const issuer = await freshIssuer();
    const receipts = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    const ledger = createVerifier({ issuer: issuer.url, audience: 'api://ledger', jwksUri: issuer.jwksUri });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE });
    await receipts.verify(token);
    await receipts.verify(token);
    expect(await verifyCached(receipts, token)).toBe(true);
    expect(await reasonOf(ledger.verify(token))).toBe('audience_mismatch');
  });

  it('does not cache failures: a token refused for an unknown key is accepted once the key is published', async () => {
    const issuer = await freshIssuer();
    const rotated = await createTestKey('ES256');
    const verifier = createVerifier({
      issuer: issuer.url,
      audience: AUDIENCE,
      jwksUri: issuer.jwksUri,
      keys: { cooldownMs: 0 },
    });
    const token = await signToken(rotated, { iss: issuer.url, aud: AUDIENCE });
    expect(await reasonOf(verifier.verify(token))).toBe('key_not_found');
    expect(await reasonOf(verifier.verify(token))).toBe('key_not_found');
    issuer.keys = [key.jwk, rotated.jwk];
    expect(await reasonOf(verifier.verify(token))).toBe('accepted');
  });

  it('does not serve a tampered token from the entry of the original', async () => {
    const issuer = await freshIssuer();
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE, scope: 'read' });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(await verifyCached(verifier, token)).toBe(true);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ iss: issuer.url, aud: AUDIENCE, scope: 'admin', exp: 9e9 })).toString('base64url')}.${signature}`;
    expect(await reasonOf(verifier.verify(forged))).toBe('signature_invalid');
  });

  it('keeps an entry no longer than maxTtlMs, then verifies the token again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:00Z'));
    const issuer = await freshIssuer();
    const verifier = createVerifier({
      issuer: issuer.url,
      audience: AUDIENCE,
      jwksUri: issuer.jwksUri,
      cache: { maxTtlMs: 1000 },
    });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE }, { expiresIn: 3600 });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(await verifyCached(verifier, token)).toBe(true);
    vi.setSystemTime(Date.now() + 1001);
    expect(await verifyCached(verifier, token)).toBe(false);
  });

  it('answers every token from verification when the cache is off', async () => {
    const issuer = await freshIssuer();
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, cache: false });
    const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE });
    for (let i = 0; i < 4; i++) expect(await verifyCached(verifier, token)).toBe(false);
  });
});

describe('TokenCache', () => {
  const entryKey = (validUntil: number): KeyEntry => ({
    kid: 'k',
    key: undefined as never,
    algorithms: new Set(['ES256']),
    issuer: undefined,
    signatureBytes: undefined,
    fingerprint: 'k',
    validUntil,
  });
  const value = (exp: number, validUntil = Number.MAX_SAFE_INTEGER) => {
    const key = entryKey(validUntil);
    return {
      auth: {} as never,
      times: { exp, nbf: undefined, iat: undefined },
      key,
      source: { select: () => key, freshUntil: () => Number.MAX_SAFE_INTEGER, ready: async () => undefined, status: () => ({}) },
      alg: 'ES256',
      kid: 'k',
      keyChanges: keyChangeCount(),
    };
  };

  /** Offers `token` twice (admission on second sight). */
  const admit = (cache: TokenCache, token: string, stored: ReturnType<typeof value>, now: number, tolerance = 0): void => {
    cache.set(token, stored, now, tolerance);
    cache.set(token, stored, now, tolerance);
  };
  /** A token-like string with an evenly spread signature, as genuine tokens have. */
  const tokenLike = (): string => `h.p.${randomBytes(64).toString('base64url')}`;
  const isHit = (found: unknown): boolean => found !== undefined;

  it('holds at most maxEntries entries however many tokens it sees', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = Date.now();
    for (let i = 0; i < 1000; i++) admit(cache, tokenLike(), value(now / 1000 + 3600), now);
    expect(cache.size).toBe(5);
  });

  it('caches a token verified twice in a row, not one verified once', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const token = tokenLike();
    cache.set(token, value(now / 1000 + 3600), now, 0);
    expect(cache.lookup(token, now)).toBeUndefined();
    cache.set(token, value(now / 1000 + 3600), now, 0);
    expect(isHit(cache.lookup(token, now))).toBe(true);
  });

  it('keys its LRU entries by the SHA-256 of the token', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const token = tokenLike();
    admit(cache, token, value(now / 1000 + 3600), now);
    expect(cache.lookup(token, now)?.id).toBe(TokenCache.keyOf(token));
  });

  it('never keeps an entry past exp plus the tolerance', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const token = tokenLike();
    admit(cache, token, value(now / 1000 + 10), now, 5);
    expect(isHit(cache.lookup(token, now + 14_999))).toBe(true);
    expect(cache.lookup(token, now + 15_000)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('refuses to store an already expired verification', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    admit(cache, tokenLike(), value(now / 1000 - 1), now);
    expect(cache.size).toBe(0);
  });

  it('stops serving an entry once its key is no longer trusted', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const stored = value(now / 1000 + 3600, now + 1000);
    const token = tokenLike();
    admit(cache, token, stored, now);
    expect(isHit(cache.lookup(token, now + 999))).toBe(true);
    stored.key.validUntil = 0;
    expect(cache.lookup(token, now + 999)).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('never answers an entry the LRU evicted', () => {
    const cache = new TokenCache({ maxEntries: 1, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const [first, second] = [tokenLike(), tokenLike()];
    admit(cache, first, value(now / 1000 + 3600), now);
    expect(isHit(cache.lookup(first, now))).toBe(true);
    admit(cache, second, value(now / 1000 + 3600), now);
    expect(cache.lookup(first, now)).toBeUndefined();
    expect(isHit(cache.lookup(second, now))).toBe(true);
  });

  it('never answers an entry that was dropped', () => {
    const cache = new TokenCache({ maxEntries: 5, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const token = tokenLike();
    admit(cache, token, value(now / 1000 + 3600), now);
    cache.drop(cache.lookup(token, now)!);
    expect(cache.lookup(token, now)).toBeUndefined();
  });

  it('keeps the tokens it answers recent in the LRU', () => {
    const cache = new TokenCache({ maxEntries: 2, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const [hot, other, newcomer] = [tokenLike(), tokenLike(), tokenLike()];
    admit(cache, hot, value(now / 1000 + 3600), now);
    admit(cache, other, value(now / 1000 + 3600), now);
    expect(isHit(cache.lookup(hot, now))).toBe(true); // 'other' is now the least recently used
    admit(cache, newcomer, value(now / 1000 + 3600), now);
    expect(isHit(cache.lookup(hot, now))).toBe(true);
    expect(cache.lookup(other, now)).toBeUndefined();
  });

  it('finds every entry it holds, up to its bound', () => {
    const cache = new TokenCache({ maxEntries: 2000, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    const tokens = Array.from({ length: 2000 }, tokenLike);
    for (const token of tokens) admit(cache, token, value(now / 1000 + 3600), now);
    const found = tokens.filter((token) => isHit(cache.lookup(token, now))).length;
    // A set of the index holds four tokens; the odd fifth one displaces the one expiring first.
    expect(found).toBeGreaterThan(1970);
    expect(cache.size).toBe(found);
  });

  it('answers tokens that share a set of its index each with its own entry, and lets go of a displaced one', () => {
    const cache = new TokenCache({ maxEntries: 100, maxTtlMs: 600_000, maxBytes: 2 ** 30 });
    const now = 1_800_000_000_000;
    // Same last characters, so the same set of the index; different tokens, expiring one second apart.
    const tokens = Array.from({ length: 5 }, () => `${randomBytes(16).toString('base64url')}.p.same-end`);
    tokens.forEach((token, i) => admit(cache, token, value(now / 1000 + 3600 + i), now));
    // The fifth took the place of the first, which expires first, and the LRU no longer holds it either.
    expect(cache.lookup(tokens[0]!, now)).toBeUndefined();
    for (const token of tokens.slice(1)) expect(cache.lookup(token, now)?.token).toBe(token);
    expect(cache.size).toBe(4);
    expect(cache.lookup(`${randomBytes(16).toString('base64url')}.p.same-end`, now)).toBeUndefined();
  });

  it('holds entries up to maxBytes by their counted size, letting the least recently used go first', () => {
    const now = 1_800_000_000_000;
    const tokens = Array.from({ length: 6 }, () => `h.${'p'.repeat(12_000)}.${randomBytes(64).toString('base64url')}`);
    const each = entryBytes(tokens[0]!);
    expect(each).toBe(1024 + Math.ceil(tokens[0]!.length * 2.5));
    const cache = new TokenCache({ maxEntries: 100, maxTtlMs: 600_000, maxBytes: 3 * each });
    for (const token of tokens) admit(cache, token, value(now / 1000 + 3600), now);
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(3 * each);
    expect(tokens.map((token) => isHit(cache.lookup(token, now)))).toEqual([false, false, false, true, true, true]);
  });

  it('never stores, nor ever finds, a token whose entry would be larger than maxBytes', () => {
    const now = 1_800_000_000_000;
    const [small, large] = [tokenLike(), `h.${'p'.repeat(5000)}.${randomBytes(64).toString('base64url')}`];
    const cache = new TokenCache({ maxEntries: 100, maxTtlMs: 600_000, maxBytes: entryBytes(small) * 2 });
    admit(cache, small, value(now / 1000 + 3600), now);
    admit(cache, large, value(now / 1000 + 3600), now);
    expect(cache.size).toBe(1);
    expect(isHit(cache.lookup(small, now))).toBe(true);
    expect(cache.lookup(large, now)).toBeUndefined();
  });

  it('bounds a cache of 12 KB tokens to 32 MiB by default, about 1000 entries', () => {
    const token = `h.${'p'.repeat(12 * 1024)}.${randomBytes(64).toString('base64url')}`;
    expect(Math.floor(DEFAULTS.cache.maxBytes / entryBytes(token))).toBe(1049);
    expect(Math.floor(DEFAULTS.cache.maxBytes / entryBytes(tokenLike().padEnd(1024, 'x')))).toBeLessThan(DEFAULTS.cache.maxEntries);
  });

  it('keys entries by the SHA-256 of the whole token string', () => {
    expect(TokenCache.keyOf('a.b.c')).toBe(createHash('sha256').update('a.b.c').digest('base64url'));
    expect(TokenCache.keyOf('a.b.c')).not.toBe(TokenCache.keyOf('a.b.d'));
  });
});
