/**
 * verifier.status(): per configured issuer, the metadata and key set state — last fetch, key count and kids,
 * the last failure with its system error code, stale serving, next refresh — without fetching anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { freePort } from '../helpers/free-port.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

let server: IssuerServer;
let key: TestKey;
beforeAll(async () => {
  key = await createTestKey('RS256', { kid: 'k1' });
  server = await startIssuerServer({ keys: [key.jwk] });
});
afterAll(async () => {
  await server.close();
});

describe('verifier.status()', () => {
  it('reports nothing fetched before the first request, and fetches nothing itself', () => {
    const verifier = createVerifier({ issuer: server.url, audience: 'api' });
    const status = verifier.status();
    expect(status.ok).toBe(false);
    expect(status.issuers).toEqual([
      {
        issuer: server.url,
        metadata: { url: `${server.url}/.well-known/openid-configuration`, servingStale: false, usable: false },
        ok: false,
      },
    ]);
    expect(server.jwksHits() + server.discoveryHits()).toBe(0);
  });

  it('reports the metadata and the key set once loaded: when, how many keys, their kids, the next refresh', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: 'api', keys: { maxAgeMs: 60_000 } });
    const before = Date.now();
    await verifier.ready();
    const [entry] = verifier.status().issuers;
    expect(verifier.status().ok).toBe(true);
    expect(entry!.ok).toBe(true);
    expect(entry!.jwks).toMatchObject({ url: server.jwksUri, keyCount: 1, kids: ['k1'], servingStale: false, usable: true });
    expect(entry!.jwks!.lastFetchedAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(entry!.jwks!.nextRefreshAt!.getTime()).toBe(entry!.jwks!.lastFetchedAt!.getTime() + 60_000);
    expect(entry!.jwks!.lastFailure).toBeUndefined();
    expect(JSON.parse(JSON.stringify(verifier.status())).issuers[0].jwks.lastFetchedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('reports the last failure with its system error code, and stale keys being served', async () => {
    const verifier = createVerifier({
      issuer: server.url,
      audience: 'api',
      jwksUri: server.jwksUri,
      keys: { maxAgeMs: 1, retryMinMs: 60_000, retryMaxMs: 60_000 },
    });
    await verifier.ready();
    server.jwks = { kind: 'status', status: 502 };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const token = await signToken(key, { iss: server.url, aud: 'api', exp: Math.floor(Date.now() / 1000) + 60 });
    await verifier.verify(token); // served from the stale set, and starts a background refresh that fails
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { jwks } = verifier.status().issuers[0]!;
    expect(jwks).toMatchObject({ servingStale: true, usable: true, keyCount: 1 });
    expect(jwks!.lastFailure).toMatchObject({ kind: 'status', code: 'HTTP_502', failures: 1 });
    expect(jwks!.lastFailure!.message).toContain('HTTP 502');
    expect(jwks!.nextRefreshAt!.getTime()).toBeGreaterThan(Date.now() + 50_000);
    server.jwks = { kind: 'ok' };
  });

  it('reports a refused connection by its code', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const verifier = createVerifier({ issuer: closed, audience: 'api', jwksUri: `${closed}/jwks` });
    await expect(verifier.ready()).rejects.toThrow(/ECONNREFUSED/);
    const { jwks } = verifier.status().issuers[0]!;
    expect(jwks!.lastFailure).toMatchObject({ kind: 'network', code: 'ECONNREFUSED' });
    expect(verifier.status().ok).toBe(false);
  });
});
