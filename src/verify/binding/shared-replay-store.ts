/**
 * DPoP replay protection across a fleet: a {@link ReplayStore} on a {@link SharedStore} (such as
 * `createRedisStore`), so a proof accepted by one instance is refused by every other. One `SET … PX … NX`
 * per proof on Redis: the first instance to store the identifier accepts the proof.
 */
import { failArgument, optionsObject, stringOption } from '../../options/option-checks.js';
import type { SharedStore } from '../../stores/shared-store.js';
import type { ReplayStore } from './replay-store.js';

/** Options of {@link createSharedReplayStore}. */
export interface SharedReplayStoreOptions {
  /** Prepended to each proof identifier, after the shared store's own prefix. @default "dpop-jti:" */
  prefix?: string;
}

/**
 * A {@link ReplayStore} on `store`. A proof identifier is kept until its proof window ends (at least one
 * millisecond).
 *
 * @example
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * createVerifier({ issuer, audience, dpop: { replayStore: createSharedReplayStore(createRedisStore(redis)) } });
 */
export function createSharedReplayStore(store: SharedStore, options?: SharedReplayStoreOptions): ReplayStore {
  const where = 'createSharedReplayStore()';
  if (typeof store !== 'object' || store === null || typeof (store as Partial<SharedStore>).addIfAbsent !== 'function') {
    failArgument('store', 'must be a SharedStore (such as createRedisStore())', where);
  }
  const given = optionsObject(options, '', ['prefix'], where) ?? {};
  const prefix = stringOption(given.prefix, 'prefix', where) ?? 'dpop-jti:';
  return {
    add: (jti, expiresAtMs) => store.addIfAbsent(prefix + jti, '1', Math.max(1, expiresAtMs - Date.now())),
  };
}
