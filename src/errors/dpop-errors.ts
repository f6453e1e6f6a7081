/**
 * The refusal of a DPoP proof (RFC 9449 §7.1): 401 with `DPoP error="invalid_dpop_proof"` and the accepted
 * `algs`, or, when the API requires nonces and the proof lacks a current one, `error="use_dpop_nonce"` with a
 * fresh nonce in the `DPoP-Nonce` header (§9). Beside a `Bearer` challenge unless DPoP is required.
 */
import { AuthError, type AuthErrorOptions } from './auth-errors.js';
import { toDpopChallenge, withBearer, type DpopChallengeOptions } from './dpop-challenge.js';
import type { InvalidDpopProofReason } from './reasons.js';

/** Options of {@link InvalidDpopProofError}. */
export interface InvalidDpopProofErrorOptions extends AuthErrorOptions {
  /** The algorithms accepted for proofs, and whether Bearer is refused. */
  dpop: DpopChallengeOptions;
  /** The nonce to send in `DPoP-Nonce` (with the nonce reasons). */
  nonce?: string | undefined;
}

/** 401 `invalid_dpop_proof` (or `use_dpop_nonce`): the DPoP proof sent with the token is refused. */
export class InvalidDpopProofError extends AuthError {
  readonly status = 401;
  readonly statusCode = 401;
  readonly code = 'ERR_INVALID_DPOP_PROOF';
  readonly expose = true;
  readonly error: 'invalid_dpop_proof' | 'use_dpop_nonce';
  readonly reason: InvalidDpopProofReason;
  readonly headers: Readonly<Record<string, string>>;

  constructor(reason: InvalidDpopProofReason, options: InvalidDpopProofErrorOptions) {
    super(reason, options);
    this.reason = reason;
    const nonceReason = reason === 'dpop_nonce_missing' || reason === 'dpop_nonce_invalid';
    this.error = nonceReason ? 'use_dpop_nonce' : 'invalid_dpop_proof';
    const error = { error: this.error, description: this.description };
    const challenge = toDpopChallenge(this.realm, options.dpop.algs, error, this.authParams);
    const headers: Record<string, string> = {
      'WWW-Authenticate': withBearer(this.realm, options.dpop, challenge, undefined, this.authParams),
    };
    if (nonceReason && options.nonce !== undefined) headers['DPoP-Nonce'] = options.nonce;
    this.headers = headers;
  }
}
