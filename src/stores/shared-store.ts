/**
 * A store shared by every instance of a fleet, with expiry: what makes an introspection cache and DPoP
 * replay protection hold across instances. bearer-guard ships a Redis-backed one ({@link createRedisStore});
 * anything that keeps these three promises can take its place.
 */

/** A key-value store shared across instances, with per-entry expiry in milliseconds. */
export interface SharedStore {
  /**
   * Stores `value` under `key` for `ttlMs` unless `key` is already held; resolves to true when it stored it
   * (the first sighting), false when `key` was taken. Atomic across the fleet.
   */
  addIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  /** The value under `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores `value` under `key` for `ttlMs`, replacing what was there. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
}
