/**
 * Typed errors. Every failure of bearer-guard is one of the sibling classes under {@link AuthError}; each
 * carries the HTTP answer (`status`, `statusCode`, `headers`, `expose`) that Express's and Connect's final
 * handlers already honour, a public OAuth error code (`error`), and a stable machine-readable `reason` for
 * logs and apps. Messages are fixed phrases: they never hold a token, a claim value or a URL.
 */
import { DEFAULT_REALM } from '../options/option-checks.js';
import type { AuthParam } from './challenge.js';
import { toChallenges, type DpopChallengeOptions } from './dpop-challenge.js';
import { DESCRIPTIONS, UNIFORM_DESCRIPTION } from './descriptions.js';
import type {
  AuthErrorCode,
  AuthErrorReason,
  InsufficientScopeReason,
  InvalidRequestReason,
  InvalidTokenReason,
  MissingTokenReason,
  OAuthErrorCode,
} from './reasons.js';

export type {
  AuthErrorCode,
  AuthErrorReason,
  InsufficientScopeReason,
  InvalidRequestReason,
  InvalidTokenReason,
  IntrospectionUnavailableReason,
  KeysUnavailableReason,
  MissingTokenReason,
  OAuthErrorCode,
} from './reasons.js';
const BRAND = Symbol.for('bearer-guard.AuthError');
const NO_PARAMS: readonly AuthParam[] = Object.freeze([]);

/** `params` frozen (a list the library built once is already frozen and is shared as it is). */
function frozenParams(params: readonly AuthParam[] | undefined): readonly AuthParam[] {
  if (params === undefined || params.length === 0) return NO_PARAMS;
  if (Object.isFrozen(params) && params.every((param) => Object.isFrozen(param))) return params;
  return Object.freeze(params.map(([name, value]) => Object.freeze([name, value] as const)));
}

/** Options shared by the error constructors. */
export interface AuthErrorOptions {
  /** The `realm` of the challenge. @default "api" */
  realm?: string;
  /** The underlying fault, for logs (never rendered by the final handlers). */
  cause?: unknown;
  /** A `DPoP` challenge to send beside (or instead of) the Bearer one, when the API accepts DPoP. */
  dpop?: DpopChallengeOptions | undefined;
  /**
   * Further auth-params of the challenge, after the others: a verifier with `resource` adds
   * `['resource_metadata', '<metadata URL>']` (RFC 9728 §5.1). @default []
   */
  authParams?: readonly AuthParam[];
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
  /** Further auth-params of the challenge (`resource_metadata`…), in order. */
  readonly authParams: readonly AuthParam[];

  protected constructor(reason: AuthErrorReason, options: AuthErrorOptions | undefined, description = DESCRIPTIONS[reason]) {
    super(description, options?.cause === undefined ? undefined : { cause: options.cause });
    this.description = description;
    this.realm = options?.realm ?? DEFAULT_REALM;
    this.authParams = frozenParams(options?.authParams);
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
    this.headers = { 'WWW-Authenticate': toChallenges({ realm: this.realm, authParams: this.authParams }, options?.dpop) };
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
    const { realm, error, description, authParams } = this;
    this.headers = { 'WWW-Authenticate': toChallenges({ realm, error, description, authParams }, options?.dpop) };
  }
}

/** Options of {@link InvalidTokenError}. */
export interface InvalidTokenErrorOptions extends AuthErrorOptions {
  /**
   * Answer with the uniform description ("The access token could not be verified") whatever the reason, as
   * every refusal of an encrypted token (JWE) does once decryption is configured: the answer then discloses
   * nothing about the encrypted content. `reason` stays precise.
   * @default false
   */
  uniformDescription?: boolean;
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

  constructor(reason: InvalidTokenReason, options?: InvalidTokenErrorOptions) {
    super(reason, options, options?.uniformDescription === true ? UNIFORM_DESCRIPTION : DESCRIPTIONS[reason]);
    this.reason = reason;
    const { realm, error, description, authParams } = this;
    this.headers = { 'WWW-Authenticate': toChallenges({ realm, error, description, authParams }, options?.dpop) };
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
    const { realm, error, description, scope, authParams } = this;
    this.headers = { 'WWW-Authenticate': toChallenges({ realm, error, description, scope, authParams }, options.dpop) };
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
