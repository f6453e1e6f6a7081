import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate, type Middleware, type VerifierOptions } from '../../../src/index.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import {
  REASON_HEADER,
  recordKeyEvents,
  settle,
  startApp,
  startUniqueIssuer,
  type KeyEventLog,
  type RunningApp,
} from './support.js';

const AUDIENCE = 'api://orders';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const COOLDOWN = 30_000;
const UNKNOWN_KEY_CHALLENGE =
  'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"';

let k1: TestKey;
let k2: TestKey;
beforeAll(async () => {
  [k1, k2] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
});

describe.each(FRAMEWORKS)('$name', ({ build }) => {
  let issuer: IssuerServer;
  let app: RunningApp | undefined;
  let log: KeyEventLog;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    issuer = await startUniqueIssuer({ keys: [k1.jwk] });
    log = recordKeyEvents(issuer.url);
  });
  afterEach(async () => {
    log.stop();
    vi.useRealTimers();
    await app?.close();
    app = undefined;
    await issuer.close();
  });

  async function serve(options: Partial<VerifierOptions> = {}, before: Middleware[] = []): Promise<RunningApp> {
    app = await startApp(build, authenticate({ issuer: issuer.url, audience: AUDIENCE, ...options }), before);
    return app;
  }

  function token(key: TestKey, header?: Record<string, unknown>): Promise<string> {
    return signToken(key, { iss: issuer.url, aud: AUDIENCE, client_id: 'billing' }, { expiresIn: 3 * 3600, header });
  }

  it('accepts a token signed with a newly published kid after exactly one refetch', async () => {
    const { get } = await serve();
    expect((await get(await token(k1))).status).toBe(200);
    expect(issuer.jwksHits()).toBe(1);
    issuer.keys = [k1.jwk, k2.jwk];
    vi.setSystemTime(T0 + COOLDOWN);
    const fresh = await token(k2);
    expect((await get(fresh)).status).toBe(200);
    expect((await get(await token(k2))).status).toBe(200);
    expect(issuer.jwksHits()).toBe(2);
    expect(issuer.discoveryHits()).toBe(1);
    expect(log.of('rotated')).toMatchObject([{ added: [k2.kid], removed: [] }]);
    expect(log.of('fetched').map((event) => event.trigger)).toEqual(['initial', 'initial', 'unknown_kid']);
  });

  it('accepts a token signed with a kid published right after the first fetch, with exactly one more fetch', async () => {
    const { get } = await serve();
    expect((await get(await token(k1))).status).toBe(200);
    issuer.keys = [k1.jwk, k2.jwk];
    vi.setSystemTime(T0 + 1_000);
    expect((await get(await token(k2))).status).toBe(200);
    expect((await get(await token(k2))).status).toBe(200);
    expect(issuer.jwksHits()).toBe(2);
    expect(log.of('fetched').map((event) => event.trigger)).toEqual(['initial', 'initial', 'unknown_kid']);
  });

  it('accepts a token signed with a kid published right after a routine refresh, with exactly one more fetch', async () => {
    const { get } = await serve({ keys: { maxAgeMs: 60_000 } });
    expect((await get(await token(k1))).status).toBe(200);
    vi.setSystemTime(T0 + 60_000);
    expect((await get(await token(k1))).status).toBe(200); // stale: served, refreshed in the background
    const jwksTriggers = (): string[] => log.of('fetched').flatMap((event) => (event.resource === 'jwks' ? [event.trigger] : []));
    await settle(() => jwksTriggers().length === 2);
    issuer.keys = [k1.jwk, k2.jwk];
    vi.setSystemTime(T0 + 61_000);
    expect((await get(await token(k2))).status).toBe(200);
    expect(issuer.jwksHits()).toBe(3);
    expect(jwksTriggers()).toEqual(['initial', 'stale', 'unknown_kid']);
  });

  it('answers 401 key_not_found without fetching for a new kid seen within the cooldown of a fetch that missed a kid', async () => {
    const { get } = await serve();
    expect((await get(await token(k1))).status).toBe(200);
    vi.setSystemTime(T0 + 1_000);
    expect((await get(await token(k1, { kid: 'made-up' }))).headers[REASON_HEADER]).toBe('key_not_found');
    expect(issuer.jwksHits()).toBe(2);
    issuer.keys = [k1.jwk, k2.jwk];
    vi.setSystemTime(T0 + 1_000 + COOLDOWN - 1);
    const res = await get(await token(k2));
    expect(res.status).toBe(401);
    expect(res.headers[REASON_HEADER]).toBe('key_not_found');
    expect(res.headers['www-authenticate']).toBe(UNKNOWN_KEY_CHALLENGE);
    expect(issuer.jwksHits()).toBe(2);
    vi.setSystemTime(T0 + 1_000 + COOLDOWN);
    expect((await get(await token(k2))).status).toBe(200);
    expect(issuer.jwksHits()).toBe(3);
  });

  it('rejects a removed kid once a refresh drops it, ending its verified-token cache entry too', async () => {
    const { get } = await serve({ keys: { maxAgeMs: 60_000 }, cache: { maxTtlMs: 3 * 3600_000 } });
    issuer.keys = [k1.jwk, k2.jwk];
    const old = await token(k2);
    expect((await get(old)).status).toBe(200);
    issuer.keys = [k1.jwk];
    vi.setSystemTime(T0 + 60_000);
    // Still inside its cache entry, and the cached set still lists k2: accepted.
    expect((await get(old)).status).toBe(200);
    // Another token reaches the stale set and starts the background refresh that drops k2.
    expect((await get(await token(k1))).status).toBe(200);
    await settle(() => log.of('rotated').length === 1);
    expect(log.of('rotated')).toMatchObject([{ added: [], removed: [k2.kid] }]);
    // The routine refresh started no cooldown: the removed kid costs one confirming fetch, then none.
    for (let i = 0; i < 3; i++) {
      const res = await get(old);
      expect(res.status).toBe(401);
      expect(res.headers[REASON_HEADER]).toBe('key_not_found');
      expect(res.headers['www-authenticate']).toBe(UNKNOWN_KEY_CHALLENGE);
    }
    expect(issuer.jwksHits()).toBe(3);
  });

  it('fetches metadata once and keys once for 200 concurrent first requests', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    issuer.discovery = { kind: 'gate', until: gate };
    let arrived = 0;
    const count: Middleware = (_req, _res, next) => {
      if (++arrived === 200) release();
      next();
    };
    const { get } = await serve({}, [count]);
    const tokens = await Promise.all(Array.from({ length: 200 }, () => token(k1)));
    const answers = await Promise.all(tokens.map((t) => get(t)));
    expect(answers.map((res) => res.status)).toEqual(Array(200).fill(200));
    expect(issuer.discoveryHits()).toBe(1);
    expect(issuer.jwksHits()).toBe(1);
  });

  it('answers 500 requests with random unknown kids 401 key_not_found with at most one fetch per cooldown window', async () => {
    const { get } = await serve({ cache: false });
    const flood = async (size = 500): Promise<void> => {
      const tokens = await Promise.all(
        Array.from({ length: size }, (_, i) => token(k1, { kid: `forged-${Date.now()}-${i}` })),
      );
      const answers = await Promise.all(tokens.map((t) => get(t)));
      expect(new Set(answers.map((res) => `${res.status} ${res.headers[REASON_HEADER]}`))).toEqual(
        new Set(['401 key_not_found']),
      );
      expect(answers.every((res) => res.headers['www-authenticate'] === UNKNOWN_KEY_CHALLENGE)).toBe(true);
    };
    await flood(); // cold: the first fetch serves the whole flood
    expect(issuer.jwksHits()).toBe(1);
    vi.setSystemTime(T0 + COOLDOWN / 2);
    await flood(100); // inside the window: no fetch at all
    expect(issuer.jwksHits()).toBe(1);
    vi.setSystemTime(T0 + COOLDOWN);
    await flood(); // a new window: one fetch, shared
    expect(issuer.jwksHits()).toBe(2);
    vi.setSystemTime(T0 + 2 * COOLDOWN - 1);
    await flood(100);
    expect(issuer.jwksHits()).toBe(2);
    expect((await get(await token(k1))).status).toBe(200);
  }, 60_000); // 1200 requests over loopback: slow on a busy machine
});
