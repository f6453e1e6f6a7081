/**
 * The stable reason codes of every outcome, and the one fixed public description of each. Reason codes are
 * part of the public contract: renaming or removing one is a breaking change.
 */

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
export type InsufficientScopeReason =
  | 'scope_missing'
  | 'role_missing'
  | 'scope_or_role_missing'
  /** A route's claim rule (`requireClaims`) refused the token, or threw. */
  | 'claim_rule_failed';

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

export const DESCRIPTIONS: Record<AuthErrorReason, string> = {
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
  claim_rule_failed: 'The access token does not meet a claim requirement of this resource',
  jwks_unavailable: 'The token signing keys are temporarily unavailable',
  metadata_unavailable: 'The token issuer metadata is temporarily unavailable',
};
