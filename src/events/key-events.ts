/**
 * Key-management events, published on the {@link KEY_EVENTS_CHANNEL} diagnostics channel: fetches,
 * rotations, failed refreshes, stale copies served. They carry URLs (credentials redacted), `kid`s and fault
 * classes: never key material.
 */
import type { FetchFailureKind } from '../http/fetch-json.js';
import { createPublisher } from './publisher.js';

/** The diagnostics channel name of key events. */
export const KEY_EVENTS_CHANNEL = 'bearer-guard:keys';

/** What a fetched document is. */
export type KeyResource = 'jwks' | 'metadata';

/** Why a fetch started. */
export type RefreshTrigger = 'initial' | 'stale' | 'expired' | 'unknown_kid' | 'ready';

/** A key set or metadata document was fetched and accepted. */
export interface KeysFetchedEvent {
  /** The event kind. */
  readonly type: 'fetched';
  /** What was fetched: a JWK Set or issuer metadata. */
  readonly resource: KeyResource;
  /** The URL (credentials redacted). */
  readonly url: string;
  /** Why the fetch started. */
  readonly trigger: RefreshTrigger;
  /** Milliseconds the fetch took. */
  readonly durationMs: number;
  /** Usable keys in the set (JWKS only). */
  readonly keys?: number;
  /** Members of the set that were ignored: not for signatures, symmetric, private, too small… (JWKS only). */
  readonly skipped?: number;
}

/** A refresh changed the key set. Keys without `kid` are listed as `#<n>` by position. */
export interface KeysRotatedEvent {
  /** The event kind. */
  readonly type: 'rotated';
  /** What changed: always the JWK Set. */
  readonly resource: 'jwks';
  /** The URL (credentials redacted). */
  readonly url: string;
  /** The `kid`s of keys that appeared. */
  readonly added: readonly string[];
  /** The `kid`s of keys that left the set (tokens they signed are refused from now on). */
  readonly removed: readonly string[];
}

/** A fetch failed. */
export interface KeysRefreshFailedEvent {
  /** The event kind. */
  readonly type: 'refresh_failed';
  /** What was fetched: a JWK Set or issuer metadata. */
  readonly resource: KeyResource;
  /** The URL (credentials redacted). */
  readonly url: string;
  /** Why the fetch started. */
  readonly trigger: RefreshTrigger;
  /** The class of fault. */
  readonly kind: FetchFailureKind;
  /** A sentence naming the URL and the fault. */
  readonly message: string;
  /** Consecutive failures so far. */
  readonly failures: number;
  /**
   * Milliseconds of failure backoff before another fetch may start. A lookup of an unknown `kid` beside a
   * fresh key set also waits for the cooldown (its `Retry-After` says so).
   */
  readonly retryInMs: number;
  /** Whether a last good copy keeps serving meanwhile. */
  readonly servingStale: boolean;
}

/**
 * A request was served from a copy older than its max age because refreshing it failed (published for the
 * first such request after each failed refresh).
 */
export interface KeysServedStaleEvent {
  /** The event kind. */
  readonly type: 'served_stale';
  /** What was fetched: a JWK Set or issuer metadata. */
  readonly resource: KeyResource;
  /** The URL (credentials redacted). */
  readonly url: string;
  /** Milliseconds since the copy was fetched. */
  readonly ageMs: number;
}

/** Every key event. */
export type KeyEvent = KeysFetchedEvent | KeysRotatedEvent | KeysRefreshFailedEvent | KeysServedStaleEvent;

const keyEvents = createPublisher<KeyEvent>(KEY_EVENTS_CHANNEL);

/** Publishes `event` when somebody listens. */
export function publishKeyEvent(event: KeyEvent): void {
  if (keyEvents.listening()) keyEvents.publish(event);
}

/**
 * Subscribes to key events; returns the function that unsubscribes.
 *
 * @example
 * const stop = onKeyEvent((e) => { if (e.type === 'refresh_failed') log.warn(e.message); });
 */
export function onKeyEvent(listener: (event: KeyEvent) => void): () => void {
  return keyEvents.subscribe(listener);
}
