/**
 * The introspection cache of one verifier: a least-recently-used map from the SHA-256 of a token (never
 * the token itself) to what its answer was prepared into, bounded in entries and in approximate bytes.
 * Every entry carries its own end (`expiresAtMs`, on the `Date.now()` clock) and is dropped once it passes.
 * How long an answer may live is {@link answerTtlMs}: until the token's `exp` but at most `maxTtlMs` for an
 * active answer, `negativeTtlMs` for any other.
 */
import * as crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { ownMember } from '../json.js';
import type { IntrospectionAnswer } from './introspection-answer.js';
import type { ResolvedIntrospectionCache } from './introspection-options.js';

// `crypto.hash` (Node >= 20.12) hashes without creating a Hash object; fall back where it is missing.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;

/** The cache key of `token`: its SHA-256, base64url. */
export function tokenKey(token: string): string {
  return oneShotHash === undefined
    ? crypto.createHash('sha256').update(token).digest('base64url')
    : oneShotHash('sha256', token, 'base64url');
}

/**
 * Milliseconds an answer may be reused from `nowMs`: an active answer until its `exp` (a finite number of
 * seconds) but at most `maxTtlMs`; an inactive one, or an active one without a usable `exp` or whose `exp`
 * has passed (refused, or soon refused, by the clock check every use makes), `negativeTtlMs`.
 */
export function answerTtlMs(
  answer: IntrospectionAnswer,
  nowMs: number,
  limits: Pick<ResolvedIntrospectionCache, 'maxTtlMs' | 'negativeTtlMs'>,
): number {
  const exp = answer.active ? ownMember(answer.claims, 'exp') : undefined;
  const left = typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 - nowMs : 0;
  return Math.min(limits.maxTtlMs, left > 0 ? left : limits.negativeTtlMs);
}

interface Entry<T> {
  readonly value: T;
  readonly expiresAtMs: number;
  readonly size: number;
}

/** Bytes an entry is counted for besides its answer's JSON: the key, the prepared identity, bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 512;

/** A bounded cache of prepared introspection answers, keyed by {@link tokenKey}. */
export class IntrospectionCache<T> {
  readonly #entries: LRUCache<string, Entry<T>>;

  constructor(options: Pick<ResolvedIntrospectionCache, 'maxEntries' | 'maxBytes'>) {
    this.#entries = new LRUCache<string, Entry<T>>({
      max: options.maxEntries,
      maxSize: options.maxBytes,
      sizeCalculation: (entry) => entry.size,
    });
  }

  /** The value under `key` while it lives at `nowMs`. */
  get(key: string, nowMs: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (nowMs >= entry.expiresAtMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Keeps `value` under `key` until `expiresAtMs`. `jsonLength` is the length of the answer as JSON: the
   * entry is counted for about three times that (the answer, and the identity built from it), plus a fixed
   * overhead. An entry larger than the whole budget is not kept.
   */
  set(key: string, value: T, expiresAtMs: number, jsonLength: number): void {
    this.#entries.set(key, { value, expiresAtMs, size: jsonLength * 3 + ENTRY_OVERHEAD_BYTES });
  }

  /** Entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }
}
