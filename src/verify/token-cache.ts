/**
 * The verified-token cache: a bounded LRU keyed by the SHA-256 of the whole token string, holding only
 * successes. A hit is honoured only while the token's time claims still pass at the current clock and its
 * signing key is still trusted (a refresh that removes the key ends it); entries never outlive the token's
 * `exp` nor `maxTtlMs`. Each verifier owns its own cache, so verifiers never serve each other's entries.
 */
import * as crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { KeyEntry } from '../keys/jwk-set.js';
import type { KeySource } from '../keys/key-source.js';
import type { AuthInfo, TokenCacheOptions } from '../types.js';
import type { TokenTimes } from './check-claims.js';

// `crypto.hash` (Node >= 20.12) hashes without creating a Hash object; fall back where it is missing.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/** Defaults of {@link TokenCacheOptions}. */
export const TOKEN_CACHE_DEFAULTS = Object.freeze({ maxEntries: 10_000, maxTtlMs: 600_000 });

/** One cached verification. */
export interface CachedToken {
  readonly auth: AuthInfo;
  readonly times: TokenTimes;
  readonly key: KeyEntry;
  /** Where the key came from, to keep its set refreshed while hits bypass key lookups. */
  readonly source: KeySource;
  /** Time (ms) after which the entry is dropped whatever else holds. */
  readonly expiresAtMs: number;
}

/** Validates the `cache` option. */
export function resolveTokenCacheOptions(input: TokenCacheOptions | false | undefined): Required<TokenCacheOptions> | false {
  if (input === false) return false;
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new TypeError('bearer-guard: option "cache" must be an object or false');
  }
  const resolved: Required<TokenCacheOptions> = { ...TOKEN_CACHE_DEFAULTS };
  for (const [name, value] of Object.entries(input ?? {})) {
    if (name !== 'maxEntries' && name !== 'maxTtlMs') {
      throw new TypeError(`bearer-guard: option "cache.${name}" is not a known option`);
    }
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      throw new TypeError(`bearer-guard: option "cache.${name}" must be a positive integer`);
    }
    resolved[name] = value;
  }
  return resolved;
}

/** A bounded cache of verified tokens. */
export class TokenCache {
  readonly #entries: LRUCache<string, CachedToken>;
  readonly #seenOnce: LRUCache<string, true>;
  readonly #maxTtlMs: number;

  constructor(options: Required<TokenCacheOptions>) {
    this.#entries = new LRUCache<string, CachedToken>({ max: options.maxEntries });
    this.#seenOnce = new LRUCache<string, true>({ max: options.maxEntries });
    this.#maxTtlMs = options.maxTtlMs;
  }

  /** The cache key of `token`: its SHA-256, so equal keys mean equal token strings. */
  static keyOf(token: string): string {
    return oneShotHash === undefined
      ? crypto.createHash('sha256').update(token).digest('base64url')
      : oneShotHash('sha256', token, 'base64url');
  }

  /**
   * The entry of `key` when it may still serve at `nowMs` (time claims are judged by the caller);
   * a dead entry is dropped.
   */
  get(key: string, nowMs: number): CachedToken | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs || nowMs >= entry.key.validUntil) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Caches a verification until the token expires (plus `toleranceSec`) or `maxTtlMs`, whichever is first.
   * Admission: a token is cached the second time it is verified; the first time only its key is noted.
   * Tokens seen once (floods of one-shot tokens) then never displace reused ones, and never make the cache
   * hold thousands of identities that will not be asked for again.
   */
  set(key: string, value: Omit<CachedToken, 'expiresAtMs'>, nowMs: number, toleranceSec: number): void {
    const expiresAtMs = Math.min(nowMs + this.#maxTtlMs, (value.times.exp + toleranceSec) * 1000);
    if (expiresAtMs <= nowMs) return;
    if (!this.#seenOnce.has(key)) {
      this.#seenOnce.set(key, true);
      return;
    }
    this.#seenOnce.delete(key);
    this.#entries.set(key, { ...value, expiresAtMs });
  }

  /** Drops the entry of `key`. */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
