/**
 * Typed errors. Every failure of bearer-guard is one of five sibling classes under {@link AuthError}; each
 * carries the HTTP answer (`status`, `statusCode`, `headers`, `expose`) that Express's and Connect's final
 * handlers already honour, a public OAuth error code (`error`), and a stable machine-readable `reason` for
 * logs and apps. Messages are fixed phrases: they never hold a token, a claim value or a URL.
 */
import { toChallenge } from './challenge.js';

/** The default `realm` of every `WWW-Authenticate` challenge. */
export const DEFAULT_REALM = 'api';

/** Why no credentials were accepted (answered 401 with a bare `Bearer realm="…"` challenge). */
export type MissingTokenReason =
  /** The request carried no Bearer token in any enabled location. */
  | 'token_missing'
  /** A guard ran, but no identity was set by `authenticate()` before it. */
  | 'authentication_required';

/** Why the request itself is malformed (answered 400 `invalid_request`). */
export type InvalidRequestReason =
  /** The `Authorization` header uses the Bearer scheme but does not follow `Bearer 1*SP b64token`. */
  | 'authorization_malformed'
  /** `Authorization: Bearer` with no token. */
  | 'token_empty'
  /** A token in more than one place (header, query, body), or a parameter repeated. */
  | 'token_multiple'
  /** More than one `Authorization` header line. */
  | 'authorization_multiple'
  /** An `access_token` query or body parameter that is empty or not a plain string. */
  | 'token_parameter_invalid';

/** Why the token was rejected (answered 401 `invalid_token`). */
export type InvalidTokenReason =
  | 'token_malformed'
  | 'token_too_large'
  | 'token_encrypted'
  | 'algorithm_not_allowed'
  | 'header_invalid'
  | 'token_type_invalid'
  | 'issuer_mismatch'
  | 'key_not_found'
  | 'key_ambiguous'
  | 'signature_invalid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_issued_in_future'
  | 'token_too_old'
  | 'claim_missing'
  | 'claim_invalid'
  | 'audience_mismatch'
  | 'tenant_mismatch'
  | 'tenant_not_allowed'
  | 'client_not_allowed'
  | 'key_issuer_mismatch'
  | 'token_version_mismatch'
  | 'foreign_resource_token'
  | 'token_sender_constrained';

/** Why a valid token was refused by a guard (answered 403 `insufficient_scope`). */
export type InsufficientScopeReason = 'scope_missing' | 'role_missing' | 'scope_or_role_missing';

/** Why the issuer's keys could not be used (answered 503; a server-side fault, never a 401). */
export type KeysUnavailableReason =
  /** The JWK Set could not be fetched or was unusable, and no cached key fits the token. */
  | 'jwks_unavailable'
  /** The issuer metadata (discovery) could not be fetched or was unusable. */
  | 'metadata_unavailable';

/** Every stable reason code. */
export type AuthErrorReason =
  | MissingTokenReason
  | InvalidRequestReason
  | InvalidTokenReason
  | InsufficientScopeReason
  | KeysUnavailableReason;

/** Stable error-class codes, one per class. */
export type AuthErrorCode =
  | 'ERR_MISSING_TOKEN'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_KEYS_UNAVAILABLE';

/** Public OAuth 2.0 error codes (RFC 6750 §3.1). */
export type OAuthErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope';

/**
 * The one public description of every reason that can be decided before the signature is verified and that
 * depends on which issuers, tenants or keys are configured. A forged token (any signature) must not learn
 * from the answer whether its `iss` or `tid` names a configured issuer or tenant: the precise `reason` stays
 * on the error and in diagnostics events, for the API's own logs.
 */
const UNVERIFIED = 'The access token could not be verified';

const DESCRIPTIONS: Record<AuthErrorReason, string> = {
  token_missing: 'Authentication required',
  authentication_required: 'Authentication required',
  authorization_malformed: 'The Authorization header is malformed',
  token_empty: 'The Bearer token is empty',
  token_multiple: 'The access token was sent in more than one way',
  authorization_multiple: 'More than one Authorization header was sent',
  token_parameter_invalid: 'The access_token parameter is invalid',
  token_malformed: 'The access token is malformed',
  token_too_large: 'The access token is too large',
  token_encrypted: 'Encrypted access tokens are not accepted',
  algorithm_not_allowed: 'The access token signing algorithm is not allowed',
  header_invalid: 'The access token header is invalid',
  token_type_invalid: 'The access token type is not accepted',
  issuer_mismatch: UNVERIFIED,
  key_not_found: UNVERIFIED,
  key_ambiguous: UNVERIFIED,
  signature_invalid: UNVERIFIED,
  token_expired: 'The access token expired',
  token_not_yet_valid: 'The access token is not yet valid',
  token_issued_in_future: 'The access token was issued in the future',
  token_too_old: 'The access token is too old',
  claim_missing: 'The access token lacks a required claim',
  claim_invalid: 'The access token has an invalid claim',
  audience_mismatch: 'The access token audience is not accepted',
  tenant_mismatch: UNVERIFIED,
  tenant_not_allowed: UNVERIFIED,
  client_not_allowed: 'The calling application is not allowed',
  key_issuer_mismatch: 'The access token signing key belongs to another issuer',
  token_version_mismatch: UNVERIFIED,
  foreign_resource_token: 'The access token was issued for another resource',
  token_sender_constrained: 'The access token is bound to a key and cannot be used as a Bearer token',
  scope_missing: 'The access token lacks a required scope',
  role_missing: 'The access token lacks a required role',
  scope_or_role_missing: 'The access token lacks a required scope or role',
  jwks_unavailable: 'The token signing keys are temporarily unavailable',
  metadata_unavailable: 'The token issuer metadata is temporarily unavailable',
};

const BRAND = Symbol.for('bearer-guard.AuthError');

/** Options shared by the error constructors. */
export interface AuthErrorOptions {
  /** The `realm` of the challenge. @default "api" */
  realm?: string;
  /** The underlying fault, for logs (never rendered by the final handlers). */
  cause?: unknown;
}

/**
 * The common base of every bearer-guard error. Use {@link isAuthError} to test for it across copies of the
 * package.
 */
export abstract class AuthError extends Error {
  /** HTTP status to answer with. */
  abstract readonly status: 400 | 401 | 403 | 503;
  /** Same as {@link AuthError.status}, for frameworks that read `statusCode`. */
  abstract readonly statusCode: 400 | 401 | 403 | 503;
  /** Stable class code. */
  abstract readonly code: AuthErrorCode;
  /** Stable reason code for logs and apps; distinct from the public {@link AuthError.error}. */
  abstract readonly reason: AuthErrorReason;
  /** Public OAuth error code of the challenge, absent when no credentials were sent and on 503. */
  abstract readonly error: OAuthErrorCode | undefined;
  /** Response headers to send (`WWW-Authenticate`, or `Retry-After` on 503). */
  abstract readonly headers: Readonly<Record<string, string>>;
  /** Whether the message may be shown to the client (`status < 500`), as in `http-errors`. */
  abstract readonly expose: boolean;
  /** The fixed public description of {@link AuthError.reason} (also the message). */
  readonly description: string;
  /** The `realm` of the challenge. */
  readonly realm: string;

  protected constructor(reason: AuthErrorReason, options: AuthErrorOptions | undefined) {
    const description = DESCRIPTIONS[reason];
    super(description, options?.cause === undefined ? undefined : { cause: options.cause });
    this.description = description;
    this.realm = options?.realm ?? DEFAULT_REALM;
  }

  override get name(): string {
    return this.constructor.name;
  }

  /** Internal brand that lets {@link isAuthError} recognise errors from another copy of the package. */
  get [BRAND](): true {
    return true;
  }
}

/** 401 with a bare `Bearer realm="…"` challenge: no credentials, or a guard reached without `req.auth`. */
export class MissingTokenError extends AuthError {
  readonly status = 401;
  readonly statusCode = 401;
  readonly code = 'ERR_MISSING_TOKEN';
  readonly error = undefined;
  readonly expose = true;
  readonly reason: MissingTokenReason;
  readonly headers: Readonly<Record<string, string>>;

  constructor(reason: MissingTokenReason = 'token_missing', options?: AuthErrorOptions) {
    super(reason, options);
    this.reason = reason;
    this.headers = { 'WWW-Authenticate': toChallenge({ realm: this.realm }) };
  }
}

/** 400 `invalid_request`: the request is malformed (bad Authorization syntax, token in several places…). */
export class InvalidRequestError extends AuthError {
  readonly status = 400;
  readonly statusCode = 400;
  readonly code = 'ERR_INVALID_REQUEST';
  readonly error = 'invalid_request';
  readonly expose = true;
  readonly reason: InvalidRequestReason;
  readonly headers: Readonly<Record<string, string>>;

  constructor(reason: InvalidRequestReason, options?: AuthErrorOptions) {
    super(reason, options);
    this.reason = reason;
    this.headers = {
      'WWW-Authenticate': toChallenge({ realm: this.realm, error: this.error, description: this.description }),
    };
  }
}

/** 401 `invalid_token`: the token is malformed, badly signed, expired, for another audience… */
export class InvalidTokenError extends AuthError {
  readonly status = 401;
  readonly statusCode = 401;
  readonly code = 'ERR_INVALID_TOKEN';
  readonly error = 'invalid_token';
  readonly expose = true;
  readonly reason: InvalidTokenReason;
  readonly headers: Readonly<Record<string, string>>;

  constructor(reason: InvalidTokenReason, options?: AuthErrorOptions) {
    super(reason, options);
    this.reason = reason;
    this.headers = {
      'WWW-Authenticate': toChallenge({ realm: this.realm, error: this.error, description: this.description }),
    };
  }
}

/** Options of {@link InsufficientScopeError}. */
export interface InsufficientScopeErrorOptions extends AuthErrorOptions {
  /** Every value the failed guard requires, listed in the challenge's `scope` attribute. */
  scope: readonly string[];
}

/** 403 `insufficient_scope`: a valid token without a scope or role the route requires. */
export class InsufficientScopeError extends AuthError {
  readonly status = 403;
  readonly statusCode = 403;
  readonly code = 'ERR_INSUFFICIENT_SCOPE';
  readonly error = 'insufficient_scope';
  readonly expose = true;
  readonly reason: InsufficientScopeReason;
  readonly headers: Readonly<Record<string, string>>;
  /** Every value the failed guard requires. */
  readonly scope: readonly string[];

  constructor(reason: InsufficientScopeReason, options: InsufficientScopeErrorOptions) {
    super(reason, options);
    this.reason = reason;
    this.scope = Object.freeze([...options.scope]);
    this.headers = {
      'WWW-Authenticate': toChallenge({
        realm: this.realm,
        error: this.error,
        description: this.description,
        scope: this.scope,
      }),
    };
  }
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
    const retry = options?.retryAfterSeconds;
    this.retryAfterSeconds = retry !== undefined && Number.isFinite(retry) ? Math.max(1, Math.ceil(retry)) : 5;
    this.headers = { 'Retry-After': String(this.retryAfterSeconds) };
  }
}

/**
 * True when `value` is an {@link AuthError}, including one thrown by another copy of bearer-guard.
 *
 * @example
 * app.use((err, req, res, next) => isAuthError(err) ? res.status(err.status).end() : next(err));
 */
export function isAuthError(value: unknown): value is AuthError {
  if (value instanceof AuthError) return true;
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
}

/**
 * 401 with a bare `Bearer realm="…"` challenge, answered by a guard (`requireScopes`, `requireRoles`,
 * `requireScopesOrRoles`) reached without an identity set by `authenticate()`: fail closed. A kind of
 * {@link MissingTokenError} (same status, challenge and `code`), with the reason `authentication_required`.
 */
export class AuthenticationRequiredError extends MissingTokenError {
  declare readonly reason: 'authentication_required';

  constructor(options?: AuthErrorOptions) {
    super('authentication_required', options);
  }
}
