/**
 * Where the keys of one configured issuer come from: a fixed JWKS URI, or the `jwks_uri` of the issuer's
 * discovered metadata (followed if it changes).
 */
import type { MetadataStore } from './discovery.js';
import { KeyFetchError } from './fetch-json.js';
import type { ResolvedKeyOptions } from './key-options.js';
import type { KeyLookup, KeyMiss, KeyStore } from './key-store.js';
import { sharedKeyStore, sharedMetadataStore } from './registry.js';

/** Selects verification keys for one configured issuer. */
export interface KeySource {
  /** The key for `alg`/`kid` (see {@link KeyStore.select}). */
  select(alg: string, kid: string | undefined, now: number): KeyLookup;
  /** Notes a use of the keys at `now` (a verified-token cache hit): refreshes stale ones in the background. */
  touch(now: number): void;
  /** Loads metadata and keys now; rejects with {@link KeyFetchError} naming what failed. */
  ready(): Promise<void>;
}

/** Keys from a fixed JWKS URI. */
export function createStaticKeySource(jwksUri: string, options: ResolvedKeyOptions): KeySource {
  const store = sharedKeyStore(jwksUri, options);
  return {
    select: (alg, kid, now) => store.select(alg, kid, now),
    touch: (now) => store.touch(now),
    ready: () => store.ready(),
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
  const unavailable = (error: unknown, now: number): KeyMiss => ({
    miss: 'unavailable',
    resource: 'metadata',
    retryAfterMs: metadata.retryAfterMs(now),
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
      return metadata.load().then(
        (loaded) => storeFor(loaded.jwksUri).select(alg, kid, now),
        (error: unknown) => unavailable(error, now),
      );
    },
    touch(now) {
      const current = metadata.usable(now);
      if (current !== undefined) storeFor(current.jwksUri).touch(now);
      else if (last !== undefined) {
        metadata.refreshInBackground(now);
        last.touch(now);
      }
    },
    async ready() {
      const current = metadata.usable(Date.now()) ?? (await metadata.load());
      await storeFor(current.jwksUri).ready();
    },
  };
}
