/**
 * Catalogue row CR-05: two reasons to reload the key set at once can never race. A scheduled refresh (the
 * cached set went stale) and an unknown-`kid` refetch that coincide share one fetch, in either order, so
 * there is never an older response that could arrive last and overwrite a newer set. The JWK Set endpoint
 * holds its answer (`gate`) until both requests are in; the clock is a fake `Date`.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate, onKeyEvent, type Middleware, type RefreshTrigger } from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';
import { AUDIENCE, listen, startSecurityIssuer } from './support.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
/** The key set's max age; the unknown-`kid` cooldown keeps its default of 30 s. */
const MAX_AGE_MS = 60_000;

let k1: TestKey;
let k2: TestKey;
beforeAll(async () => {
  [k1, k2] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
});

/** Polls (real timers) until `check` holds. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe.each(FRAMEWORKS)('CR-05 coinciding refreshes on $name', ({ build }) => {
  let issuer: IssuerServer;
  let app: { url: string; close: () => Promise<void> };
  let triggers: RefreshTrigger[];
  let stopEvents: () => void;
  /** Called when a request reaches the guard; replaced by each test. */
  let onArrival: () => void;

  beforeEach(async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    issuer = await startSecurityIssuer([k1]);
    triggers = [];
    stopEvents = onKeyEvent((event) => {
      if (event.type === 'fetched' && event.url === issuer.jwksUri) triggers.push(event.trigger);
    });
    onArrival = () => undefined;
    const arrive: Middleware = (_req, _res, next) => {
      onArrival();
      next();
    };
    const guard = authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, cache: false, keys: { maxAgeMs: MAX_AGE_MS } });
    const server: Server = build([{ path: '/r', chain: [arrive, guard] }]);
    app = await listen(server);
  });
  afterEach(async () => {
    stopEvents();
    vi.useRealTimers();
    await app.close();
    await issuer.close();
  });

  const get = (key: TestKey): Promise<request.Response> =>
    signToken(key, { iss: issuer.url, aud: AUDIENCE }, { expiresIn: 3 * 3600 }).then((token) =>
      request(app.url).get('/r').set('Authorization', `Bearer ${token}`).then((res) => res),
    );

  /** Warms the key set with k1, then publishes k2 behind an endpoint that holds its answer until released. */
  async function rotateBehindGate(): Promise<() => void> {
    expect((await get(k1)).status).toBe(200);
    expect(issuer.jwksHits()).toBe(1);
    let release!: () => void;
    issuer.keys = [k1.jwk, k2.jwk];
    issuer.jwks = { kind: 'gate', until: new Promise<void>((resolve) => (release = resolve)) };
    return release;
  }

  it('serves a scheduled refresh and an unknown-kid refetch that follows it with one fetch', async () => {
    const release = await rotateBehindGate();
    vi.setSystemTime(T0 + MAX_AGE_MS); // stale, and past the unknown-kid cooldown
    expect((await get(k1)).status).toBe(200); // served from the stale set; starts the scheduled refresh
    await until(() => issuer.jwksHits() === 2);
    onArrival = release; // the refetch for k2 joins the fetch in flight before it is answered
    expect((await get(k2)).status).toBe(200);
    expect(issuer.jwksHits()).toBe(2);
    expect(triggers).toEqual(['initial', 'stale']);
  });

  it('serves an unknown-kid refetch and a scheduled refresh that falls due during it with one fetch', async () => {
    const release = await rotateBehindGate();
    vi.setSystemTime(T0 + MAX_AGE_MS - 1_000); // still fresh, past the cooldown: k2 starts a refetch
    const pending = get(k2);
    await until(() => issuer.jwksHits() === 2);
    vi.setSystemTime(T0 + MAX_AGE_MS); // the set falls stale while the refetch runs
    expect((await get(k1)).status).toBe(200); // served from the stale set, no second fetch started
    release();
    expect((await pending).status).toBe(200);
    expect(issuer.jwksHits()).toBe(2);
    expect(triggers).toEqual(['initial', 'unknown_kid']);
  });
});
