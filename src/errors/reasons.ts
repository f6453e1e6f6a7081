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
  /** A bound token (`cnf`) without the proof its binding needs: sent as Bearer, or a method not configured. */
  | 'token_sender_constrained'
  /** The `DPoP` or `MTLS_POP` scheme with a token that is not bound that way. */
  | 'token_not_bound'
  /** `dpop.required`, and the token came without the DPoP scheme. */
  | 'dpop_required'
  /** The token's `cnf.jkt` is not the thumbprint of the DPoP proof key. */
  | 'dpop_key_mismatch'
  /** A certificate-bound token, and no usable client certificate. */
  | 'certificate_missing'
  /** A certificate-bound token, and the client certificate has another thumbprint. */
  | 'certificate_mismatch'
  /** `mtls.required`, and the token is not bound to a certificate. */
  | 'certificate_binding_required'
  /** The issuer's introspection endpoint answered `active: false` (unknown, expired or revoked token). */
  | 'token_inactive'
  /** `decryption.required` is set and the token is a plain JWS. */
  | 'token_not_encrypted'
  /** A JWE whose `alg` is not an allowed key-management algorithm (`RSA1_5`, `PBES2-*`, `dir` unless listed…). */
  | 'encryption_algorithm_not_allowed'
  /** A JWE whose `enc` is not an allowed content-encryption algorithm. */
  | 'content_encryption_not_allowed'
  /** A JWE with a `zip` header member: compressed plaintext is never inflated. */
  | 'compression_not_allowed'
  /** A JWE header that breaks a rule: `crit` (no extension is understood), `kid`, `epk`, `apu`, `apv`. */
  | 'encryption_header_invalid'
  /** No configured decryption key fits the JWE's `alg`, `kid` (and `epk` curve, `dir` size). */
  | 'decryption_key_not_found'
  /** Decryption failed: a wrong key, or a tampered encrypted key, IV, ciphertext or tag. */
  | 'decryption_failed'
  /** The decrypted content is itself a JWE. */
  | 'encrypted_token_nested'
  /** The decrypted content is not a JWS: encrypted claims that nobody signed are never accepted. */
  | 'encrypted_token_unsigned';

/**
 * Why a DPoP proof (RFC 9449 §4.3) was refused: answered 401 with `DPoP error="invalid_dpop_proof"`, and
 * `error="use_dpop_nonce"` with a fresh `DPoP-Nonce` for the two nonce reasons.
 */
export type InvalidDpopProofReason =
  /** The `DPoP` scheme without a `DPoP` header. */
  | 'dpop_proof_missing'
  /** More than one `DPoP` header (or one holding a list). */
  | 'dpop_proof_multiple'
  /** Not a compact JWS of JSON objects, or too large. */
  | 'dpop_proof_malformed'
  /** `typ` is not `dpop+jwt`, the `jwk` is missing, private or unusable, or `crit` is present. */
  | 'dpop_proof_header_invalid'
  /** `alg` is not one of `dpop.algorithms`. */
  | 'dpop_proof_algorithm'
  /** The signature does not verify with the proof's own `jwk`. */
  | 'dpop_proof_signature'
  /** `jti`, `htm`, `htu`, `iat` or `ath` is missing or of the wrong type. */
  | 'dpop_proof_claim_invalid'
  /** `htm` is not the request method. */
  | 'dpop_proof_method'
  /** `htu` is not the request URI. */
  | 'dpop_proof_uri'
  /** `iat` is older than `dpop.proofMaxAgeSec`. */
  | 'dpop_proof_too_old'
  /** `iat` is further in the future than `clockTolerance`. */
  | 'dpop_proof_issued_in_future'
  /** `ath` is not the hash of the access token sent with it. */
  | 'dpop_proof_token_mismatch'
  /** The proof's `jti` was seen before within the proof window. */
  | 'dpop_proof_replayed'
  /** Nonces are on and the proof has none (`use_dpop_nonce`). */
  | 'dpop_nonce_missing'
  /** Nonces are on and the proof's nonce is not a current one (`use_dpop_nonce`). */
  | 'dpop_nonce_invalid';

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
  | 'metadata_unavailable'
  /** The DPoP replay store failed or is full: a proof cannot be checked for replay. */
  | 'replay_store_unavailable';

/** Why a token could not be introspected (answered 503; a server-side fault, never a 401). */
export type IntrospectionUnavailableReason =
  /**
   * The introspection endpoint could not be reached or gave no usable answer (timeout, network error, a
   * status other than 200, a body that is not a JSON object with a boolean `active`, too large), or its URL
   * could not be discovered.
   */
  'introspection_unavailable';

/** Every stable reason code. */
export type AuthErrorReason =
  | MissingTokenReason
  | InvalidRequestReason
  | InvalidTokenReason
  | InvalidDpopProofReason
  | InsufficientScopeReason
  | KeysUnavailableReason
  | IntrospectionUnavailableReason;

/** Stable error-class codes, one per class. */
export type AuthErrorCode =
  | 'ERR_MISSING_TOKEN'
  | 'ERR_INVALID_REQUEST'
  | 'ERR_INVALID_TOKEN'
  | 'ERR_INVALID_DPOP_PROOF'
  | 'ERR_INSUFFICIENT_SCOPE'
  | 'ERR_KEYS_UNAVAILABLE'
  | 'ERR_INTROSPECTION_UNAVAILABLE';

/** Public OAuth 2.0 error codes (RFC 6750 §3.1, RFC 9449 §7.1 and §9). */
export type OAuthErrorCode = 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'invalid_dpop_proof' | 'use_dpop_nonce';

const DPOP_PROOF_REASONS: ReadonlySet<string> = new Set<InvalidDpopProofReason>([
  'dpop_proof_missing', 'dpop_proof_multiple', 'dpop_proof_malformed', 'dpop_proof_header_invalid',
  'dpop_proof_algorithm', 'dpop_proof_signature', 'dpop_proof_claim_invalid', 'dpop_proof_method', 'dpop_proof_uri',
  'dpop_proof_too_old', 'dpop_proof_issued_in_future', 'dpop_proof_token_mismatch', 'dpop_proof_replayed',
  'dpop_nonce_missing', 'dpop_nonce_invalid',
]);

/** True for the reasons that refuse a DPoP proof rather than the token. */
export function isDpopProofReason(reason: string): reason is InvalidDpopProofReason {
  return DPOP_PROOF_REASONS.has(reason);
}
