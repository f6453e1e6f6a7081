/**
 * Key-management options: defaults, validation (a `TypeError` naming the option), and the signature that
 * decides which verifiers may share a key store.
 */
import type { FetchLike } from '../../http/fetch-json.js';
import { fail as failOption, numberOption, optionsObject } from '../../options/option-checks.js';
import type { KeyStoreOptions } from './key-store.js';

/**
 * How issuer metadata and JSON Web Key Sets are fetched and cached. Stores are shared per JWKS URI by
 * every verifier of the process that uses the same key options.
 */
export interface KeyOptions {
  /**
   * Milliseconds a fetched key set (and issuer metadata) is fresh. After that it is refreshed in the
   * background on the next request while the cached copy keeps serving.
   * @default 600000 (10 minutes)
   */
  maxAgeMs?: number;
  /**
   * Milliseconds during which a token with an unknown `kid` is rejected without another fetch, counted from
   * the start of the last fetch after which a token's `kid` was still missing (the set did not hold it, or
   * the fetch failed). Routine fetches (the first one, scheduled refreshes, `ready()`) start no window when
   * they find every `kid` asked for, so a key published just after one costs one fetch and no refusal. A flood
   * of made-up `kid`s causes at most one fetch per window.
   * @default 30000
   */
  cooldownMs?: number;
  /**
   * Milliseconds, past {@link KeyOptions.maxAgeMs}, during which the last good key set keeps serving while
   * refreshes fail (stale-if-error). Past it, requests get 503 until a fetch succeeds.
   * @default 3600000 (1 hour)
   */
  staleIfErrorMs?: number;
  /**
   * Deadline in milliseconds for one fetch, covering connect, headers and the whole body.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Largest accepted response body in bytes; a larger one is refused without buffering it.
   * @default 524288 (512 KiB)
   */
  maxResponseBytes?: number;
  /**
   * First retry delay in milliseconds after a failed fetch; doubles on each further failure.
   * @default 1000
   */
  retryMinMs?: number;
  /**
   * Largest retry delay in milliseconds.
   * @default 30000
   */
  retryMaxMs?: number;
  /**
   * Hosts (`host` or `host:port`) that redirects may lead to, besides the host of the original URL.
   * Redirects to any other host are refused; at most 3 redirects are followed.
   * @default []
   */
  allowedRedirectHosts?: readonly string[];
  /** A custom `fetch`, for proxies and instrumentation. @default globalThis.fetch */
  fetch?: FetchLike;
}

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
  failOption(`keys.${name}`, expectation);
}

/** Validates `input` (the `keys` option) and fills in defaults. Throws a `TypeError` naming a bad option. */
export function resolveKeyOptions(input: KeyOptions | undefined): ResolvedKeyOptions {
  const given: Record<string, unknown> = { ...optionsObject(input, 'keys', KNOWN_KEYS) };
  const numbers: Record<keyof typeof KEY_DEFAULTS, number> = { ...KEY_DEFAULTS };
  for (const name of NUMERIC_KEYS) numbers[name] = numberOption(given[name], `keys.${name}`, { min: 0 }) ?? numbers[name];
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
