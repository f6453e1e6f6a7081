/**
 * Key-management options: defaults, validation (a `TypeError` naming the option), and the signature that
 * decides which verifiers may share a key store.
 */
import type { FetchLike, KeyOptions } from '../types.js';
import type { KeyStoreOptions } from './key-store.js';

/** Key options with every default applied. */
export interface ResolvedKeyOptions extends KeyStoreOptions {
  /** Equal for option sets that may share stores. */
  readonly signature: string;
}

/** Defaults of {@link KeyOptions}, in milliseconds and bytes. */
export const KEY_DEFAULTS = Object.freeze({
  maxAgeMs: 600_000,
  cooldownMs: 30_000,
  staleIfErrorMs: 3_600_000,
  timeoutMs: 5_000,
  maxResponseBytes: 512 * 1024,
  retryMinMs: 1_000,
  retryMaxMs: 30_000,
});

const NUMERIC_KEYS = Object.keys(KEY_DEFAULTS) as (keyof typeof KEY_DEFAULTS)[];
const KNOWN_KEYS = new Set<string>([...NUMERIC_KEYS, 'allowedRedirectHosts', 'fetch']);
const fetchIds = new WeakMap<FetchLike, number>();
let nextFetchId = 1;

function fail(name: string, expectation: string): never {
  throw new TypeError(`bearer-guard: option "keys.${name}" ${expectation}`);
}

/** Validates `input` (the `keys` option) and fills in defaults. Throws a `TypeError` naming a bad option. */
export function resolveKeyOptions(input: KeyOptions | undefined): ResolvedKeyOptions {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new TypeError('bearer-guard: option "keys" must be an object');
  }
  const given: Record<string, unknown> = { ...input };
  for (const name of Object.keys(given)) if (!KNOWN_KEYS.has(name)) fail(name, 'is not a known option');
  const numbers: Record<keyof typeof KEY_DEFAULTS, number> = { ...KEY_DEFAULTS };
  for (const name of NUMERIC_KEYS) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) fail(name, 'must be a finite number >= 0');
    numbers[name] = value;
  }
  if (numbers.timeoutMs <= 0) fail('timeoutMs', 'must be greater than 0');
  if (numbers.maxResponseBytes < 1024) fail('maxResponseBytes', 'must be at least 1024');
  if (numbers.retryMaxMs < numbers.retryMinMs) fail('retryMaxMs', 'must not be smaller than keys.retryMinMs');
  const hosts = given.allowedRedirectHosts ?? [];
  if (!Array.isArray(hosts) || !hosts.every((host) => typeof host === 'string' && host !== '')) {
    fail('allowedRedirectHosts', 'must be an array of host names');
  }
  const fetch = given.fetch ?? globalThis.fetch;
  if (typeof fetch !== 'function') fail('fetch', 'must be a function');
  let fetchId = fetchIds.get(fetch as FetchLike);
  if (fetchId === undefined) {
    fetchId = nextFetchId++;
    fetchIds.set(fetch as FetchLike, fetchId);
  }
  const redirectHosts = [...new Set(hosts.map((host: string) => host.toLowerCase()))].sort();
  return {
    ...numbers,
    fetch: {
      timeoutMs: numbers.timeoutMs,
      maxResponseBytes: numbers.maxResponseBytes,
      allowedRedirectHosts: new Set(redirectHosts),
      fetch: fetch as FetchLike,
      accept: 'application/json',
    },
    signature: JSON.stringify([NUMERIC_KEYS.map((name) => numbers[name]), redirectHosts, fetchId]),
  };
}
