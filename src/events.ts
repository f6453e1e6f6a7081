/**
 * Observability: key-management and verification events, published on two `node:diagnostics_channel`
 * channels ({@link KEY_EVENTS_CHANNEL}, {@link VERIFY_EVENTS_CHANNEL}). Publishing costs nothing while
 * nobody subscribes. Events carry URLs, `kid`s, fault classes and reason codes: never a token, a signature,
 * key material, or any value read from a token that failed verification.
 */
import { channel } from 'node:diagnostics_channel';
import type { AuthErrorReason } from './errors.js';
import type { FetchFailureKind } from './keys/fetch-json.js';

/** The diagnostics channel name of key events. */
export const KEY_EVENTS_CHANNEL = 'bearer-guard:keys';

/** What a fetched document is. */
export type KeyResource = 'jwks' | 'metadata';

/** Why a fetch started. */
export type RefreshTrigger = 'initial' | 'stale' | 'expired' | 'unknown_kid' | 'ready';

/** A key set or metadata document was fetched and accepted. */
export interface KeysFetchedEvent {
  readonly type: 'fetched';
  readonly resource: KeyResource;
  readonly url: string;
  readonly trigger: RefreshTrigger;
  readonly durationMs: number;
  /** Usable keys in the set (JWKS only). */
  readonly keys?: number;
  /** Members of the set that were ignored: not for signatures, symmetric, private, too small… (JWKS only). */
  readonly skipped?: number;
}

/** A refresh changed the key set. Keys without `kid` are listed as `#<n>` by position. */
export interface KeysRotatedEvent {
  readonly type: 'rotated';
  readonly resource: 'jwks';
  readonly url: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** A fetch failed. */
export interface KeysRefreshFailedEvent {
  readonly type: 'refresh_failed';
  readonly resource: KeyResource;
  readonly url: string;
  readonly trigger: RefreshTrigger;
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
  readonly type: 'served_stale';
  readonly resource: KeyResource;
  readonly url: string;
  /** Milliseconds since the copy was fetched. */
  readonly ageMs: number;
}

/** Every key event. */
export type KeyEvent = KeysFetchedEvent | KeysRotatedEvent | KeysRefreshFailedEvent | KeysServedStaleEvent;

const keyChannel = channel(KEY_EVENTS_CHANNEL);

/** Publishes `event` when somebody listens. */
export function publishKeyEvent(event: KeyEvent): void {
  if (keyChannel.hasSubscribers) keyChannel.publish(event);
}

/** The diagnostics channel name of verification events. */
export const VERIFY_EVENTS_CHANNEL = 'bearer-guard:verify';

/** A token was accepted. */
export interface TokenAcceptedEvent {
  readonly type: 'accepted';
  /** Whether the verified-token cache answered. */
  readonly cached: boolean;
  /** The verified issuer. */
  readonly issuer: string;
  /** The verified client id, if any. */
  readonly clientId: string | undefined;
}

/** A token was refused. */
export interface TokenRejectedEvent {
  readonly type: 'rejected';
  readonly status: 401 | 503;
  readonly reason: AuthErrorReason;
}

/** Every verification event. */
export type VerifyEvent = TokenAcceptedEvent | TokenRejectedEvent;

const verifyChannel = channel(VERIFY_EVENTS_CHANNEL);

/** True when somebody listens (check before building an event). */
export function hasVerifyListeners(): boolean {
  return verifyChannel.hasSubscribers;
}

/** Publishes `event`. */
export function publishVerifyEvent(event: VerifyEvent): void {
  verifyChannel.publish(event);
}

function subscribe<E>(name: string, listener: (event: E) => void): () => void {
  const target = channel(name);
  const handler = (message: unknown): void => {
    try {
      listener(message as E);
    } catch (error) {
      process.emitWarning(`a bearer-guard event listener threw: ${String(error)}`, 'BearerGuardWarning');
    }
  };
  target.subscribe(handler);
  return () => {
    target.unsubscribe(handler);
  };
}

/**
 * Subscribes to key events; returns the function that unsubscribes.
 *
 * @example
 * const stop = onKeyEvent((e) => { if (e.type === 'refresh_failed') log.warn(e.message); });
 */
export function onKeyEvent(listener: (event: KeyEvent) => void): () => void {
  return subscribe(KEY_EVENTS_CHANNEL, listener);
}

/**
 * Subscribes to verification events; returns the function that unsubscribes.
 *
 * @example
 * onVerifyEvent((e) => { if (e.type === 'rejected') metrics.increment(`auth.rejected.${e.reason}`); });
 */
export function onVerifyEvent(listener: (event: VerifyEvent) => void): () => void {
  return subscribe(VERIFY_EVENTS_CHANNEL, listener);
}
