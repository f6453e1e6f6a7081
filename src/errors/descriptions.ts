/**
 * The fixed public description of every reason: what `error_description` and `err.message` say. Fixed
 * phrases only, never a token, a claim value or a URL.
 */
import type { AuthErrorReason } from './reasons.js';

/**
 * The one public description of every reason that can be decided before the signature is verified and that
 * depends on which issuers, tenants or keys are configured. A forged token (any signature) must not learn
 * from the answer whether its `iss` or `tid` names a configured issuer or tenant: the precise `reason` stays
 * on the error and in diagnostics events, for the API's own logs.
 */
const UNVERIFIED = 'The access token could not be verified';

/**
 * The uniform description: every pre-signature reason that depends on the configuration has it, and so does
 * every refusal of an encrypted token (JWE) once decryption is configured, whatever its reason, so the
 * answer discloses nothing about the encrypted content.
 */
export const UNIFORM_DESCRIPTION = UNVERIFIED;

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
  token_inactive: 'The access token is not active',
  token_not_encrypted: 'Unencrypted access tokens are not accepted',
  encryption_algorithm_not_allowed: UNVERIFIED,
  content_encryption_not_allowed: UNVERIFIED,
  compression_not_allowed: UNVERIFIED,
  encryption_header_invalid: UNVERIFIED,
  decryption_key_not_found: UNVERIFIED,
  decryption_failed: UNVERIFIED,
  encrypted_token_nested: UNVERIFIED,
  encrypted_token_unsigned: UNVERIFIED,
  token_not_bound: 'The access token is not bound to the proof of possession presented',
  dpop_required: 'The access token must be sent with a DPoP proof',
  dpop_key_mismatch: 'The access token is not bound to the DPoP proof key',
  certificate_missing: 'The access token is bound to a client certificate and none was presented',
  certificate_mismatch: 'The access token is bound to another client certificate',
  certificate_binding_required: 'The access token must be bound to the client certificate',
  dpop_proof_missing: 'The DPoP proof is missing',
  dpop_proof_multiple: 'More than one DPoP proof was sent',
  dpop_proof_malformed: 'The DPoP proof is malformed',
  dpop_proof_header_invalid: 'The DPoP proof header is invalid',
  dpop_proof_algorithm: 'The DPoP proof signing algorithm is not allowed',
  dpop_proof_signature: 'The DPoP proof signature is invalid',
  dpop_proof_claim_invalid: 'The DPoP proof lacks a required claim or has an invalid one',
  dpop_proof_method: 'The DPoP proof is for another HTTP method',
  dpop_proof_uri: 'The DPoP proof is for another URI',
  dpop_proof_too_old: 'The DPoP proof is too old',
  dpop_proof_issued_in_future: 'The DPoP proof was issued in the future',
  dpop_proof_token_mismatch: 'The DPoP proof is for another access token',
  dpop_proof_replayed: 'The DPoP proof was already used',
  dpop_nonce_missing: 'A DPoP nonce is required',
  dpop_nonce_invalid: 'The DPoP nonce is not current',
  scope_missing: 'The access token lacks a required scope',
  role_missing: 'The access token lacks a required role',
  scope_or_role_missing: 'The access token lacks a required scope or role',
  claim_rule_failed: 'The access token does not meet a claim requirement of this resource',
  jwks_unavailable: 'The token signing keys are temporarily unavailable',
  metadata_unavailable: 'The token issuer metadata is temporarily unavailable',
  introspection_unavailable: 'Token introspection is temporarily unavailable',
  replay_store_unavailable: 'DPoP replay protection is temporarily unavailable',
};
