/**
 * A fetched value (a key set, issuer metadata) kept fresh without hammering its origin:
 * fresh for `maxAgeMs`; then stale-while-revalidate (served while one background refresh runs); served as
 * last known good for `staleIfErrorMs` more while refreshes fail; never more than one fetch in flight;
 * after a failure no new fetch before an exponential backoff delay has passed.
 */
import { KeyFetchError } from '../../http/fetch-json.js';
import { publishKeyEvent, type KeyResource, type RefreshTrigger } from '../../events/key-events.js';

/** Timing of a {@link RefreshingValue}, all in milliseconds. */
export interface RefreshPolicy {
  readonly maxAgeMs: number;
  readonly staleIfErrorMs: number;
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
}

/** What a {@link RefreshingValue} loads, and how it is named in events. */
export interface RefreshSource<T> {
  readonly resource: KeyResource;
  readonly url: string;
  load(trigger: RefreshTrigger): Promise<T>;
  /** Called after each successful load with the value it replaces. */
  onLoaded?(value: T, previous: T | undefined): void;
  /** Extra fields of the `fetched` event. */
  describe?(value: T): { keys?: number; skipped?: number };
}

/** The state of a fetched value, for `verifier.status()` (times in ms since the epoch). */
export interface RefreshStatus {
  /** The URL fetched (credentials redacted). */
  readonly url: string;
  /** When the value in use was fetched; `undefined` before the first success. */
  readonly fetchedAt: number | undefined;
  /** The last failure, while the latest attempt failed. */
  readonly lastFailure: RefreshFailure | undefined;
  /** True while a copy past its max age is served because refreshing it fails. */
  readonly servingStale: boolean;
  /** When the next fetch is due: the end of freshness, or the end of a failure backoff. */
  readonly nextRefreshAt: number | undefined;
  /** True when the value may serve at the moment of the status. */
  readonly usable: boolean;
}

/** A failed fetch, as {@link RefreshStatus} reports it. */
export interface RefreshFailure {
  /** When it failed (ms since the epoch). */
  readonly at: number;
  /** The class of fault. */
  readonly kind: KeyFetchError['kind'];
  /** The system error code (`ENOTFOUND`, `ECONNREFUSED`, a TLS code) or `HTTP_<status>`, when known. */
  readonly code: string | undefined;
  /** A sentence naming the URL and the fault. */
  readonly message: string;
  /** Consecutive failures so far. */
  readonly failures: number;
}

/** A value fetched over the network and refreshed under a {@link RefreshPolicy}. */
export class RefreshingValue<T> {
  readonly #source: RefreshSource<T>;
  readonly #policy: RefreshPolicy;
  #value: T | undefined;
  #fetchedAt = 0;
  #lastAttemptAt = Number.NEGATIVE_INFINITY;
  #failures = 0;
  #retryAt = 0;
  #lastError: KeyFetchError | undefined;
  #lastFailedAt = 0;
  #inflight: Promise<T> | undefined;
  #staleNoticePending = false;

  constructor(source: RefreshSource<T>, policy: RefreshPolicy) {
    this.#source = source;
    this.#policy = policy;
  }

  /**
   * The value when it may serve at `now` (fresh, or stale within the stale-if-error window), else
   * `undefined`. A stale value starts a background refresh unless one runs or a backoff is pending.
   */
  usable(now: number): T | undefined {
    const value = this.#value;
    if (value === undefined) return undefined;
    const age = now - this.#fetchedAt;
    // A negative age means the clock was set back: the copy's age is unknown, so it counts as stale.
    if (age >= 0 && age < this.#policy.maxAgeMs) return value;
    if (age >= this.#policy.maxAgeMs + this.#policy.staleIfErrorMs) return undefined;
    if (this.#inflight === undefined && !this.#inBackoff(now)) {
      this.refresh('stale').catch(() => undefined);
    }
    if (this.#staleNoticePending) {
      this.#staleNoticePending = false;
      publishKeyEvent({ type: 'served_stale', resource: this.#source.resource, url: this.#source.url, ageMs: age });
    }
    return value;
  }

  /** Time in ms (clock of `Date.now()`) at which the current value stops being fresh; 0 without a value. */
  get freshUntil(): number {
    return this.#value === undefined ? 0 : this.#fetchedAt + this.#policy.maxAgeMs;
  }

  /** Time in ms (clock of `Date.now()`) at which the current value stops serving; 0 without a value. */
  get usableUntil(): number {
    return this.#value === undefined ? 0 : this.#fetchedAt + this.#policy.maxAgeMs + this.#policy.staleIfErrorMs;
  }

  /** Time in ms (clock of `Date.now()`) at which the latest fetch started; `-Infinity` before any. */
  get lastAttemptAt(): number {
    return this.#lastAttemptAt;
  }

  /** Milliseconds the current value stays fresh after `now`; 0 when it is stale, absent, or the clock went back. */
  freshLeftMs(now: number): number {
    if (this.#value === undefined) return 0;
    const age = now - this.#fetchedAt;
    return age >= 0 && age < this.#policy.maxAgeMs ? this.#policy.maxAgeMs - age : 0;
  }

  /** The state at `now` (see {@link RefreshStatus}). */
  status(now: number): RefreshStatus {
    const error = this.#lastError;
    const hasValue = this.#value !== undefined;
    const age = now - this.#fetchedAt;
    const stale = hasValue && !(age >= 0 && age < this.#policy.maxAgeMs);
    const freshUntil = hasValue ? this.#fetchedAt + this.#policy.maxAgeMs : undefined;
    return {
      url: this.#source.url,
      fetchedAt: hasValue ? this.#fetchedAt : undefined,
      lastFailure:
        error === undefined
          ? undefined
          : { at: this.#lastFailedAt, kind: error.kind, code: error.code, message: error.message, failures: this.#failures },
      servingStale: stale && this.failing && now < this.usableUntil,
      nextRefreshAt: this.failing ? Math.max(this.#retryAt, now) : freshUntil,
      usable: hasValue && now < this.usableUntil,
    };
  }

  /** True while the last fetch failed. */
  get failing(): boolean {
    return this.#failures > 0;
  }

  /** True while a fetch runs. */
  get refreshing(): boolean {
    return this.#inflight !== undefined;
  }

  /** True when a fetch may start at `now` (none in flight, no backoff pending). */
  canFetch(now: number): boolean {
    return this.#inflight === undefined && !this.#inBackoff(now);
  }

  /**
   * Milliseconds from `now` until the failure backoff lets a fetch start again (at least 1000, for
   * `Retry-After`). Pass the clock read when the answer is given, not when the request began: a slow failure
   * has already used up part of the wait.
   */
  retryAfterMs(now: number): number {
    return Math.max(1000, this.#inBackoff(now) ? this.#retryAt - now : 0);
  }

  /**
   * True while a failure backoff is pending at `now`. A retry time further away than `retryMaxMs` can only
   * mean the clock was set back, and is not waited for.
   */
  #inBackoff(now: number): boolean {
    return now < this.#retryAt && this.#retryAt - now <= this.#policy.retryMaxMs;
  }

  /**
   * Fetches now, sharing a fetch already in flight. During a failure backoff it rejects at once with the
   * last error, without fetching.
   */
  refresh(trigger: RefreshTrigger): Promise<T> {
    if (this.#inflight !== undefined) return this.#inflight;
    const started = Date.now();
    if (this.#lastError !== undefined && this.#inBackoff(started)) return Promise.reject(this.#lastError);
    this.#lastAttemptAt = started;
    const inflight = this.#source
      .load(trigger)
      .then(
        (value) => this.#succeed(value, trigger, started),
        (error: unknown) => this.#fail(error, trigger),
      )
      .finally(() => {
        this.#inflight = undefined;
      });
    this.#inflight = inflight;
    return inflight;
  }

  #succeed(value: T, trigger: RefreshTrigger, started: number): T {
    const previous = this.#value;
    const now = Date.now();
    this.#value = value;
    this.#fetchedAt = now;
    this.#failures = 0;
    this.#retryAt = 0;
    this.#lastError = undefined;
    this.#staleNoticePending = false;
    this.#source.onLoaded?.(value, previous);
    publishKeyEvent({
      type: 'fetched',
      resource: this.#source.resource,
      url: this.#source.url,
      trigger,
      durationMs: Math.max(0, now - started),
      ...this.#source.describe?.(value),
    });
    return value;
  }

  #fail(error: unknown, trigger: RefreshTrigger): never {
    const failure =
      error instanceof KeyFetchError
        ? error
        : new KeyFetchError('network', this.#source.url, 'the fetch failed', { cause: error });
    const now = Date.now();
    this.#failures += 1;
    const delay = Math.min(this.#policy.retryMaxMs, this.#policy.retryMinMs * 2 ** Math.min(this.#failures - 1, 30));
    this.#retryAt = now + delay;
    this.#lastError = failure;
    this.#lastFailedAt = now;
    const servingStale = this.#value !== undefined && now < this.usableUntil;
    // `served_stale` announces a copy past its max age; a failed unknown-`kid` refetch of a fresh copy is not one.
    this.#staleNoticePending = servingStale && now - this.#fetchedAt >= this.#policy.maxAgeMs;
    publishKeyEvent({
      type: 'refresh_failed',
      resource: this.#source.resource,
      url: this.#source.url,
      trigger,
      kind: failure.kind,
      message: failure.message,
      failures: this.#failures,
      retryInMs: delay,
      servingStale,
    });
    throw failure;
  }
}
