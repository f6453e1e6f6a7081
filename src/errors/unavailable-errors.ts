/**
 * The 503s: a server-side fault (the issuer's keys, its introspection endpoint, the DPoP replay store could
 * not be used), never a 401, since the token may well be valid. No challenge; `Retry-After` says when a
 * retry may succeed.
 */
import { AuthError, type AuthErrorOptions } from './auth-errors.js';
import type { IntrospectionUnavailableReason, KeysUnavailableReason } from './reasons.js';

/** Seconds of `Retry-After`: at least 1, rounded up; 5 when not given or not finite. */
function retryAfter(seconds: number | undefined): number {
  return seconds !== undefined && Number.isFinite(seconds) ? Math.max(1, Math.ceil(seconds)) : 5;
}

/** Options of {@link KeysUnavailableError}. */
export interface KeysUnavailableErrorOptions extends AuthErrorOptions {
  /** Seconds after which a retry may succeed (`Retry-After`). @default 5 */
  retryAfterSeconds?: number;
}

/**
 * 503: the issuer's keys or metadata could not be obtained and no cached key fits the token. A server-side
 * fault: the token may well be valid, so this is never answered as 401. No `WWW-Authenticate` challenge.
 */
export class KeysUnavailableError extends AuthError {
  readonly status = 503;
  readonly statusCode = 503;
  readonly code = 'ERR_KEYS_UNAVAILABLE';
  readonly error = undefined;
  readonly expose = false;
  readonly reason: KeysUnavailableReason;
  readonly headers: Readonly<Record<string, string>>;
  /** Seconds after which a retry may succeed. */
  readonly retryAfterSeconds: number;

  constructor(reason: KeysUnavailableReason, options?: KeysUnavailableErrorOptions) {
    super(reason, options);
    this.reason = reason;
    this.retryAfterSeconds = retryAfter(options?.retryAfterSeconds);
    this.headers = { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/** Options of {@link IntrospectionUnavailableError}: those of {@link KeysUnavailableError}. */
export type IntrospectionUnavailableErrorOptions = KeysUnavailableErrorOptions;

/**
 * 503: the token is opaque (or `introspection.tokens` is `'all'`) and the issuer's introspection endpoint
 * gave no usable answer: unreachable, too slow, a status other than 200, not a JSON object with a boolean
 * `active`, too large. A server-side fault, never a 401; a sibling of {@link KeysUnavailableError} (one
 * condition per class): test `err.status === 503` to handle both. `Retry-After`, no challenge.
 */
export class IntrospectionUnavailableError extends AuthError {
  readonly status = 503;
  readonly statusCode = 503;
  readonly code = 'ERR_INTROSPECTION_UNAVAILABLE';
  readonly error = undefined;
  readonly expose = false;
  readonly reason: IntrospectionUnavailableReason;
  readonly headers: Readonly<Record<string, string>>;
  /** Seconds after which a retry may succeed. */
  readonly retryAfterSeconds: number;

  constructor(reason: IntrospectionUnavailableReason = 'introspection_unavailable', options?: IntrospectionUnavailableErrorOptions) {
    super(reason, options);
    this.reason = reason;
    this.retryAfterSeconds = retryAfter(options?.retryAfterSeconds);
    this.headers = { 'Retry-After': String(this.retryAfterSeconds) };
  }
}
