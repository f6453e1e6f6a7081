/**
 * The bounded in-memory DPoP replay store: first sighting true, a repeat false until the proof window ends;
 * expired entries dropped; full of unexpired proofs, it refuses to take more (the request is answered 503)
 * rather than forget one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryReplayStore, createSharedReplayStore, type SharedStore } from '../../../src/index.js';
import { ReplayStoreFullError } from '../../../src/verify/binding/replay-store.js';

afterEach(() => vi.useRealTimers());

describe('createMemoryReplayStore', () => {
  it('answers true to the first sighting and false to a repeat until the entry expires', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const store = createMemoryReplayStore();
    expect(store.add('a', 1_300_000)).toBe(true);
    expect(store.add('a', 1_300_000)).toBe(false);
    expect(store.add('b', 1_300_000)).toBe(true);
    vi.setSystemTime(1_300_000);
    expect(store.add('a', 1_600_000)).toBe(true);
  });

  it('drops expired entries as new ones arrive, so a steady stream stays within one window', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = createMemoryReplayStore({ maxEntries: 10_000 });
    for (let second = 0; second < 1000; second++) {
      vi.setSystemTime(second * 1000);
      for (let i = 0; i < 10; i++) expect(store.add(`${second}-${i}`, second * 1000 + 30_000)).toBe(true);
    }
    expect(store.size).toBeLessThanOrEqual(310);
  });

  it('refuses to take a proof when full of unexpired ones, and takes proofs again once some expire', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const store = createMemoryReplayStore({ maxEntries: 3 });
    store.add('late', 300_000);
    store.add('a', 10_000);
    store.add('b', 10_000);
    expect(() => store.add('c', 10_000)).toThrow(ReplayStoreFullError);
    vi.setSystemTime(10_000);
    expect(store.add('c', 20_000)).toBe(true);
    expect(store.add('late', 400_000)).toBe(false);
    expect(store.size).toBe(2);
  });

  it('refuses options that are not a whole number of entries of at least 1', () => {
    expect(() => createMemoryReplayStore({ maxEntries: 0 })).toThrow('bearer-guard: createMemoryReplayStore() option "maxEntries" must be an integer >= 1');
    expect(() => createMemoryReplayStore({ maxEntry: 1 } as never)).toThrow('option "maxEntry" is not a known option');
  });
});

describe('createSharedReplayStore', () => {
  it('stores each proof identifier once under its prefix, for the rest of its window', async () => {
    const calls: [string, string, number][] = [];
    const taken = new Set<string>();
    const store: SharedStore = {
      addIfAbsent: async (key, value, ttlMs) => {
        calls.push([key, value, ttlMs]);
        if (taken.has(key)) return false;
        taken.add(key);
        return true;
      },
      get: async () => undefined,
      set: async () => undefined,
    };
    const replay = createSharedReplayStore(store);
    const expires = Date.now() + 60_000;
    expect(await replay.add('id', expires)).toBe(true);
    expect(await replay.add('id', expires)).toBe(false);
    expect(calls[0]![0]).toBe('dpop-jti:id');
    expect(calls[0]![2]).toBeGreaterThan(59_000);
    expect(await createSharedReplayStore(store, { prefix: 'other:' }).add('id', 0)).toBe(true);
    expect(calls[2]).toEqual(['other:id', '1', 1]);
  });

  it('refuses something that is not a shared store', () => {
    expect(() => createSharedReplayStore({} as never)).toThrow(
      'bearer-guard: createSharedReplayStore() argument "store" must be a SharedStore (such as createRedisStore())',
    );
  });
});
