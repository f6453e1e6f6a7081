/**
 * Outcome events: one for every request outcome, published on the {@link VERIFY_EVENTS_CHANNEL}
 * diagnostics channel. Accepted tokens (from the cache or verified), and every refusal — no credentials,
 * a malformed request (400), a refused token (401), a guard's 403 or its 401 without `authenticate()`, keys
 * or introspection unavailable (503) — with the stage that decided, the stable reason, the status, and the
 * request's method and path (never its query string). Never a token, a signature, a secret, or a value read
 * from a token that failed verification.
 */
import type { AuthErrorReason } from '../errors/reasons.js';
import { createPublisher } from './publisher.js';

/** The diagnostics channel name of outcome events. */
export const VERIFY_EVENTS_CHANNEL = 'bearer-guard:verify';

/**
 * The stage that decided an outcome, in pipeline order: `credential` (reading the request), `format`
 * (decoding, header, size), `issuer`, `key`, `signature`, `claims`, `binding` (DPoP, mutual TLS), `identity`,
 * `caller` (allow-lists), `guard` (a route's scope or role rule), and `custom` (a custom verifier given to
 * `authenticate()` refused the token). `introspection` decides for tokens judged by the issuer's
 * introspection endpoint (an answer of `active: false`, or the endpoint unavailable); the claims of an
 * introspection response are judged at `claims`, `binding` and `caller` like a JWT's.
 */
export type OutcomeStage =
  | 'credential'
  | 'format'
  | 'issuer'
  | 'key'
  | 'signature'
  | 'claims'
  | 'binding'
  | 'identity'
  | 'caller'
  | 'introspection'
  | 'guard'
  | 'custom';

/** Where a request outcome happened. */
export interface RequestPlace {
  /** The request method, when a request is known. */
  readonly method?: string;
  /** The request path without query string or fragment, when a request is known. */
  readonly path?: string;
}

/** A token was accepted. */
export interface TokenAcceptedEvent extends RequestPlace {
  /** The event kind. */
  readonly type: 'accepted';
  /** Whether the verified-token cache answered. */
  readonly cached: boolean;
  /** The verified issuer. */
  readonly issuer: string;
  /** The verified client id, if any. */
  readonly clientId: string | undefined;
}

/** A request was refused. */
export interface TokenRejectedEvent extends RequestPlace {
  /** The event kind. */
  readonly type: 'rejected';
  /** The stage that refused it. */
  readonly stage: OutcomeStage;
  /** The HTTP status of the answer. */
  readonly status: 400 | 401 | 403 | 503;
  /** The stable reason. */
  readonly reason: AuthErrorReason;
}

/** Every outcome event. */
export type VerifyEvent = TokenAcceptedEvent | TokenRejectedEvent;

const verifyEvents = createPublisher<VerifyEvent>(VERIFY_EVENTS_CHANNEL);

/** True when somebody listens (check before building an event). */
export function hasVerifyListeners(): boolean {
  return verifyEvents.listening();
}

/** Publishes `event`. */
export function publishVerifyEvent(event: VerifyEvent): void {
  verifyEvents.publish(event);
}

/**
 * Subscribes to outcome events; returns the function that unsubscribes.
 *
 * @example
 * onVerifyEvent((e) => { if (e.type === 'rejected') metrics.increment(`auth.${e.stage}.${e.reason}`); });
 */
export function onVerifyEvent(listener: (event: VerifyEvent) => void): () => void {
  return verifyEvents.subscribe(listener);
}
