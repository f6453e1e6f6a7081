import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate, type FetchFailureKind, type VerifierOptions } from '../../../src/index.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import {
  REASON_HEADER,
  recordKeyEvents,
  settle,
  startApp,
  startUniqueIssuer,
  trackedFetch,
  type KeyEventLog,
  type RunningApp,
} from './support.js';

const AUDIENCE = 'api://ledger';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MAX_AGE = 600_000;
const STALE_IF_ERROR = 3_600_000;
const COOLDOWN = 30_000;
const MiB = 1024 * 1024;

/** Ways a JWKS endpoint fails, and the fault class bearer-guard reports for each. */
const FAULTS: [name: string, kind: FetchFailureKind, breakIt: (issuer: IssuerServer) => void][] = [
  ['HTTP 500', 'status', (s) => (s.jwks = { kind: 'status', status: 500, body: 'upstream exploded' })],
  ['a dropped connection', 'network', (s) => (s.jwks = { kind: 'reset' })],
  ['a hang past the timeout', 'timeout', (s) => (s.jwks = { kind: 'hang' })],
  ['a body that drips past the timeout', 'timeout', (s) => (s.jwks = { kind: 'drip', intervalMs: 40 })],
  ['an HTML page', 'not_json', (s) => (s.jwks = { kind: 'body', body: '<html>502</html>', contentType: 'text/html' })],
  ['JSON that is not a JWK Set', 'invalid_document', (s) => (s.jwks = { kind: 'body', body: '{"keys":{}}' })],
  ['a set without usable keys', 'invalid_document', (s) => (s.keys = [{ kty: 'oct', k: 'c2VjcmV0', kid: 'hmac' }])],
  ['an undeclared 50 MB body', 'too_large', (s) => (s.jwks = { kind: 'huge', bytes: 50 * MiB })],
  ['a declared 50 MB body', 'too_large', (s) => (s.jwks = { kind: 'huge', bytes: 50 * MiB, declareLength: true })],
  ['a redirect loop', 'redirect', (s) => (s.jwks = { kind: 'redirect', location: s.jwksUri })],
  ['a redirect to another host', 'redirect', (s) => (s.jwks = { kind: 'redirect', location: 'https://cdn.example.net/k' })],
];

let key: TestKey;
let newcomer: TestKey;
beforeAll(async () => {
  [key, newcomer] = await Promise.all([createTestKey('RS256'), createTestKey('RS256')]);
});

describe.each(FRAMEWORKS)('$name', ({ build }) => {
  let issuer: IssuerServer;
  let app: RunningApp | undefined;
  let log: KeyEventLog;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    issuer = await startUniqueIssuer({ keys: [key.jwk] });
    log = recordKeyEvents(issuer.url);
  });
  afterEach(async () => {
    log.stop();
    vi.useRealTimers();
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  /** An app whose verifier reads keys from the issuer's JWKS URI, without the verified-token cache. */
  async function serve(options: Partial<VerifierOptions> = {}): Promise<RunningApp> {
    const verifier: VerifierOptions = {
      issuer: issuer.url,
      audience: AUDIENCE,
      jwksUri: issuer.jwksUri,
      cache: false,
      ...options,
    };
    app = await startApp(build, authenticate(verifier));
    return app;
  }

  function token(signer: TestKey = key): Promise<string> {
    return signToken(signer, { iss: issuer.url, aud: AUDIENCE, client_id: 'reports' });
  }

  type Answer = Awaited<ReturnType<RunningApp['get']>>;

  function expectUnavailable(res: Answer, reason: string, retryAfter = '1'): void {
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe(retryAfter);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers[REASON_HEADER]).toBe(reason);
    expect(res.text).not.toContain(new URL(issuer.url).host);
  }

  /** A short timeout for faults about time; the default elsewhere, so a busy machine cannot alter a fault. */
  const timeoutFor = (kind: FetchFailureKind): Partial<VerifierOptions> => ({
    keys: { timeoutMs: kind === 'timeout' ? 300 : 5000 },
  });

  it.each(FAULTS)(
    'answers 503 with Retry-After and no challenge when the first key fetch meets %s',
    async (_name, kind, breakIt) => {
      breakIt(issuer);
      const { get } = await serve(timeoutFor(kind));
      expectUnavailable(await get(await token()), 'jwks_unavailable');
      expect(log.of('refresh_failed')).toMatchObject([
        { resource: 'jwks', trigger: 'initial', kind, servingStale: false },
      ]);
    },
  );

  it.each(FAULTS)(
    'keeps accepting valid tokens with the last good keys when a refresh meets %s',
    async (_name, kind, breakIt) => {
      const { get } = await serve(timeoutFor(kind));
      expect((await get(await token())).status).toBe(200);
      breakIt(issuer);
      vi.setSystemTime(T0 + MAX_AGE);
      expect((await get(await token())).status).toBe(200);
      await settle(() => log.of('refresh_failed').length === 1);
      expect((await get(await token())).status).toBe(200);
      expect(log.of('refresh_failed')).toMatchObject([{ trigger: 'stale', kind, failures: 1, servingStale: true }]);
      expect(log.of('served_stale')).toMatchObject([{ resource: 'jwks', url: issuer.jwksUri, ageMs: MAX_AGE }]);
    },
  );

  it('answers 503 metadata_unavailable when discovery fails on a cold start', async () => {
    issuer.discovery = { kind: 'status', status: 500 };
    app = await startApp(build, authenticate({ issuer: issuer.url, audience: AUDIENCE }));
    expectUnavailable(await app.get(await token()), 'metadata_unavailable');
    expect(issuer.jwksHits()).toBe(0);
  });

  it('raises Retry-After with the backoff while a cold start keeps failing, without a fetch per request', async () => {
    issuer.jwks = { kind: 'status', status: 503 };
    const { get } = await serve();
    const first = await Promise.all(Array.from({ length: 30 }, async () => get(await token())));
    for (const res of first) expectUnavailable(res, 'jwks_unavailable', '1');
    expect(issuer.jwksHits()).toBe(1);
    vi.setSystemTime(T0 + 1000);
    expectUnavailable(await get(await token()), 'jwks_unavailable', '2');
    vi.setSystemTime(T0 + 1500);
    expectUnavailable(await get(await token()), 'jwks_unavailable', '2');
    expect(issuer.jwksHits()).toBe(2);
    issuer.jwks = { kind: 'ok' };
    vi.setSystemTime(T0 + 3000);
    expect((await get(await token())).status).toBe(200);
    expect(issuer.jwksHits()).toBe(3);
  });

  it('answers 503, not 401, for an unknown kid whose refetch fails', async () => {
    const { get } = await serve();
    expect((await get(await token())).status).toBe(200);
    issuer.jwks = { kind: 'status', status: 502 };
    vi.setSystemTime(T0 + COOLDOWN);
    // Retry-After: the next unknown-kid fetch waits for the cooldown (30 s), not only the 1 s backoff.
    expectUnavailable(await get(await token(newcomer)), 'jwks_unavailable', '30');
    // Inside the cooldown: still 503 for unknown kids, still 200 for known ones, no fetch.
    vi.setSystemTime(T0 + COOLDOWN + 10_000);
    expectUnavailable(await get(await token(newcomer)), 'jwks_unavailable', '20');
    expect((await get(await token())).status).toBe(200);
    expect(issuer.jwksHits()).toBe(2);
    // When Retry-After runs out, the fetch really happens.
    issuer.jwks = { kind: 'ok' };
    issuer.keys = [key.jwk, newcomer.jwk];
    vi.setSystemTime(T0 + 2 * COOLDOWN);
    expect((await get(await token(newcomer))).status).toBe(200);
    expect(issuer.jwksHits()).toBe(3);
  });

  it('answers 503 for an unknown kid while a cold start is failing', async () => {
    issuer.jwks = { kind: 'hang' };
    const { get } = await serve({ keys: { timeoutMs: 300 } });
    expectUnavailable(await get(await token(newcomer)), 'jwks_unavailable');
  });

  it('rides out a two-minute outage with a few backed-off fetches, then recovers on the next attempt', async () => {
    const tracked = trackedFetch();
    const { get } = await serve({ keys: { fetch: tracked.fetch } });
    expect((await get(await token())).status).toBe(200);
    issuer.jwks = { kind: 'status', status: 500 };
    const statuses = new Set<number>();
    for (let second = 0; second < 120; second++) {
      vi.setSystemTime(T0 + MAX_AGE + second * 1000);
      for (let i = 0; i < 3; i++) statuses.add((await get(await token())).status);
      await settle(() => log.of('refresh_failed').length === tracked.calls.length - 1);
    }
    expect([...statuses]).toEqual([200]);
    // Attempts at +0, 1, 3, 7, 15, 31, 61 and 91 s: 8 fetches for 360 requests.
    expect(log.of('refresh_failed').map((event) => event.retryInMs)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(issuer.jwksHits()).toBe(1 + 8);
    issuer.jwks = { kind: 'ok' };
    vi.setSystemTime(T0 + MAX_AGE + 121_000);
    expect((await get(await token())).status).toBe(200);
    await settle(() => log.of('fetched').length === 2);
    expect(log.of('fetched')[1]).toMatchObject({ trigger: 'stale' });
    // Fresh again: no fetch for the next maxAgeMs.
    vi.setSystemTime(T0 + 2 * MAX_AGE + 120_000);
    expect((await get(await token())).status).toBe(200);
    expect(issuer.jwksHits()).toBe(1 + 8 + 1);
  });

  it('answers 503 once the last good keys are older than maxAgeMs + staleIfErrorMs, and recovers after', async () => {
    const { get } = await serve();
    expect((await get(await token())).status).toBe(200);
    issuer.jwks = { kind: 'status', status: 504 };
    vi.setSystemTime(T0 + MAX_AGE + STALE_IF_ERROR - 1);
    expect((await get(await token())).status).toBe(200);
    await settle(() => log.of('refresh_failed').length === 1);
    vi.setSystemTime(T0 + MAX_AGE + STALE_IF_ERROR);
    expectUnavailable(await get(await token()), 'jwks_unavailable');
    issuer.jwks = { kind: 'ok' };
    vi.setSystemTime(T0 + MAX_AGE + STALE_IF_ERROR + 1000);
    expect((await get(await token())).status).toBe(200);
  });

  it('stops answering from the verified-token cache once the keys behind an entry may no longer serve', async () => {
    const { get } = await serve({ cache: { maxTtlMs: 24 * 3600_000 }, keys: { staleIfErrorMs: 60_000 } });
    const long = await signToken(key, { iss: issuer.url, aud: AUDIENCE }, { expiresIn: 24 * 3600 });
    expect((await get(long)).status).toBe(200);
    issuer.jwks = { kind: 'status', status: 500 };
    vi.setSystemTime(T0 + MAX_AGE + 59_999);
    expect((await get(long)).status).toBe(200);
    vi.setSystemTime(T0 + MAX_AGE + 60_000);
    expectUnavailable(await get(long), 'jwks_unavailable');
  });
});
