/**
 * The introspector's counts, over real HTTP: one call for a herd of concurrent requests (single flight),
 * cache lifetimes (until `exp`, at most `maxTtlMs`; inactive answers for `negativeTtlMs`), the bounds in
 * entries and bytes, `cache: false`, keys that never hold the token, and the failure backoff. The clock is
 * frozen with fake `Date` where lifetimes are judged.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, type IntrospectionOptions, type SharedStore } from '../../src/index.js';
import { IntrospectionCache } from '../../src/introspection/introspection-cache.js';
import { activeAnswer, startIntrospectionServer, type IntrospectionServer } from '../helpers/introspection-server.js';

const SECRET = 'rs-secret-never-shown-0123456789';
let server: IntrospectionServer;
const answers = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  server = await startIntrospectionServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.behaviour = { kind: 'ok' };
  server.answer = (form) => answers.get(form.get('token') ?? '') ?? { active: false };
});
afterEach(() => {
  vi.useRealTimers();
});

function token(answer: Record<string, unknown> = activeAnswer(server.url)): string {
  const value = randomBytes(64).toString('base64url');
  answers.set(value, answer);
  return value;
}

function verifier(introspection: Partial<IntrospectionOptions> = {}) {
  return createVerifier({
    issuer: server.url,
    audience: 'api://receipts',
    keys: { retryMinMs: 1000, retryMaxMs: 1000 },
    introspection: { endpoint: server.endpoint, clientId: 'receipts-api', clientSecret: SECRET, ...introspection },
  });
}

function callsFor(value: string): number {
  return server.requests.filter((r) => r.form.get('token') === value).length;
}

describe('single flight', () => {
  it('makes one call for 200 concurrent requests with one new token', async () => {
    let open!: () => void;
    server.behaviour = { kind: 'gate', until: new Promise<void>((resolve) => (open = resolve)) };
    const v = verifier();
    const t = token();
    const pending = Array.from({ length: 200 }, () => v.verify(t));
    await new Promise((resolve) => setTimeout(resolve, 50));
    open();
    const identities = await Promise.all(pending);
    expect(new Set(identities).size).toBe(1);
    expect(callsFor(t)).toBe(1);
  });

  it('shares the call among concurrent requests even with cache: false, and calls again afterwards', async () => {
    const v = verifier({ cache: false });
    const t = token();
    await Promise.all(Array.from({ length: 20 }, () => v.verify(t)));
    expect(callsFor(t)).toBe(1);
    await v.verify(t);
    await v.verify(t);
    expect(callsFor(t)).toBe(3);
  });
});

describe('cache lifetimes', () => {
  const NOW = 1_900_000_000;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW * 1000);
  });

  it('reuses an active answer for maxTtlMs, then asks again', async () => {
    const v = verifier({ cache: { maxTtlMs: 60_000 } });
    const t = token(activeAnswer(server.url, { exp: NOW + 3600 }));
    for (let i = 0; i < 50; i++) await v.verify(t);
    expect(callsFor(t)).toBe(1);
    vi.setSystemTime((NOW + 59) * 1000);
    await v.verify(t);
    expect(callsFor(t)).toBe(1);
    vi.setSystemTime((NOW + 61) * 1000);
    await v.verify(t);
    expect(callsFor(t)).toBe(2);
  });

  it("keeps an active answer no longer than the token's exp", async () => {
    const v = verifier({ cache: { maxTtlMs: 600_000 } });
    const t = token(activeAnswer(server.url, { exp: NOW + 30 }));
    await v.verify(t);
    vi.setSystemTime((NOW + 29) * 1000);
    await v.verify(t);
    expect(callsFor(t)).toBe(1);
    vi.setSystemTime((NOW + 31) * 1000);
    await v.verify(t); // still within the clock tolerance: asked again, and still active
    expect(callsFor(t)).toBe(2);
  });

  it('reuses an inactive answer for negativeTtlMs only', async () => {
    const v = verifier({ cache: { negativeTtlMs: 5000 } });
    const t = token({ active: false });
    for (let i = 0; i < 20; i++) await expect(v.verify(t)).rejects.toMatchObject({ status: 401, reason: 'token_inactive' });
    expect(callsFor(t)).toBe(1);
    vi.setSystemTime(NOW * 1000 + 5001);
    await expect(v.verify(t)).rejects.toMatchObject({ reason: 'token_inactive' });
    expect(callsFor(t)).toBe(2);
  });

  it('judges the clock on every use of a cached answer', async () => {
    const v = verifier();
    const t = token(activeAnswer(server.url, { exp: NOW + 3600, nbf: NOW + 90 }));
    await expect(v.verify(t)).rejects.toMatchObject({ reason: 'token_not_yet_valid' });
    vi.setSystemTime((NOW + 40) * 1000);
    expect((await v.verify(t)).clientId).toBe('payments');
    expect(callsFor(t)).toBe(1);
  });

  it('holds at most maxEntries answers, least recently used out', async () => {
    const v = verifier({ cache: { maxEntries: 3 } });
    const tokens = Array.from({ length: 4 }, () => token());
    for (const t of tokens) await v.verify(t);
    await v.verify(tokens[3]!);
    await v.verify(tokens[0]!);
    expect(tokens.map(callsFor)).toEqual([2, 1, 1, 1]);
  });
});

describe('the bounds of the cache', () => {
  it('counts each entry by the size of its answer and never exceeds maxBytes', () => {
    const cache = new IntrospectionCache<string>({ maxEntries: 1000, maxBytes: 10_000 });
    for (let i = 0; i < 50; i++) cache.set(`k${i}`, 'v', Date.now() + 60_000, 1000);
    expect(cache.bytes).toBeLessThanOrEqual(10_000);
    expect(cache.size).toBe(2); // each entry counts 3 × 1000 + 512 bytes
    expect(cache.get('k49', Date.now())).toBe('v');
    expect(cache.get('k0', Date.now())).toBeUndefined();
    cache.set('huge', 'v', Date.now() + 60_000, 100_000);
    expect(cache.get('huge', Date.now())).toBeUndefined();
  });
});

describe('what the cache is keyed by', () => {
  it('stores under the SHA-256 of the token, never the token, and never stores the token or a credential', async () => {
    const writes: [string, string][] = [];
    const keys: string[] = [];
    const memory = new Map<string, string>();
    const store: SharedStore = {
      addIfAbsent: async (key, value) => {
        keys.push(key);
        if (memory.has(key)) return false;
        memory.set(key, value);
        return true;
      },
      get: async (key) => {
        keys.push(key);
        return memory.get(key);
      },
      set: async (key, value) => {
        keys.push(key);
        writes.push([key, value]);
        memory.set(key, value);
      },
    };
    const t = token(activeAnswer(server.url, { private_key: 'PRIVATE-KEY-MATERIAL' }));
    await verifier({ cache: { store } }).verify(t);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toHaveLength(1);
    for (const text of [...keys, ...writes.flat()]) {
      expect(text).not.toContain(t);
      expect(text).not.toContain(t.slice(0, 20));
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('PRIVATE-KEY-MATERIAL');
    }
    expect(JSON.parse(writes[0]![1]).answer).toMatchObject({ active: true, client_id: 'payments' });
  });
});

describe('maxConcurrentCalls', () => {
  it('answers 503 without a call to a token past the limit of calls in flight, and holds nothing back after', async () => {
    let open!: () => void;
    server.behaviour = { kind: 'gate', until: new Promise<void>((resolve) => (open = resolve)) };
    const v = verifier({ maxConcurrentCalls: 2 });
    const [a, b, c] = [token(), token(), token()];
    const first = [v.verify(a), v.verify(a), v.verify(b)]; // two calls: one per token
    await expect(v.verify(c)).rejects.toMatchObject({ status: 503, reason: 'introspection_unavailable', headers: { 'Retry-After': '1' } });
    expect(callsFor(c)).toBe(0);
    open();
    expect((await Promise.all(first)).map((auth) => auth.clientId)).toEqual(['payments', 'payments', 'payments']);
    server.behaviour = { kind: 'ok' };
    expect((await v.verify(c)).clientId).toBe('payments');
  });
});

describe('the failure backoff', () => {
  it('answers 503 without calling while the backoff lasts, then calls again and recovers', async () => {
    const v = verifier();
    server.behaviour = { kind: 'status', status: 500 };
    const first = token();
    await expect(v.verify(first)).rejects.toMatchObject({ status: 503, reason: 'introspection_unavailable', headers: { 'Retry-After': '1' } });
    server.behaviour = { kind: 'ok' };
    const during = token();
    await expect(v.verify(during)).rejects.toMatchObject({ status: 503, reason: 'introspection_unavailable' });
    expect(callsFor(during)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    expect((await v.verify(during)).clientId).toBe('payments');
    expect(callsFor(during)).toBe(1);
  });

  it.each([400, 413, 414])('answers 503 to the one token the endpoint refuses with HTTP %i, without holding back the others', async (status) => {
    const v = verifier();
    const odd = token();
    server.behaviour = { kind: 'status-for', status, when: (form) => form.get('token') === odd };
    await expect(v.verify(odd)).rejects.toMatchObject({ status: 503, reason: 'introspection_unavailable', headers: { 'Retry-After': '1' } });
    const next = token();
    expect((await v.verify(next)).clientId).toBe('payments');
    expect(callsFor(next)).toBe(1);
  });

  it.each([401, 404, 429])('starts the backoff when the endpoint answers HTTP %i (a fault of the endpoint or of the API\'s credentials)', async (status) => {
    const v = verifier();
    server.behaviour = { kind: 'status', status };
    await expect(v.verify(token())).rejects.toMatchObject({ status: 503 });
    server.behaviour = { kind: 'ok' };
    const during = token();
    await expect(v.verify(during)).rejects.toMatchObject({ status: 503 });
    expect(callsFor(during)).toBe(0);
  });
});
