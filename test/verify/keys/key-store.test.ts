import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEY_EVENTS_CHANNEL } from '../../../src/index.js';
import { KeyFetchError } from '../../../src/http/fetch-json.js';
import type { KeyEntry } from '../../../src/verify/keys/jwk-set.js';
import { resolveKeyOptions } from '../../../src/verify/keys/key-options.js';
import { isKeyMiss, KeyStore, type KeyLookup, type KeyMiss } from '../../../src/verify/keys/key-store.js';
import type { FetchLike } from '../../../src/http/fetch-json.js';
import type { KeyOptions } from '../../../src/verify/keys/key-options.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, type TestKey } from '../../helpers/keys.js';
import { recordKeyEvents, settle, trackedFetch, type KeyEventLog } from './support.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const MAX_AGE = 600_000;
const COOLDOWN = 30_000;
const STALE_IF_ERROR = 3_600_000;

let k1: TestKey;
let k2: TestKey;
let k3: TestKey;
let server: IssuerServer;
let log: KeyEventLog;

beforeAll(async () => {
  [k1, k2, k3] = await Promise.all([createTestKey('RS256'), createTestKey('ES256'), createTestKey('RS256')]);
});
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  server = await startIssuerServer({ keys: [k1.jwk, k2.jwk] });
  log = recordKeyEvents(server.url);
});
afterEach(async () => {
  log.stop();
  vi.useRealTimers();
  await server.close();
});

function storeFor(keys: KeyOptions = {}): KeyStore {
  return new KeyStore(server.jwksUri, resolveKeyOptions(keys));
}

function at(offsetMs: number): number {
  vi.setSystemTime(T0 + offsetMs);
  return T0 + offsetMs;
}

function now(): number {
  return Date.now();
}

/** The lookup, which must have been answered without waiting. */
function immediate(lookup: KeyLookup): KeyEntry | KeyMiss {
  expect(lookup).not.toBeInstanceOf(Promise);
  return lookup as KeyEntry | KeyMiss;
}

function kidOf(found: KeyEntry | KeyMiss): string | undefined {
  if (isKeyMiss(found)) throw new Error(`expected a key, got ${found.miss}`);
  return found.kid;
}

/** A store that has loaded the set at T0. */
async function warmStore(keys: KeyOptions = {}): Promise<KeyStore> {
  const store = storeFor(keys);
  expect(kidOf(await store.select('RS256', k1.kid, now()))).toBe(k1.kid);
  expect(server.jwksHits()).toBe(1);
  return store;
}

describe('KeyStore: loading and freshness', () => {
  it('fetches on the first lookup, then answers from memory without waiting', async () => {
    const store = storeFor();
    const first = store.select('RS256', k1.kid, now());
    expect(first).toBeInstanceOf(Promise);
    expect(kidOf(await first)).toBe(k1.kid);
    expect(kidOf(immediate(store.select('ES256', k2.kid, now())))).toBe(k2.kid);
    expect(server.jwksHits()).toBe(1);
    expect(log.of('fetched')).toMatchObject([
      { resource: 'jwks', url: server.jwksUri, trigger: 'initial', keys: 2, skipped: 0 },
    ]);
  });

  it('shares one fetch among 100 concurrent cold lookups', async () => {
    const store = storeFor();
    const results = await Promise.all(Array.from({ length: 100 }, () => store.select('RS256', k1.kid, now())));
    expect(results.map(kidOf)).toEqual(Array(100).fill(k1.kid));
    expect(server.jwksHits()).toBe(1);
  });

  it('does not fetch again while the set is younger than maxAgeMs', async () => {
    const store = await warmStore();
    immediate(store.select('RS256', k1.kid, at(MAX_AGE - 1)));
    expect(server.jwksHits()).toBe(1);
  });

  it('serves a set past maxAgeMs at once and refreshes it once in the background (stale-while-revalidate)', async () => {
    const store = await warmStore();
    server.keys = [k1.jwk, k3.jwk];
    const t = at(MAX_AGE);
    for (let i = 0; i < 20; i++) expect(kidOf(immediate(store.select('RS256', k1.kid, t)))).toBe(k1.kid);
    await settle(() => log.of('fetched').length === 2);
    expect(server.jwksHits()).toBe(2);
    expect(log.of('fetched')[1]).toMatchObject({ trigger: 'stale' });
    expect(log.of('rotated')).toEqual([
      { type: 'rotated', resource: 'jwks', url: server.jwksUri, added: [k3.kid], removed: [k2.kid] },
    ]);
    expect(kidOf(immediate(store.select('RS256', k3.kid, now())))).toBe(k3.kid);
    // The routine refresh started no cooldown: the removed kid costs one confirming fetch, then none.
    expect(await store.select('ES256', k2.kid, now())).toMatchObject({ miss: 'not_found' });
    expect(immediate(store.select('ES256', k2.kid, now()))).toMatchObject({ miss: 'not_found' });
    expect(server.jwksHits()).toBe(3);
  });

  it('answers a lookup that names no kid when exactly one key fits, and calls several fitting keys ambiguous', async () => {
    const store = await warmStore();
    expect(kidOf(immediate(store.select('ES256', undefined, now())))).toBe(k2.kid);
    server.keys = [k1.jwk, k3.jwk];
    at(MAX_AGE);
    store.select('ES256', k2.kid, now());
    await settle(() => log.of('fetched').length === 2);
    expect(immediate(store.select('RS256', undefined, now()))).toMatchObject({ miss: 'ambiguous' });
    expect(server.jwksHits()).toBe(2);
  });

  it('marks a removed key untrusted at once and extends the trust of a kept key', async () => {
    const store = await warmStore();
    const kept = immediate(store.select('RS256', k1.kid, now())) as KeyEntry;
    const removed = immediate(store.select('ES256', k2.kid, now())) as KeyEntry;
    expect(kept.validUntil).toBe(T0 + MAX_AGE + STALE_IF_ERROR);
    server.keys = [k1.jwk];
    store.select('RS256', k1.kid, at(MAX_AGE + 5));
    await settle(() => log.of('fetched').length === 2);
    expect(removed.validUntil).toBe(0);
    expect(kept.validUntil).toBe(T0 + 2 * MAX_AGE + 5 + STALE_IF_ERROR);
    expect(immediate(store.select('RS256', k1.kid, now()))).toBe(kept);
  });
});

describe('KeyStore: unknown kid', () => {
  it('rejects an unknown kid without fetching within cooldownMs of a fetch that missed a kid', async () => {
    const store = await warmStore();
    expect(await store.select('RS256', 'nope', at(1_000))).toMatchObject({ miss: 'not_found' });
    expect(server.jwksHits()).toBe(2);
    expect(immediate(store.select('RS256', 'other', at(1_000 + COOLDOWN - 1)))).toMatchObject({ miss: 'not_found' });
    expect(server.jwksHits()).toBe(2);
  });

  it('starts no cooldown with a fetch that found every key asked for: a new kid right after it costs one fetch', async () => {
    const store = await warmStore();
    server.keys = [k1.jwk, k2.jwk, k3.jwk];
    const found = store.select('RS256', k3.kid, at(1));
    expect(found).toBeInstanceOf(Promise);
    expect(kidOf(await found)).toBe(k3.kid);
    expect(server.jwksHits()).toBe(2);
    expect(log.of('fetched').map((event) => event.trigger)).toEqual(['initial', 'unknown_kid']);
  });

  it('starts no cooldown with a routine refresh: a kid published after it costs one fetch and is found', async () => {
    const store = await warmStore();
    store.select('RS256', k1.kid, at(MAX_AGE));
    await settle(() => log.of('fetched').length === 2);
    server.keys = [k1.jwk, k2.jwk, k3.jwk];
    expect(kidOf(await store.select('RS256', k3.kid, at(MAX_AGE + 1)))).toBe(k3.kid);
    expect(log.of('fetched').map((event) => event.trigger)).toEqual(['initial', 'stale', 'unknown_kid']);
    // A made-up kid then costs one fetch, which starts the cooldown; the next one costs none.
    expect(await store.select('RS256', 'made-up-1', at(MAX_AGE + 2))).toMatchObject({ miss: 'not_found' });
    expect(immediate(store.select('RS256', 'made-up-2', at(MAX_AGE + 2 + COOLDOWN - 1)))).toMatchObject({ miss: 'not_found' });
    expect(server.jwksHits()).toBe(4);
  });

  it('starts no cooldown with ready(): a new kid right after the warm-up costs one fetch and is found', async () => {
    const store = storeFor();
    await store.ready();
    server.keys = [k1.jwk, k2.jwk, k3.jwk];
    expect(kidOf(await store.select('RS256', k3.kid, at(1)))).toBe(k3.kid);
    expect(log.of('fetched').map((event) => event.trigger)).toEqual(['ready', 'unknown_kid']);
  });

  it('refetches once for a flood of unknown kids after the cooldown, shared by every lookup', async () => {
    const store = await warmStore();
    const t = at(COOLDOWN);
    const lookups = Array.from({ length: 200 }, (_, i) => store.select('RS256', `random-${i}`, t));
    const results = await Promise.all(lookups);
    expect(results.every((result) => isKeyMiss(result) && result.miss === 'not_found')).toBe(true);
    expect(server.jwksHits()).toBe(2);
    expect(log.of('fetched')[1]).toMatchObject({ trigger: 'unknown_kid' });
    // The next window opens cooldownMs after that fetch, not before.
    expect(immediate(store.select('RS256', 'again', at(2 * COOLDOWN - 1)))).toMatchObject({ miss: 'not_found' });
    expect(await store.select('RS256', 'again', at(2 * COOLDOWN))).toMatchObject({ miss: 'not_found' });
    expect(server.jwksHits()).toBe(3);
  });

  it('finds a key that appeared at the issuer with exactly one refetch', async () => {
    const store = await warmStore();
    server.keys = [k1.jwk, k2.jwk, k3.jwk];
    const t = at(COOLDOWN);
    const [a, b] = await Promise.all([store.select('RS256', k3.kid, t), store.select('RS256', k3.kid, t)]);
    expect([kidOf(a!), kidOf(b!)]).toEqual([k3.kid, k3.kid]);
    expect(server.jwksHits()).toBe(2);
    expect(log.of('rotated')).toMatchObject([{ added: [k3.kid], removed: [] }]);
  });

  it('answers unavailable, not not_found, for an unknown kid whose refetch fails', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 500 };
    const miss = (await store.select('RS256', k3.kid, at(COOLDOWN))) as KeyMiss;
    expect(miss).toMatchObject({ miss: 'unavailable', resource: 'jwks' });
    expect(miss.cause).toBeInstanceOf(KeyFetchError);
    // During the backoff and the cooldown: still unavailable, and no fetch.
    expect(immediate(store.select('RS256', 'other', at(COOLDOWN + 500)))).toMatchObject({ miss: 'unavailable' });
    expect(server.jwksHits()).toBe(2);
    // Keys already known keep working meanwhile.
    expect(kidOf(immediate(store.select('RS256', k1.kid, now())))).toBe(k1.kid);
  });

  it('sets Retry-After for an unknown kid during an outage to the end of the cooldown that blocks the next fetch', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 500 };
    // The refetch fails: backoff 1 s, but the next unknown-kid fetch waits for the 30 s cooldown.
    expect(await store.select('RS256', 'new-1', at(COOLDOWN))).toMatchObject({ miss: 'unavailable', retryAfterMs: 30_000 });
    expect(immediate(store.select('RS256', 'new-2', at(COOLDOWN + 1_000)))).toMatchObject({ retryAfterMs: 29_000 });
    expect(immediate(store.select('RS256', 'new-3', at(COOLDOWN + 20_000)))).toMatchObject({ retryAfterMs: 10_000 });
    expect(immediate(store.select('RS256', 'new-4', at(2 * COOLDOWN - 1)))).toMatchObject({ retryAfterMs: 1000 });
    expect(server.jwksHits()).toBe(2);
    // The cooldown is over exactly when Retry-After said: the next unknown kid fetches.
    expect(await store.select('RS256', 'new-5', at(2 * COOLDOWN))).toMatchObject({ retryAfterMs: 30_000 });
    expect(server.jwksHits()).toBe(3);
  });

  it('sets Retry-After for an unknown kid to the backoff when the backoff outlasts the cooldown', async () => {
    const store = await warmStore({ cooldownMs: 1_000, retryMinMs: 8_000, retryMaxMs: 8_000 });
    server.jwks = { kind: 'status', status: 500 };
    expect(await store.select('RS256', 'new-1', at(COOLDOWN))).toMatchObject({ retryAfterMs: 8_000 });
    expect(immediate(store.select('RS256', 'new-2', at(COOLDOWN + 3_000)))).toMatchObject({ retryAfterMs: 5_000 });
    expect(server.jwksHits()).toBe(2);
    expect(await store.select('RS256', 'new-3', at(COOLDOWN + 8_000))).toMatchObject({ miss: 'unavailable' });
    expect(server.jwksHits()).toBe(3);
  });

  it('sets Retry-After for an unknown kid to when the set turns stale, if that comes before the end of the cooldown', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 500 };
    expect(await store.select('RS256', 'new-1', at(MAX_AGE - 10_000))).toMatchObject({ retryAfterMs: 10_000 });
    expect(server.jwksHits()).toBe(2);
    // A stale set refreshes on the next request, cooldown or not: the promised retry really happens.
    expect(await store.select('RS256', 'new-2', at(MAX_AGE))).toMatchObject({ miss: 'unavailable' });
    expect(server.jwksHits()).toBe(3);
  });
});

describe('KeyStore: failures', () => {
  it('keeps serving the last good set when a background refresh fails, and says so through events', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 503 };
    const t = at(MAX_AGE + 1);
    expect(kidOf(immediate(store.select('RS256', k1.kid, t)))).toBe(k1.kid);
    await settle(() => log.of('refresh_failed').length === 1);
    expect(log.of('refresh_failed')[0]).toEqual({
      type: 'refresh_failed',
      resource: 'jwks',
      url: server.jwksUri,
      trigger: 'stale',
      kind: 'status',
      message: `${server.jwksUri}: HTTP 503`,
      failures: 1,
      retryInMs: 1000,
      servingStale: true,
    });
    expect(kidOf(immediate(store.select('RS256', k1.kid, t)))).toBe(k1.kid);
    expect(kidOf(immediate(store.select('RS256', k1.kid, t)))).toBe(k1.kid);
    expect(log.of('served_stale')).toEqual([
      { type: 'served_stale', resource: 'jwks', url: server.jwksUri, ageMs: MAX_AGE + 1 },
    ]);
  });

  it('announces served_stale only for a copy past maxAgeMs, not after a failed unknown-kid refetch of a fresh one', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 500 };
    await store.select('RS256', 'unknown', at(COOLDOWN));
    expect(kidOf(immediate(store.select('RS256', k1.kid, at(COOLDOWN + 1))))).toBe(k1.kid);
    expect(kidOf(immediate(store.select('RS256', k1.kid, at(MAX_AGE))))).toBe(k1.kid);
    expect(log.of('served_stale')).toHaveLength(0);
    await settle(() => log.of('refresh_failed').length === 2);
    immediate(store.select('RS256', k1.kid, now()));
    expect(log.of('served_stale')).toHaveLength(1);
  });

  it.each<[string, () => void, number?]>([
    ['a non-JSON body', () => (server.jwks = { kind: 'body', body: '<html>oops</html>' })],
    ['JSON that is not a JWK Set', () => (server.jwks = { kind: 'body', body: '{"keys":{}}' })],
    ['a set with no usable keys', () => (server.keys = [{ ...k1.jwk, use: 'enc' }, { kty: 'oct', k: 'AA' }])],
    ['a hang past the timeout', () => (server.jwks = { kind: 'hang' }), 300],
  ])('treats %s as a failed refresh and keeps the last good keys', async (_name, breakIt, timeoutMs) => {
    const store = await warmStore(timeoutMs === undefined ? {} : { timeoutMs });
    breakIt();
    expect(kidOf(immediate(store.select('RS256', k1.kid, at(MAX_AGE))))).toBe(k1.kid);
    await settle(() => log.of('refresh_failed').length === 1);
    expect(kidOf(immediate(store.select('RS256', k1.kid, now())))).toBe(k1.kid);
    expect(log.of('served_stale')).toHaveLength(1);
  });

  it('backs off exponentially from retryMinMs to retryMaxMs while the endpoint stays down', async () => {
    const tracked = trackedFetch();
    const store = await warmStore({ retryMinMs: 1000, retryMaxMs: 8000, fetch: tracked.fetch });
    server.jwks = { kind: 'status', status: 500 };
    let t = MAX_AGE;
    for (let step = 0; step < 40; step++) {
      store.select('RS256', k1.kid, at(t));
      await settle(() => log.of('refresh_failed').length === tracked.calls.length - 1);
      t += 500;
    }
    // 20 s of requests every 500 ms: attempts at +0, +1, +3, +7, +15 s (delays 1, 2, 4, 8, 8 s).
    expect(log.of('refresh_failed').map((event) => event.retryInMs)).toEqual([1000, 2000, 4000, 8000, 8000]);
    expect(server.jwksHits()).toBe(1 + 5);
  });

  it('recovers on the first attempt after the endpoint comes back', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 500 };
    store.select('RS256', k1.kid, at(MAX_AGE));
    await settle(() => log.of('refresh_failed').length === 1);
    server.jwks = { kind: 'ok' };
    store.select('RS256', k1.kid, at(MAX_AGE + 999));
    expect(server.jwksHits()).toBe(2);
    store.select('RS256', k1.kid, at(MAX_AGE + 1000));
    await settle(() => log.of('fetched').length === 2);
    expect(log.of('fetched')[1]).toMatchObject({ trigger: 'stale' });
    // Fresh again: the next maxAgeMs passes without a fetch.
    immediate(store.select('RS256', k1.kid, at(2 * MAX_AGE + 999)));
    expect(server.jwksHits()).toBe(3);
  });

  it('stops serving the last good set maxAgeMs + staleIfErrorMs after it was fetched', async () => {
    const store = await warmStore({ staleIfErrorMs: 60_000 });
    server.jwks = { kind: 'status', status: 500 };
    expect(kidOf(immediate(store.select('RS256', k1.kid, at(MAX_AGE + 59_999))))).toBe(k1.kid);
    await settle(() => log.of('refresh_failed').length === 1);
    // Past the window, inside the backoff: unavailable at once, without a fetch.
    const miss = (await store.select('RS256', k1.kid, at(MAX_AGE + 60_000))) as KeyMiss;
    expect(miss).toMatchObject({ miss: 'unavailable', resource: 'jwks', retryAfterMs: 1000 });
    expect(server.jwksHits()).toBe(2);
    // After the backoff: one more attempt, which fails with nothing left to serve.
    expect(await store.select('RS256', k1.kid, at(MAX_AGE + 61_000))).toMatchObject({ miss: 'unavailable' });
    expect(server.jwksHits()).toBe(3);
    expect(log.of('refresh_failed')[1]).toMatchObject({ trigger: 'expired', servingStale: false, failures: 2 });
  });

  it('measures Retry-After from the failure, not from the start of a request whose fetch failed slowly', async () => {
    vi.useRealTimers();
    server.jwks = { kind: 'hang' };
    const store = storeFor({ timeoutMs: 400 });
    const started = performance.now();
    const miss = await store.select('RS256', k1.kid, Date.now());
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    // The next attempt is 1 s after the failure, so 1 s from now, not 1 s plus the 400 ms already waited.
    expect(miss).toMatchObject({ miss: 'unavailable', retryAfterMs: 1000 });
  });

  it('keeps Retry-After at the backoff delay after a failure that took longer than retryMaxMs', async () => {
    server.jwks = { kind: 'status', status: 500 };
    // The controlled clock moves 10 s while the request is on its way: a slow failure.
    const slow: FetchLike = (url, init) => {
      vi.setSystemTime(Date.now() + 10_000);
      return globalThis.fetch(url, init);
    };
    const store = storeFor({ retryMinMs: 2_000, retryMaxMs: 2_000, timeoutMs: 20_000, fetch: slow });
    expect(await store.select('RS256', k1.kid, now())).toMatchObject({ miss: 'unavailable', retryAfterMs: 2_000 });
    expect(await store.select('RS256', k1.kid, at(10_000 + 500))).toMatchObject({ retryAfterMs: 1_500 });
  });

  it('answers unavailable on a cold start that fails, and waits for the backoff before trying again', async () => {
    server.jwks = { kind: 'status', status: 500 };
    const store = storeFor();
    const lookups = await Promise.all(Array.from({ length: 20 }, () => store.select('RS256', k1.kid, now())));
    expect(lookups.every((found) => isKeyMiss(found) && found.miss === 'unavailable')).toBe(true);
    expect(server.jwksHits()).toBe(1);
    expect(await store.select('RS256', k1.kid, at(999))).toMatchObject({ miss: 'unavailable', retryAfterMs: 1000 });
    expect(server.jwksHits()).toBe(1);
    server.jwks = { kind: 'ok' };
    expect(kidOf(await store.select('RS256', k1.kid, at(1000)))).toBe(k1.kid);
    expect(server.jwksHits()).toBe(2);
  });
});

describe('KeyStore: events', () => {
  it('publishes its events on the bearer-guard:keys diagnostics channel', async () => {
    const seen: unknown[] = [];
    const listener = (message: unknown): void => {
      seen.push(message);
    };
    subscribe(KEY_EVENTS_CHANNEL, listener);
    try {
      await warmStore();
    } finally {
      unsubscribe(KEY_EVENTS_CHANNEL, listener);
    }
    expect(KEY_EVENTS_CHANNEL).toBe('bearer-guard:keys');
    expect(seen).toContainEqual({
      type: 'fetched',
      resource: 'jwks',
      url: server.jwksUri,
      trigger: 'initial',
      durationMs: 0,
      keys: 2,
      skipped: 0,
    });
  });

  it('never puts key material in an event', async () => {
    const store = await warmStore();
    server.keys = [k1.jwk, k3.jwk];
    store.select('RS256', k1.kid, at(MAX_AGE));
    await settle(() => log.of('rotated').length === 1);
    const text = JSON.stringify(log.events);
    expect(text).not.toContain(String(k1.jwk.n).slice(0, 32));
    expect(text).not.toContain(String(k3.jwk.n).slice(0, 32));
  });
});

describe('KeyStore: clock steps', () => {
  it('retries at once rather than waiting out a backoff scheduled before the clock was set back an hour', async () => {
    server.jwks = { kind: 'status', status: 500 };
    const store = storeFor();
    expect(await store.select('RS256', k1.kid, now())).toMatchObject({ miss: 'unavailable', retryAfterMs: 1000 });
    server.jwks = { kind: 'ok' };
    expect(kidOf(await store.select('RS256', k1.kid, at(-3_600_000)))).toBe(k1.kid);
    expect(server.jwksHits()).toBe(2);
  });

  it('treats a copy fetched "in the future" as stale: serves it and refreshes it in the background', async () => {
    const store = await warmStore();
    expect(kidOf(immediate(store.select('RS256', k1.kid, at(-60_000))))).toBe(k1.kid);
    await settle(() => log.of('fetched').length === 2);
    expect(log.of('fetched')[1]).toMatchObject({ trigger: 'stale' });
    // Re-anchored on the new clock: fresh for maxAgeMs from here.
    immediate(store.select('RS256', k1.kid, at(-60_000 + MAX_AGE - 1)));
    expect(server.jwksHits()).toBe(2);
  });

  it('keeps Retry-After within retryMaxMs when the clock was set back during a backoff', async () => {
    const store = await warmStore();
    server.jwks = { kind: 'status', status: 500 };
    const first = await store.select('RS256', 'unknown', at(COOLDOWN));
    expect(first).toMatchObject({ miss: 'unavailable', retryAfterMs: COOLDOWN });
    const miss = await store.select('RS256', 'unknown', at(-3_600_000));
    expect(miss).toMatchObject({ miss: 'unavailable' });
    expect((miss as KeyMiss).retryAfterMs).toBeLessThanOrEqual(30_000);
  });
});

describe('KeyStore.ready', () => {
  it('loads the set, and does nothing while it is fresh and healthy', async () => {
    const store = storeFor();
    await store.ready();
    await store.ready();
    expect(server.jwksHits()).toBe(1);
    expect(log.of('fetched')).toMatchObject([{ trigger: 'ready' }]);
    expect(kidOf(immediate(store.select('RS256', k1.kid, now())))).toBe(k1.kid);
  });

  it('rejects with the fetch failure naming the URL and the fault', async () => {
    server.jwks = { kind: 'huge', bytes: 2 * 1024 * 1024, declareLength: true };
    const store = storeFor();
    const error = await store.ready().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(KeyFetchError);
    expect(error).toMatchObject({ kind: 'too_large', url: server.jwksUri });
    expect((error as Error).message).toBe(`${server.jwksUri}: body larger than 524288 bytes`);
  });
});
