/**
 * Introspection answers shared across a fleet through a {@link SharedStore}, and one call per token for the
 * whole fleet: the first instance to miss claims the token (`addIfAbsent` on a lock key), calls the endpoint
 * and stores the answer; the others wait for that answer (polling the store briefly) instead of calling.
 * A failed call leaves a short "unavailable" mark, so waiting instances answer 503 at once.
 *
 * Keys hold the SHA-256 of the token, under a namespace hashed from the issuer and the resource server's
 * client id (one store may serve several APIs); values hold the answer as JSON, secrets already removed;
 * never the token, never a credential. The store is an optimisation, never a point of failure: any store
 * error or a store slower than its deadline counts as a miss, and the instance carries on alone.
 */
import { debug, debugEnabled } from '../events/debug-log.js';
import { toIntrospectionAnswer, type IntrospectionAnswer } from './introspection-answer.js';
import { tokenKey } from './introspection-cache.js';
import type { SharedStore } from '../stores/shared-store.js';

/** What the fleet knows about a token. */
export type FleetRecord =
  | { readonly answer: IntrospectionAnswer; /** When the stored answer stops being reusable (epoch ms). */ readonly untilMs: number }
  | { readonly unavailableMs: number }
  | undefined;

/** Deadline in milliseconds of one store operation. */
const STORE_DEADLINE_MS = 1000;
/** Longest pause between two looks at the store while another instance introspects. */
const MAX_POLL_MS = 50;

function withDeadline<T>(operation: () => Promise<T>, fallback: T, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      if (debugEnabled()) debug(`introspection cache store: ${what} took longer than ${STORE_DEADLINE_MS} ms, going on without it`);
      resolve(fallback);
    }, STORE_DEADLINE_MS);
  });
  let attempt: Promise<T>;
  try {
    attempt = Promise.resolve(operation());
  } catch (error) {
    attempt = Promise.reject(error);
  }
  const guarded = attempt.catch((error: unknown) => {
    const kind = error instanceof Error ? error.name : 'error';
    if (debugEnabled()) debug(`introspection cache store: ${what} failed (${kind}), going on without it`);
    return fallback;
  });
  return Promise.race([guarded, late]).finally(() => clearTimeout(timer));
}

function parseRecord(value: string | undefined): FleetRecord {
  if (value === undefined) return undefined;
  try {
    const document = JSON.parse(value) as { unavailable?: unknown; until?: unknown; answer?: unknown } | null;
    const unavailable = document?.unavailable;
    if (typeof unavailable === 'number') return { unavailableMs: unavailable };
    const until = document?.until;
    if (typeof until !== 'number' || !Number.isFinite(until)) return undefined;
    return { answer: toIntrospectionAnswer(document!.answer, 'the introspection cache store'), untilMs: until };
  } catch {
    return undefined; // not ours, or damaged: a miss
  }
}

/** The fleet-wide side of the introspection cache. */
export class FleetCache {
  readonly #store: SharedStore;
  readonly #namespace: string;
  readonly #lockTtlMs: number;
  readonly #waitMs: number;

  /** `callTimeoutMs` is the deadline of one introspection call: how long a claim holds, and a wait lasts. */
  constructor(store: SharedStore, namespace: string, callTimeoutMs: number) {
    this.#store = store;
    this.#namespace = `introspection:${tokenKey(namespace).slice(0, 16)}:`;
    this.#lockTtlMs = callTimeoutMs + 1000;
    this.#waitMs = callTimeoutMs + 500;
  }

  /** What the fleet has stored for the token of `key` (a {@link tokenKey}). */
  async read(key: string): Promise<FleetRecord> {
    return parseRecord(await withDeadline(() => this.#store.get(`${this.#namespace}${key}`), undefined, 'get'));
  }

  /** True when this instance is the one to call the endpoint (also when the store cannot tell). */
  claim(key: string): Promise<boolean> {
    return withDeadline(() => this.#store.addIfAbsent(`${this.#namespace}lock:${key}`, '1', this.#lockTtlMs), true, 'addIfAbsent');
  }

  /** Waits for the instance that claimed the token to store its answer; `undefined` when none comes in time. */
  async await(key: string): Promise<FleetRecord> {
    const until = Date.now() + this.#waitMs;
    for (let pause = 5; Date.now() < until; pause = Math.min(MAX_POLL_MS, pause * 2)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const record = await this.read(key);
      if (record !== undefined) return record;
    }
    return undefined;
  }

  /**
   * Stores `answer` for `ttlMs` (never waited for by the request), with the time it stops being reusable,
   * so an instance that reads it late keeps it no longer than the instance that asked.
   */
  write(key: string, answer: IntrospectionAnswer, ttlMs: number): void {
    const until = Date.now() + ttlMs;
    const value = JSON.stringify({ until, answer: answer.active ? answer.claims : { active: false } });
    void withDeadline(() => this.#store.set(`${this.#namespace}${key}`, value, ttlMs), undefined, 'set');
  }

  /** Marks the token's introspection as failing for `retryAfterMs`, so waiting instances answer 503 at once. */
  markUnavailable(key: string, retryAfterMs: number): void {
    const value = JSON.stringify({ unavailable: retryAfterMs });
    void withDeadline(() => this.#store.set(`${this.#namespace}${key}`, value, Math.max(1, retryAfterMs)), undefined, 'set');
  }
}
