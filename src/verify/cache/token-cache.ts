/**
 * The verified-token cache: a bounded LRU keyed by the SHA-256 of the whole token string, holding only
 * successes. A hit is honoured only while the token's time claims still pass at the current clock and its
 * signing key is still the key an uncached verification would select: whenever keys changed anywhere (a key
 * set's members, a metadata document's `jwks_uri`, see `key-changes.ts`) or the keys in use are due for a
 * refresh, the hit selects its key again from its key source and is dropped unless the same key comes back
 * (a removed key, a second key under its `kid`, a new `jwks_uri`); the request is then verified afresh, so it
 * gets exactly the uncached answer. Entries never outlive the token's `exp` nor `maxTtlMs`. Each verifier
 * owns its own cache, so verifiers never serve each other's entries.
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
import { keyChangeCount } from '../keys/key-changes.js';
import type { KeySource } from '../keys/key-source.js';
import type { AuthInfo } from '../identity/auth-info.js';
import type { TokenTimes } from '../claims/check-times.js';
import { Sightings, TokenIndex } from './token-index.js';

// `crypto.hash` (Node >= 20.12) hashes without creating a Hash object; fall back where it is missing.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/** Options of the verified-token cache. */
export interface TokenCacheOptions {
  /**
   * Most tokens kept. A token is admitted when it is verified again while about `maxEntries / 8` other new
   * tokens have arrived since its first verification. The index by token string adds about 40 bytes per
   * entry of the bound. {@link TokenCacheOptions.maxBytes} bounds the entries by size too.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Most heap, in bytes, the entries may hold together; the least recently used go first. An entry holds the
   * token string and the frozen {@link AuthInfo} with every decoded claim: measured at about 2 KB for a
   * 400-character token, 3.2 KB for 1 KB, 10 KB for 4 KB and 28 KB for a 12 KB token (about 1 KB plus 2.2
   * bytes per token character), so each entry is counted as 1 KiB plus 2.5 bytes per character. With the
   * default, 12 KB tokens fill the cache at about 1000 entries.
   * @default 33554432 (32 MiB)
   */
  maxBytes?: number;
  /**
   * Longest time in milliseconds an entry is kept, whatever the token's `exp`.
   * @default 600000 (10 minutes)
   */
  maxTtlMs?: number;
}

/** Defaults of {@link TokenCacheOptions}. */
export const TOKEN_CACHE_DEFAULTS = Object.freeze({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024, maxTtlMs: 600_000 });

/** Bytes counted for every entry, whatever its token: the entry, the identity object, hash, times. */
const ENTRY_BASE_BYTES = 1024;
/** Bytes counted per token character: the token string and the decoded header and claims (measured: 2.2). */
const ENTRY_BYTES_PER_CHARACTER = 2.5;

/** The heap an entry for `token` is counted as holding (see {@link TokenCacheOptions.maxBytes}). */
export function entryBytes(token: string): number {
  return ENTRY_BASE_BYTES + Math.ceil(token.length * ENTRY_BYTES_PER_CHARACTER);
}

/** What a verification stores. */
export interface CachedVerification {
  readonly auth: AuthInfo;
  readonly times: TokenTimes;
  readonly key: KeyEntry;
  /** Where the key came from, to select it again when keys change and to keep its set refreshed. */
  readonly source: KeySource;
  /** The token's `alg` and `kid`, with which the key was selected. */
  readonly alg: string;
  readonly kid: string | undefined;
  /** `keyChangeCount()` read before the key was selected. */
  readonly keyChanges: number;
}

/** One cached verification. */
export interface CachedToken extends CachedVerification {
  /** The token string. */
  readonly token: string;
  /** The SHA-256 of the token, the entry's key in the LRU. */
  readonly id: string;
  /** Time (ms) after which the entry is dropped whatever else holds. */
  readonly expiresAtMs: number;
  /** `keyChangeCount()` when the key was last confirmed. */
  checkedAt: number;
  /** Time (ms) from which a hit confirms its key again: when the keys in use become due for a refresh. */
  recheckAtMs: number;
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
  readonly #maxBytes: number;

  constructor(options: ResolvedTokenCacheOptions) {
    this.#index = new TokenIndex<CachedToken>(options.maxEntries);
    this.#entries = new LRUCache<string, CachedToken>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => entryBytes(entry.token),
      dispose: (entry) => this.#index.remove(entry),
    });
    this.#maxBytes = options.maxBytes;
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
   * that has outlived its `expiresAtMs`, or whose key is no longer the one selected for its `alg`/`kid`, is
   * dropped.
   */
  lookup(token: string, nowMs: number): CachedToken | undefined {
    const entry = this.#index.find(token);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs || nowMs >= entry.key.validUntil || !TokenCache.#keyStillSelected(entry, nowMs)) {
      this.#entries.delete(entry.id);
      return undefined;
    }
    this.#entries.get(entry.id); // keeps the LRU's recency true
    return entry;
  }

  /**
   * True while `entry`'s key is the one its source selects. Free while no key changed and the keys are fresh;
   * otherwise one selection, as an uncached verification would make it (which also starts a refresh that is
   * due). A selection still waiting for a fetch is not the same key: the entry goes, the request waits.
   */
  static #keyStillSelected(entry: CachedToken, nowMs: number): boolean {
    const changes = keyChangeCount();
    if (entry.checkedAt === changes && nowMs < entry.recheckAtMs) return true;
    if (entry.source.select(entry.alg, entry.kid, nowMs) !== entry.key) return false;
    entry.checkedAt = changes;
    entry.recheckAtMs = entry.source.freshUntil();
    return true;
  }

  /**
   * Caches the verification of `token` until the token expires (plus `toleranceSec`) or `maxTtlMs`, whichever
   * is first. Admission: a token is cached when it is verified again soon after its first verification (see
   * `Sightings`); the first time only a mark is noted. Tokens seen once (floods of one-shot tokens) then
   * never displace reused ones, and never make the cache hold identities that will not be asked for again.
   */
  set(token: string, value: CachedVerification, nowMs: number, toleranceSec: number): void {
    const expiresAtMs = Math.min(nowMs + this.#maxTtlMs, (value.times.exp + toleranceSec) * 1000);
    // An entry larger than the whole cache is never stored: the LRU would refuse it, and the index must only
    // ever hold what the LRU holds.
    if (expiresAtMs <= nowMs || entryBytes(token) > this.#maxBytes || !this.#sightings.seenBefore(token)) return;
    const entry: CachedToken = {
      ...value,
      token,
      id: TokenCache.keyOf(token),
      expiresAtMs,
      checkedAt: value.keyChanges,
      recheckAtMs: value.source.freshUntil(),
    };
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

  /** Bytes the entries are counted as holding (see {@link entryBytes}). */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }
}
