/**
 * A DPoP proof judged against its request and its token (RFC 9449 §4.3): exactly one `DPoP` header, a
 * proof that verifies with its own key, `htm` = the method, `htu` = the request URI, `iat` within
 * `[now − proofMaxAgeSec, now + clockTolerance]`, `ath` = the token's hash, the token's `cnf.jkt` = the
 * proof key's thumbprint, and a current nonce when nonces are on. What is left is replay: the caller asks
 * the replay store with the identifier this returns.
 */
import { createHash } from 'node:crypto';
import { ownMember } from '../../json.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import type { DpopConfig } from '../config/binding-options.js';
import { reject } from '../rejection.js';
import type { NonceSource } from './dpop-nonce.js';
import { normalizeHttpUri, requestUri } from './request-uri.js';
import { sameThumbprint } from './thumbprint.js';
import { verifyProof } from './verify-proof.js';

/** What checking a proof needs besides the request. */
export interface DpopPolicy {
  readonly config: DpopConfig;
  readonly algorithms: ReadonlySet<string>;
  /** Seconds a proof's `iat` may lie in the future. */
  readonly toleranceSec: number;
  readonly nonces: NonceSource | undefined;
}

/** A proof that passed every check but replay: what the replay store must see once. */
export interface ProofSighting {
  /** SHA-256 of the proof key's thumbprint and the proof's `jti`, base64url. */
  readonly id: string;
  /** When the proof leaves its window (ms). */
  readonly expiresAtMs: number;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** The one proof of `request`; refuses a missing, empty or repeated `DPoP` header. */
function proofOf(request: VerifyRequest): string {
  let value = request.headers?.dpop;
  if (Array.isArray(value)) {
    if (value.length > 1) reject('dpop_proof_multiple', () => `${value!.length} DPoP headers`);
    value = value[0];
  }
  if (value === undefined || value === '') reject('dpop_proof_missing', () => 'the DPoP scheme without a DPoP header');
  // Node joins repeated headers it does not know with ", "; a JWS never holds a comma.
  if (value.includes(',')) reject('dpop_proof_multiple', () => 'several DPoP proofs in one header');
  return value;
}

/**
 * Checks the DPoP proof of `request` for `token`, bound to the key thumbprint `jkt`. Returns the sighting
 * to record in the replay store.
 */
export function checkDpop(token: string, jkt: string, request: VerifyRequest, policy: DpopPolicy, nowMs: number): ProofSighting {
  const { payload, thumbprint } = verifyProof(proofOf(request), policy.algorithms);
  const jti = ownMember(payload, 'jti');
  const htm = ownMember(payload, 'htm');
  const htu = ownMember(payload, 'htu');
  const iat = ownMember(payload, 'iat');
  const ath = ownMember(payload, 'ath');
  if (typeof jti !== 'string' || jti === '' || typeof htm !== 'string' || typeof htu !== 'string' || typeof ath !== 'string') {
    reject('dpop_proof_claim_invalid', () => 'jti, htm, htu or ath is missing or not a string');
  }
  if (typeof iat !== 'number' || !Number.isFinite(iat)) reject('dpop_proof_claim_invalid', () => 'iat is not a number');
  if (htm !== request.method) reject('dpop_proof_method', () => `htm ${JSON.stringify(htm)} for a ${request.method} request`);
  const expected = requestUri(request, policy.config.publicOrigin);
  const given = normalizeHttpUri(htu);
  if (expected === undefined || given !== expected) {
    reject('dpop_proof_uri', () => `htu ${JSON.stringify(htu)} for the request URI ${expected ?? '(none that can be trusted)'}`);
  }
  const nowSec = nowMs / 1000;
  if (iat < nowSec - policy.config.proofMaxAgeSec) {
    reject('dpop_proof_too_old', () => `iat ${iat} is more than ${policy.config.proofMaxAgeSec} s before ${Math.floor(nowSec)}`);
  }
  if (iat > nowSec + policy.toleranceSec) {
    reject('dpop_proof_issued_in_future', () => `iat ${iat} is more than ${policy.toleranceSec} s after ${Math.floor(nowSec)}`);
  }
  if (!sameThumbprint(sha256(token), ath)) reject('dpop_proof_token_mismatch', () => 'ath is not the hash of the access token');
  if (!sameThumbprint(jkt, thumbprint)) reject('dpop_key_mismatch', () => 'cnf.jkt is not the thumbprint of the proof key');
  if (policy.nonces !== undefined) {
    const nonce = ownMember(payload, 'nonce');
    if (nonce === undefined) reject('dpop_nonce_missing', () => 'the proof has no nonce');
    if (typeof nonce !== 'string' || !policy.nonces.accepts(nonce, nowMs)) {
      reject('dpop_nonce_invalid', () => 'the nonce is not one of the last two steps');
    }
  }
  return { id: sha256(`${thumbprint} ${jti}`), expiresAtMs: (iat + policy.config.proofMaxAgeSec) * 1000 };
}
