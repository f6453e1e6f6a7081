/**
 * Where the keys of one configured issuer come from: a fixed JWKS URI, or the `jwks_uri` of the issuer's
 * discovered metadata (followed if it changes).
 *
 * A request waits at most `timeoutMs` for keys: one key-set fetch is bounded by it, and so is a cold
 * discovered issuer's whole path (every metadata location, then the key set). A key-set fetch that outlasts
 * a request's share of that deadline keeps running for the requests that follow.
 */
import { performance } from 'node:perf_hooks';
import type { MetadataStore } from './discovery.js';
import { KeyFetchError } from '../../http/fetch-json.js';
import type { ResolvedKeyOptions } from './key-options.js';
import type { KeyEntry } from './jwk-set.js';
import type { KeyLookup, KeyMiss, KeySetStatus, KeyStore } from './key-store.js';
import type { RefreshStatus } from './refreshing-value.js';
import { sharedKeyStore, sharedMetadataStore } from './registry.js';

/** Selects verification keys for one configured issuer. */
export interface KeySource {
  /** The key for `alg`/`kid` (see {@link KeyStore.select}). */
  select(alg: string, kid: string | undefined, now: number): KeyLookup;
  /**
   * Time (ms, `Date.now()` clock) at which the metadata or the key set in use becomes due for a refresh. From
   * then on a verified-token cache hit selects its key again (see {@link select}), which starts the refresh
   * and confirms that the key is still the one selected.
   */
  freshUntil(): number;
  /** Loads metadata and keys now; rejects with {@link KeyFetchError} naming what failed. */
  ready(): Promise<void>;
  /** The state of the metadata (discovered keys only) and of the key set in use, at `now`. */
  status(now: number): KeySourceStatus;
}

/** What {@link KeySource.status} reports. */
export interface KeySourceStatus {
  /** The issuer metadata, for keys found through discovery. */
  readonly metadata?: RefreshStatus;
  /** The key set in use; absent while discovery has not named one. */
  readonly jwks?: KeySetStatus;
}

/** Keys from a fixed JWKS URI. */
export function createStaticKeySource(jwksUri: string, options: ResolvedKeyOptions): KeySource {
  const store = sharedKeyStore(jwksUri, options);
  return {
    select: (alg, kid, now) => store.select(alg, kid, now),
    freshUntil: () => store.freshUntil,
    ready: () => store.ready(),
    status: (now) => ({ jwks: store.status(now) }),
  };
}

/** Keys from the `jwks_uri` that `issuer`'s metadata names. */
export function createDiscoveredKeySource(issuer: string, options: ResolvedKeyOptions): KeySource {
  const metadata: MetadataStore = sharedMetadataStore(issuer, options);
  let last: KeyStore | undefined;
  const storeFor = (jwksUri: string): KeyStore => {
    if (last === undefined || last.url !== jwksUri) last = sharedKeyStore(jwksUri, options);
    return last;
  };
  const unavailable = (error: unknown): KeyMiss => ({
    miss: 'unavailable',
    resource: 'metadata',
    // Measured from the failure, not from the request: a slow failure has used up part of the wait.
    retryAfterMs: metadata.retryAfterMs(Date.now()),
    cause: error instanceof KeyFetchError ? error : undefined,
  });
  return {
    select(alg, kid, now) {
      const current = metadata.usable(now);
      if (current !== undefined) return storeFor(current.jwksUri).select(alg, kid, now);
      if (last !== undefined) {
        // The metadata outlived its stale-if-error window, but it only points at the key set: keep using the
        // last one it named (whose own freshness rules still hold) and retry discovery in the background.
        metadata.refreshInBackground(now);
        return last.select(alg, kid, now);
      }
      const deadline = performance.now() + options.fetch.timeoutMs;
      return metadata.load().then(
        (loaded) => {
          const store = storeFor(loaded.jwksUri);
          return withinDeadline(store.select(alg, kid, Date.now()), deadline, store.url, options.fetch.timeoutMs);
        },
        (error: unknown) => unavailable(error),
      );
    },
    freshUntil() {
      // Before the first selection there is no key set in use: due at once.
      return last === undefined ? 0 : Math.min(metadata.freshUntil, last.freshUntil);
    },
    async ready() {
      const current = metadata.usable(Date.now()) ?? (await metadata.load());
      await storeFor(current.jwksUri).ready();
    },
    status(now) {
      const jwks = last?.status(now);
      return jwks === undefined ? { metadata: metadata.status(now) } : { metadata: metadata.status(now), jwks };
    },
  };
}

/**
 * `lookup`, or an `unavailable` miss once the monotonic clock reaches `deadline` first. The fetch behind the
 * lookup is shared and keeps its own deadline; only this request stops waiting for it.
 */
function withinDeadline(lookup: KeyLookup, deadline: number, url: string, timeoutMs: number): KeyLookup {
  if (!(lookup instanceof Promise)) return lookup;
  const late = (): KeyMiss => ({
    miss: 'unavailable',
    resource: 'jwks',
    // The fetch is still running and may well succeed: the next request can try again soon.
    retryAfterMs: 1000,
    cause: new KeyFetchError('timeout', url, `no keys within ${timeoutMs} ms of the request (discovery included)`),
  });
  const leftMs = deadline - performance.now();
  if (leftMs <= 0) return late();
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<KeyMiss>((resolve) => {
    timer = setTimeout(() => resolve(late()), leftMs);
  });
  return Promise.race<KeyEntry | KeyMiss>([lookup, expiry]).finally(() => clearTimeout(timer));
}
