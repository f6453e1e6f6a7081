/**
 * Keys given in the configuration (`publicKeys`): no network request, ever. Keys are selected as in a JWK
 * Set (a token's `kid` picks the keys with that `kid`; a token without `kid` needs exactly one fitting key),
 * and one more rule for keys that have no `kid` (a PEM, a `KeyObject`): such a key also matches a token
 * whatever its `kid` when it is the only key that fits the token's algorithm.
 */
import { findKeys, type KeyEntry, type KeySet } from './jwk-set.js';
import type { KeyMiss } from './key-store.js';
import type { KeySource } from './key-source.js';

/** What `verifier.status()` names as the URL of configured keys. */
export const PUBLIC_KEYS_URL = 'publicKeys';

function label(entry: KeyEntry, set: KeySet): string {
  return entry.kid ?? `#${set.keys.indexOf(entry)}`;
}

/** A key source over the configured `set`, which it owns (its entries never expire). */
export function createPublicKeySource(set: KeySet): KeySource {
  for (const entry of set.keys) entry.validUntil = Number.POSITIVE_INFINITY;
  const kids = set.keys.map((entry) => label(entry, set));
  const miss = (kind: 'not_found' | 'ambiguous', alg: string, kid: string | undefined): KeyMiss => ({
    miss: kind,
    detail: () =>
      `${kid === undefined ? 'a token without kid' : `kid ${JSON.stringify(kid)}`} (alg ${alg}) ` +
      `${kind === 'ambiguous' ? 'matches several keys' : 'matches none'} of the configured publicKeys ` +
      `(keys: ${set.keys.map((entry) => `${label(entry, set)} ${[...entry.algorithms].join('/')}`).join(', ')})`,
  });
  return {
    select(alg, kid) {
      let found = findKeys(set, alg, kid);
      if (found.length === 0 && kid !== undefined) {
        const fitting = findKeys(set, alg, undefined);
        if (fitting.length === 1 && fitting[0]!.kid === undefined) found = fitting;
      }
      if (found.length === 1) return found[0]!;
      return miss(found.length > 1 ? 'ambiguous' : 'not_found', alg, kid);
    },
    // Configured keys never change: cache hits never need to look their key up again.
    freshUntil: () => Number.POSITIVE_INFINITY,
    ready: () => Promise.resolve(),
    status: () => ({
      jwks: {
        url: PUBLIC_KEYS_URL,
        fetchedAt: undefined,
        lastFailure: undefined,
        servingStale: false,
        nextRefreshAt: undefined,
        usable: true,
        keyCount: set.keys.length,
        kids,
      },
    }),
  };
}
