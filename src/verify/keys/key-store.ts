/**
 * The keys of one JWKS URI. Answers "which key verifies this `alg`/`kid`" synchronously while a usable
 * set is cached; otherwise, or for an unknown `kid` outside the cooldown, with one shared fetch.
 *
 * The unknown-`kid` cooldown is started only by a fetch after which a token's key was still missing (a fetch
 * made or awaited for that token, which failed or did not hold the key), never by a routine refresh: a token signed with a key published just
 * after the last scheduled fetch costs one fetch and is accepted, while a flood of made-up `kid`s gets one
 * fetch per `cooldownMs` window at most.
 */
import { fetchJson, KeyFetchError, type FetchJsonOptions } from '../../http/fetch-json.js';
import { publishKeyEvent, type RefreshTrigger } from '../../events/key-events.js';
import { findKeys, toKeySet, type KeyEntry, type KeySet } from './jwk-set.js';
import { noteKeyChange } from './key-changes.js';
import { RefreshingValue, type RefreshPolicy, type RefreshStatus } from './refreshing-value.js';

/** Why no key could be selected. */
export interface KeyMiss {
  /**
   * `not_found`: no key fits (answer 401). `ambiguous`: several keys fit a token without a distinguishing
   * `kid` (401). `unavailable`: the keys cannot be obtained, so the token cannot be judged (503).
   */
  readonly miss: 'not_found' | 'ambiguous' | 'unavailable';
  /**
   * For `unavailable`: milliseconds from the answer until the next fetch that could serve this token will
   * really start (the failure backoff and, for an unknown `kid` beside a fresh set, the cooldown).
   */
  readonly retryAfterMs?: number;
  /** For `unavailable`: the fetch failure. */
  readonly cause?: KeyFetchError;
  /** For `unavailable`: what could not be obtained. */
  readonly resource?: 'jwks' | 'metadata';
  /** For the debug log: which key was asked for, and what the set holds. */
  readonly detail?: () => string;
}

/** The state of one key set, for `verifier.status()`. */
export interface KeySetStatus extends RefreshStatus {
  /** Usable keys in the set in use. */
  readonly keyCount: number;
  /** Their `kid`s (`#<n>` by position for a key without one). */
  readonly kids: readonly string[];
}

/** A key, a miss, or either later. */
export type KeyLookup = KeyEntry | KeyMiss | Promise<KeyEntry | KeyMiss>;

/** Settings of a {@link KeyStore}. */
export interface KeyStoreOptions extends RefreshPolicy {
  readonly cooldownMs: number;
  readonly fetch: FetchJsonOptions;
}

/** The `Accept` header of key set fetches. */
export const JWKS_ACCEPT = 'application/jwk-set+json, application/json';

/** True when a lookup result is a miss rather than a key. */
export function isKeyMiss(value: KeyEntry | KeyMiss): value is KeyMiss {
  return (value as KeyMiss).miss !== undefined;
}

/** The cached, refreshed key set of one JWKS URI. */
export class KeyStore {
  /** The JWKS URI. */
  readonly url: string;
  readonly #keys: RefreshingValue<KeySet>;
  readonly #options: KeyStoreOptions;
  #current: KeySet | undefined;
  /** Start of the last fetch after which a token's key was still missing: the cooldown runs from it. */
  #missedAt = Number.NEGATIVE_INFINITY;

  constructor(url: string, options: KeyStoreOptions) {
    this.url = url;
    this.#options = options;
    this.#keys = new RefreshingValue<KeySet>(
      {
        resource: 'jwks',
        url,
        load: () => this.#load(),
        onLoaded: (set, previous) => this.#onLoaded(set, previous),
        describe: (set) => ({ keys: set.keys.length, skipped: set.skipped }),
      },
      options,
    );
  }

  /** Selects the key for a token signed with `alg` and naming `kid` (if any). */
  select(alg: string, kid: string | undefined, now: number): KeyLookup {
    const set = this.#keys.usable(now);
    if (set === undefined) {
      return this.#fetchThenSelect(alg, kid, this.#keys.usableUntil === 0 ? 'initial' : 'expired');
    }
    const found = findKeys(set, alg, kid);
    if (found.length === 1) return found[0]!;
    if (found.length > 1) return this.#miss('ambiguous', set, alg, kid);
    return this.#onUnknownKey(set, alg, kid, now);
  }

  /** The key set's state at `now`, for `verifier.status()`. */
  status(now: number): KeySetStatus {
    const set = this.#current;
    return { ...this.#keys.status(now), keyCount: set?.keys.length ?? 0, kids: set?.keys.map((entry) => label(entry, set)) ?? [] };
  }

  #miss(miss: 'not_found' | 'ambiguous', set: KeySet, alg: string, kid: string | undefined): KeyMiss {
    return {
      miss,
      detail: () =>
        `${kid === undefined ? 'a token without kid' : `kid ${JSON.stringify(kid)}`} (alg ${alg}) ` +
        `${miss === 'ambiguous' ? 'matches several keys' : 'is not'} in the JWK Set of ${this.url} ` +
        `(keys: ${set.keys.map((entry) => `${label(entry, set)} ${[...entry.algorithms].join('/')}`).join(', ')})`,
    };
  }

  /** Time (ms, `Date.now()` clock) at which the set in use becomes due for a refresh; 0 without a set. */
  get freshUntil(): number {
    return this.#keys.freshUntil;
  }

  /** Loads the key set now (sharing any fetch in flight); rejects with {@link KeyFetchError}. */
  async ready(): Promise<void> {
    if (this.#keys.usable(Date.now()) !== undefined && !this.#keys.failing) return;
    await this.#keys.refresh('ready');
  }

  #onUnknownKey(set: KeySet, alg: string, kid: string | undefined, now: number): KeyLookup {
    if (this.#keys.refreshing) return this.#fetchThenSelect(alg, kid, 'unknown_kid');
    if (this.#cooldownLeftMs(now) === 0 && this.#keys.canFetch(now)) return this.#fetchThenSelect(alg, kid, 'unknown_kid');
    if (this.#keys.failing) {
      // The issuer may have rotated to this key while we cannot reach it: we cannot tell, so no 401.
      return { miss: 'unavailable', resource: 'jwks', retryAfterMs: this.#retryAfterMs(now) };
    }
    return this.#miss('not_found', set, alg, kid);
  }

  /**
   * Milliseconds from `now` until a fetch that could find a key not in the cached set will start: once the
   * failure backoff is over, and, while the set is fresh, once the unknown-`kid` cooldown is over too (a stale
   * set refreshes on the next request regardless of the cooldown).
   */
  #retryAfterMs(now: number): number {
    return Math.max(this.#keys.retryAfterMs(now), Math.min(this.#cooldownLeftMs(now), this.#keys.freshLeftMs(now)));
  }

  /**
   * Milliseconds left of the unknown-`kid` cooldown at `now`; 0 once it is over, when none was started, or
   * when the clock went back past its start.
   */
  #cooldownLeftMs(now: number): number {
    const since = now - this.#missedAt;
    return since >= 0 && since < this.#options.cooldownMs ? this.#options.cooldownMs - since : 0;
  }

  #fetchThenSelect(alg: string, kid: string | undefined, trigger: RefreshTrigger): Promise<KeyEntry | KeyMiss> {
    const fetched = this.#keys.refresh(trigger);
    // The fetch this lookup waits for, new or shared, started at the last attempt (read before it can end).
    const startedAt = this.#keys.lastAttemptAt;
    return fetched.then(
      (set) => {
        const found = findKeys(set, alg, kid);
        if (found.length === 1) return found[0]!;
        // Fetched for this token and still missing: only now does the cooldown start.
        if (found.length === 0) this.#missedAt = startedAt;
        return this.#miss(found.length > 1 ? 'ambiguous' : 'not_found', set, alg, kid);
      },
      (error: unknown) => {
        // A failed fetch did not find the key either: the cooldown starts, so an outage meets a flood of
        // made-up `kid`s with one attempt per window too.
        this.#missedAt = startedAt;
        return {
          miss: 'unavailable' as const,
          resource: 'jwks' as const,
          // Measured from the failure, not from the request: a slow failure has used up part of the wait.
          retryAfterMs: this.#retryAfterMs(Date.now()),
          cause: error instanceof KeyFetchError ? error : undefined,
        };
      },
    );
  }

  async #load(): Promise<KeySet> {
    const document = await fetchJson(this.url, { ...this.#options.fetch, accept: JWKS_ACCEPT });
    const set = toKeySet(document, this.#current);
    if (typeof set === 'string') throw new KeyFetchError('invalid_document', this.url, `the document is ${set}`);
    return set;
  }

  #onLoaded(set: KeySet, previous: KeySet | undefined): void {
    this.#current = set;
    const until = this.#keys.usableUntil;
    for (const entry of set.keys) entry.validUntil = until;
    if (previous === undefined) {
      noteKeyChange();
      return;
    }
    const kept = new Set(set.keys);
    const removed = previous.keys.filter((entry) => !kept.has(entry));
    for (const entry of removed) entry.validUntil = 0;
    const before = new Set(previous.keys);
    const added = set.keys.filter((entry) => !before.has(entry));
    if (added.length > 0 || removed.length > 0) {
      // A key added may make another ambiguous for its `kid` (or for tokens without one): cached verifications
      // re-check their key against this set before answering again.
      noteKeyChange();
      publishKeyEvent({
        type: 'rotated',
        resource: 'jwks',
        url: this.url,
        added: added.map((entry) => label(entry, set)),
        removed: removed.map((entry) => label(entry, previous)),
      });
    }
  }
}

function label(entry: KeyEntry, set: KeySet): string {
  return entry.kid ?? `#${set.keys.indexOf(entry)}`;
}
