import { performance } from 'node:perf_hooks';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError, type KeyOptions } from '../../../src/index.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import { hang, jsonAfter, recordKeyEvents, settle, startRouteServer, type Route, type RouteServer } from './support.js';

const AUDIENCE = 'api://cold';
const ISSUER_PATH = '/oauth2/default';
const OPENID = `${ISSUER_PATH}/.well-known/openid-configuration`;
const INSERTED = `/.well-known/oauth-authorization-server${ISSUER_PATH}`;
const APPENDED = `${ISSUER_PATH}/.well-known/oauth-authorization-server`;
const JWKS = `${ISSUER_PATH}/v1/keys`;
/** Scheduling slack allowed on top of a deadline on a busy machine. */
const SLACK_MS = 200;

let key: TestKey;
let server: RouteServer | undefined;
beforeAll(async () => {
  key = await createTestKey('ES256');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const metadata = (issuerOverride?: string): ((base: string) => unknown) => (base) => ({
  issuer: issuerOverride ?? `${base}${ISSUER_PATH}`,
  jwks_uri: `${base}${JWKS}`,
});
const keySet = (): unknown => ({ keys: [key.jwk] });
const notFoundAfter = (delayMs: number): Route => jsonAfter(delayMs, () => ({}), 404);

/** Starts the issuer and verifies one token against it; returns the outcome and how long it took. */
async function coldRequest(
  routes: Record<string, Route>,
  keys: KeyOptions = {},
): Promise<{ outcome: string; retryAfter?: string; elapsedMs: number; verify: () => Promise<string> }> {
  server = await startRouteServer(routes);
  const issuer = `${server.base}${ISSUER_PATH}`;
  const verifier = createVerifier({ issuer, audience: AUDIENCE, cache: false, keys });
  const token = await signToken(key, { iss: issuer, aud: AUDIENCE, sub: 'svc' });
  let retryAfter: string | undefined;
  const verify = async (): Promise<string> => {
    try {
      await verifier.verify(token);
      return 'ok';
    } catch (error) {
      if (!isAuthError(error)) throw error;
      retryAfter = error.headers['Retry-After'];
      return `${error.status} ${error.reason}`;
    }
  };
  const started = performance.now();
  const outcome = await verify();
  return { outcome, retryAfter, elapsedMs: performance.now() - started, verify };
}

describe('discovery locations over HTTP', () => {
  it('discovers an issuer with a path that serves only the appended RFC 8414 form', async () => {
    const { outcome } = await coldRequest({ [APPENDED]: jsonAfter(0, metadata()), [JWKS]: jsonAfter(0, keySet) });
    expect(outcome).toBe('ok');
    expect([OPENID, INSERTED, APPENDED, JWKS].map((path) => server!.hits.get(path))).toEqual([1, 1, 1, 1]);
  });

  it('prefers the inserted RFC 8414 form to the appended one', async () => {
    const routes = { [INSERTED]: jsonAfter(0, metadata()), [APPENDED]: hang, [JWKS]: jsonAfter(0, keySet) };
    expect((await coldRequest(routes)).outcome).toBe('ok');
    expect(server!.hits.get(APPENDED)).toBeUndefined();
  });

  it('refuses appended RFC 8414 metadata that names another issuer, and fetches no keys', async () => {
    const routes = { [APPENDED]: jsonAfter(0, metadata('https://impostor.example.com')), [JWKS]: jsonAfter(0, keySet) };
    expect((await coldRequest(routes)).outcome).toBe('503 metadata_unavailable');
    expect(server!.hits.get(APPENDED)).toBe(1);
    expect(server!.hits.get(JWKS)).toBeUndefined();
  });
});

describe('a cold discovered issuer waits at most timeoutMs in all', () => {
  it('answers 503 within timeoutMs when metadata arrives slowly and the key set hangs', async () => {
    const routes = { [OPENID]: notFoundAfter(200), [INSERTED]: jsonAfter(200, metadata()), [JWKS]: hang };
    const { outcome, retryAfter, elapsedMs } = await coldRequest(routes, { timeoutMs: 500 });
    expect(outcome).toBe('503 jwks_unavailable');
    expect(retryAfter).toBe('1');
    expect(elapsedMs).toBeGreaterThanOrEqual(490);
    expect(elapsedMs).toBeLessThan(500 + SLACK_MS);
    expect(server!.hits.get(JWKS)).toBe(1);
  });

  it('shares one timeoutMs among every metadata location', async () => {
    const routes = { [OPENID]: notFoundAfter(300), [INSERTED]: hang, [APPENDED]: jsonAfter(0, metadata()) };
    const { outcome, elapsedMs } = await coldRequest(routes, { timeoutMs: 500 });
    expect(outcome).toBe('503 metadata_unavailable');
    expect(elapsedMs).toBeLessThan(500 + SLACK_MS);
    // The deadline is spent: the last location is not tried.
    expect(server!.hits.get(APPENDED)).toBeUndefined();
  });

  it('keeps fetching the key set after a request stopped waiting, so the next request is served', async () => {
    const log = recordKeyEvents();
    try {
      const routes = {
        [OPENID]: notFoundAfter(150),
        [INSERTED]: jsonAfter(150, metadata()),
        [JWKS]: jsonAfter(350, keySet),
      };
      const { outcome, elapsedMs, verify } = await coldRequest(routes, { timeoutMs: 500 });
      expect(outcome).toBe('503 jwks_unavailable');
      expect(elapsedMs).toBeLessThan(500 + SLACK_MS);
      const jwksUri = `${server!.base}${JWKS}`;
      await settle(() => log.of('fetched').some((event) => event.url === jwksUri));
      expect(await verify()).toBe('ok');
      expect(server!.hits.get(JWKS)).toBe(1);
      expect(log.of('refresh_failed').filter((event) => event.url === jwksUri)).toHaveLength(0);
    } finally {
      log.stop();
    }
  });
});
