import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError, type FetchLike, type Verifier } from '../../../src/index.js';
import { resolveKeyOptions } from '../../../src/verify/keys/key-options.js';
import { sharedKeyStore, sharedMetadataStore } from '../../../src/verify/keys/registry.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import { startUniqueIssuer } from './support.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';

const AUDIENCE = 'api://registry';

let keyA: TestKey;
let keyB: TestKey;
let a: IssuerServer;
let b: IssuerServer;
beforeAll(async () => {
  [keyA, keyB] = await Promise.all([createTestKey('RS256'), createTestKey('RS256')]);
});
beforeEach(async () => {
  [a, b] = await Promise.all([startUniqueIssuer({ keys: [keyA.jwk] }), startUniqueIssuer({ keys: [keyB.jwk] })]);
});
afterEach(async () => {
  await Promise.all([a.close(), b.close()]);
});

async function outcome(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
}

describe('shared key stores', () => {
  it('gives every verifier naming the same JWKS URI with the same key options one store, so one fetch', async () => {
    const token = await signToken(keyA, { iss: a.url, aud: AUDIENCE });
    const verifiers = Array.from({ length: 5 }, (_, i) =>
      createVerifier({ issuer: a.url, audience: AUDIENCE, jwksUri: a.jwksUri, realm: `realm-${i}` }),
    );
    for (const verifier of verifiers) expect(await outcome(verifier, token)).toBe('ok');
    expect(a.jwksHits()).toBe(1);
  });

  it('shares discovered metadata and keys the same way', async () => {
    const token = await signToken(keyA, { iss: a.url, aud: AUDIENCE });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => outcome(createVerifier({ issuer: a.url, audience: AUDIENCE }), token)),
    );
    expect(results).toEqual(Array(5).fill('ok'));
    expect(a.discoveryHits()).toBe(1);
    expect(a.jwksHits()).toBe(1);
  });

  it('returns one store per URI and option set', () => {
    const options = resolveKeyOptions({ cooldownMs: 10_000, allowedRedirectHosts: ['Keys.example.com', 'cdn.example'] });
    const same = resolveKeyOptions({ allowedRedirectHosts: ['cdn.example', 'keys.example.com'], cooldownMs: 10_000 });
    const store = sharedKeyStore(a.jwksUri, options);
    expect(sharedKeyStore(a.jwksUri, same)).toBe(store);
    expect(sharedKeyStore(b.jwksUri, options)).not.toBe(store);
    expect(sharedKeyStore(a.jwksUri, resolveKeyOptions({ cooldownMs: 10_001 }))).not.toBe(store);
    expect(sharedMetadataStore(a.url, options)).toBe(sharedMetadataStore(a.url, same));
  });

  it('keeps stores apart for different fetch functions, and together for the same one', () => {
    const mine: FetchLike = (url, init) => globalThis.fetch(url, init);
    const yours: FetchLike = (url, init) => globalThis.fetch(url, init);
    const store = sharedKeyStore(a.jwksUri, resolveKeyOptions({ fetch: mine }));
    expect(sharedKeyStore(a.jwksUri, resolveKeyOptions({ fetch: mine }))).toBe(store);
    expect(sharedKeyStore(a.jwksUri, resolveKeyOptions({ fetch: yours }))).not.toBe(store);
    expect(sharedKeyStore(a.jwksUri, resolveKeyOptions(undefined))).not.toBe(store);
  });

  it('treats spellings of one URL as one store', async () => {
    const token = await signToken(keyA, { iss: a.url, aud: AUDIENCE });
    const { port, pathname } = new URL(a.jwksUri);
    const spellings = [a.jwksUri, `HTTP://127.0.0.1:${port}${pathname}`, `http://127.0.0.1:${port}/.${pathname}`];
    for (const jwksUri of spellings) {
      expect(await outcome(createVerifier({ issuer: a.url, audience: AUDIENCE, jwksUri }), token)).toBe('ok');
    }
    expect(a.jwksHits()).toBe(1);
  });

  it('holds at most 256 shared stores, dropping the least recently used, while verifiers keep their own', async () => {
    const options = resolveKeyOptions({ maxAgeMs: 123_456 });
    const keys = { maxAgeMs: 123_456 };
    const verifier = createVerifier({ issuer: a.url, audience: AUDIENCE, jwksUri: a.jwksUri, keys });
    const first = sharedKeyStore(a.jwksUri, options);
    for (let i = 0; i < 256; i++) sharedKeyStore(`https://tenant-${i}.example.com/keys`, options);
    const again = sharedKeyStore(a.jwksUri, options);
    expect(again).not.toBe(first);
    // The evicted store still serves the verifier that holds it.
    const token = await signToken(keyA, { iss: a.url, aud: AUDIENCE });
    expect(await outcome(verifier, token)).toBe('ok');
    expect(await outcome(verifier, token)).toBe('ok');
    expect(a.jwksHits()).toBe(1);
  });

  it('never verifies a token of one issuer with a key published by another', async () => {
    const verifier = createVerifier({ issuer: [a.url, b.url], audience: AUDIENCE, cache: false });
    const forged = await signToken(keyB, { iss: a.url, aud: AUDIENCE }, { header: { kid: keyB.kid } });
    const genuine = await signToken(keyB, { iss: b.url, aud: AUDIENCE });
    expect(await outcome(verifier, genuine)).toBe('ok');
    expect(await outcome(verifier, forged)).toBe('401 key_not_found');
    expect(b.jwksHits()).toBe(1);
  });
});
