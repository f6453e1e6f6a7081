import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authenticate, createVerifier, KeyFetchError } from '../../../src/index.js';
import { toDiscoveryUrls } from '../../../src/verify/keys/discovery.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import { recordKeyEvents, startApp, startUniqueIssuer, type KeyEventLog } from './support.js';

const AUDIENCE = 'api://warm';

let key: TestKey;
let a: IssuerServer;
let b: IssuerServer;
let log: KeyEventLog;
beforeAll(async () => {
  key = await createTestKey('EdDSA', { crv: 'Ed25519' });
});
beforeEach(async () => {
  [a, b] = await Promise.all([startUniqueIssuer({ keys: [key.jwk] }), startUniqueIssuer({ keys: [key.jwk] })]);
  log = recordKeyEvents();
});
afterEach(async () => {
  log.stop();
  await Promise.all([a.close(), b.close()]);
});

async function readyError(promise: Promise<void>): Promise<AggregateError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(AggregateError);
  return error as AggregateError;
}

describe('verifier.ready()', () => {
  it.each(FRAMEWORKS)(
    'loads metadata and keys before the server listens, so the first request fetches nothing ($name)',
    async ({ build }) => {
      const verifier = createVerifier({ issuer: [a.url, b.url], audience: AUDIENCE });
      await verifier.ready();
      expect([a.discoveryHits(), a.jwksHits(), b.discoveryHits(), b.jwksHits()]).toEqual([1, 1, 1, 1]);
      expect(log.of('fetched').map((event) => `${event.resource} ${event.trigger}`).sort()).toEqual([
        'jwks ready',
        'jwks ready',
        'metadata initial',
        'metadata initial',
      ]);
      const app = await startApp(build, authenticate(verifier));
      try {
        const token = await signToken(key, { iss: b.url, aud: AUDIENCE });
        expect((await app.get(token)).status).toBe(200);
        expect(b.discoveryHits() + b.jwksHits()).toBe(2);
      } finally {
        await app.close();
      }
    },
  );

  it('does nothing more when called again while the keys are fresh', async () => {
    const verifier = createVerifier({ issuer: a.url, audience: AUDIENCE, jwksUri: a.jwksUri });
    await verifier.ready();
    await verifier.ready();
    expect(a.jwksHits()).toBe(1);
    expect(a.discoveryHits()).toBe(0);
  });

  it('rejects with an AggregateError naming every URL that failed and why', async () => {
    a.jwks = { kind: 'status', status: 500 };
    b.discovery = { kind: 'hang' };
    const verifier = createVerifier({ issuer: [a.url, b.url], audience: AUDIENCE, keys: { timeoutMs: 400 } });
    const error = await readyError(verifier.ready());
    expect(error.errors).toHaveLength(2);
    expect(error.errors.every((failure) => failure instanceof KeyFetchError)).toBe(true);
    expect(error.errors.map((failure: KeyFetchError) => [failure.kind, failure.url])).toEqual([
      ['status', a.jwksUri],
      ['timeout', b.url],
    ]);
    expect(error.message).toBe(
      `bearer-guard: keys could not be loaded: ${a.jwksUri}: HTTP 500; ` +
        `${b.url}: discovery failed (${b.url}/.well-known/openid-configuration: no answer within 400 ms)`,
    );
  });

  it('names both discovery attempts when neither answers with usable metadata', async () => {
    a.metadataIssuer = 'https://impostor.example.com';
    const verifier = createVerifier({ issuer: a.url, audience: AUDIENCE });
    const error = await readyError(verifier.ready());
    const [openid, oauth] = toDiscoveryUrls(a.url);
    expect(error.message).toContain(`${openid}: the metadata "issuer" differs`);
    expect(error.message).toContain(`${oauth}: the metadata "issuer" differs`);
    expect((error.errors[0] as KeyFetchError).kind).toBe('issuer_mismatch');
  });

  it('succeeds on a later call once the endpoint is back (failures are not cached beyond the backoff)', async () => {
    a.jwks = { kind: 'body', body: 'not json' };
    const verifier = createVerifier({ issuer: a.url, audience: AUDIENCE, jwksUri: a.jwksUri, keys: { retryMinMs: 0 } });
    const error = await readyError(verifier.ready());
    expect((error.errors[0] as KeyFetchError).kind).toBe('not_json');
    a.jwks = { kind: 'ok' };
    await expect(verifier.ready()).resolves.toBeUndefined();
    expect(a.jwksHits()).toBe(2);
  });
});
