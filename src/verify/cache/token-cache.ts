/**
 * The verified-token cache: a bounded LRU keyed by the SHA-256 of the whole token string, holding only
 * successes. A hit is honoured only while the token's time claims still pass at the current clock and its
 * signing key is still trusted (a refresh that removes the key ends it); entries never outlive the token's
 * `exp` nor `maxTtlMs`. Each verifier owns its own cache, so verifiers never serve each other's entries.
 *
 * Requests find entries through an index by the whole token string (`token-index.ts`), so neither a hit
 * nor a miss hashes the token: the SHA-256 is taken once, when a token is admitted. The index only ever
 * holds live LRU entries (an entry the LRU evicts or drops leaves it at once), and a hit needs the exact
 * same string, so the index changes what is fast, never what is accepted.
 */
import * as crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { numberOption, optionsObject } from '../../options/option-checks.js';
import type { KeyEntry } from '../keys/jwk-set.js';
import type { KeySource } from '../keys/key-source.js';
import type { AuthInfo } from '../identity/auth-info.js';
import type { TokenTimes } from '../claims/check-times.js';
import { Sightings, TokenIndex } from './token-index.js';

// `crypto.hash` (Node >= 20.12) hashes without creating a Hash object; fall back where it is missing.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/** Options of the verified-token cache. */
export interface TokenCacheOptions {
  /**
   * Most tokens kept. Each entry holds the frozen {@link AuthInfo} (about 2–4 KB for a typical token); the
   * index by token string adds about 40 bytes per entry of the bound. A token is admitted when it is verified
   * again while about `maxEntries / 8` other new tokens have arrived since its first verification.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Longest time in milliseconds an entry is kept, whatever the token's `exp`.
   * @default 600000 (10 minutes)
   */
  maxTtlMs?: number;
}

/** Defaults of {@link TokenCacheOptions}. */
export const TOKEN_CACHE_DEFAULTS = Object.freeze({ maxEntries: 10_000, maxTtlMs: 600_000 });

/** What a verification stores. */
export interface CachedVerification {
  readonly auth: AuthInfo;
  readonly times: TokenTimes;
  readonly key: KeyEntry;
  /** Where the key came from, to keep its set refreshed while hits bypass key lookups. */
  readonly source: KeySource;
}

/** One cached verification. */
export interface CachedToken extends CachedVerification {
  /** The token string. */
  readonly token: string;
  /** The SHA-256 of the token, the entry's key in the LRU. */
  readonly id: string;
  /** Time (ms) after which the entry is dropped whatever else holds. */
  readonly expiresAtMs: number;
}

/** The cache options with every default applied. */
export type ResolvedTokenCacheOptions = Required<TokenCacheOptions>;

/** Validates the `cache` option (`false` turns the cache off). */
export function resolveTokenCacheOptions(input: unknown): ResolvedTokenCacheOptions | false {
  if (input === false) return false;
  const given = optionsObject(input, 'cache', Object.keys(TOKEN_CACHE_DEFAULTS));
  const resolved: ResolvedTokenCacheOptions = { ...TOKEN_CACHE_DEFAULTS };
  for (const name of Object.keys(TOKEN_CACHE_DEFAULTS) as (keyof ResolvedTokenCacheOptions)[]) {
    resolved[name] = numberOption(given?.[name], `cache.${name}`, { min: 1, integer: true }) ?? resolved[name];
  }
  return resolved;
}

/** A bounded cache of verified tokens. */
export class TokenCache {
  readonly #entries: LRUCache<string, CachedToken>;
  readonly #index: TokenIndex<CachedToken>;
  readonly #sightings: Sightings;
  readonly #maxTtlMs: number;

  constructor(options: ResolvedTokenCacheOptions) {
    this.#index = new TokenIndex<CachedToken>(options.maxEntries);
    this.#entries = new LRUCache<string, CachedToken>({
      max: options.maxEntries,
      dispose: (entry) => this.#index.remove(entry),
    });
    // About an eighth of the entry bound: a first sighting is remembered for as long as that many other new
    // tokens take to arrive.
    this.#sightings = new Sightings(options.maxEntries / 8);
    this.#maxTtlMs = options.maxTtlMs;
  }

  /** The LRU key of `token`: its SHA-256, so equal keys mean equal token strings. */
  static keyOf(token: string): string {
    return oneShotHash === undefined
      ? crypto.createHash('sha256').update(token).digest('base64url')
      : oneShotHash('sha256', token, 'base64url');
  }

  /**
   * The entry of `token` when it may still serve at `nowMs` (time claims are judged by the caller). An entry
   * that has outlived its `expiresAtMs` or its signing key is dropped.
   */
  lookup(token: string, nowMs: number): CachedToken | undefined {
    const entry = this.#index.find(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs || nowMs >= entry.key.validUntil) {
      this.#entries.delete(entry.id);
      return undefined;
    }
    this.#entries.get(entry.id); // keeps the LRU's recency true
    return entry;
  }

  /**
   * Caches the verification of `token` until the token expires (plus `toleranceSec`) or `maxTtlMs`, whichever
   * is first. Admission: a token is cached when it is verified again soon after its first verification (see
   * `Sightings`); the first time only a mark is noted. Tokens seen once (floods of one-shot tokens) then
   * never displace reused ones, and never make the cache hold identities that will not be asked for again.
   */
  set(token: string, value: CachedVerification, nowMs: number, toleranceSec: number): void {
    const expiresAtMs = Math.min(nowMs + this.#maxTtlMs, (value.times.exp + toleranceSec) * 1000);
    if (expiresAtMs <= nowMs || !this.#sightings.seenBefore(token)) return;
    const entry: CachedToken = { ...value, token, id: TokenCache.keyOf(token), expiresAtMs };
    const displaced = this.#index.add(entry);
    if (displaced !== undefined) this.#entries.delete(displaced.id);
    this.#entries.set(entry.id, entry);
  }

  /** True when `token` has an entry (which `lookup` may still find expired): a cheap routing hint. */
  holds(token: string): boolean {
    return this.#index.find(token) !== undefined;
  }

  /** Drops `entry`. */
  drop(entry: CachedToken): void {
    this.#entries.delete(entry.id);
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }
}
