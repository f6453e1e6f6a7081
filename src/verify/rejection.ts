/**
 * The internal signal that a token is refused. Thrown by the stages and turned into an
 * {@link InvalidTokenError} or an `InvalidDpopProofError` (with the verifier's realm and challenges) in
 * exactly one place, the pipeline
 * (`verify-token.ts`). It is not an `Error`: no stack is captured on the rejection path, which floods of bad
 * tokens exercise. `detail` says what was expected against what arrived, for the debug log only; it is
 * computed only when that log is on.
 */
import type { InvalidDpopProofReason, InvalidTokenReason } from '../errors/reasons.js';

/** Why a stage refuses: the token itself, or the DPoP proof sent with it. */
export type RejectionReason = InvalidTokenReason | InvalidDpopProofReason;

/** A refused token and why. */
export class TokenRejection {
  readonly reason: RejectionReason;
  /** Expected against actual, for the debug log (never for clients). */
  readonly detail: (() => string) | undefined;

  constructor(reason: RejectionReason, detail?: () => string) {
    this.reason = reason;
    this.detail = detail;
  }
}

/** Throws a {@link TokenRejection} for `reason`; `detail` is only called when the debug log is on. */
export function reject(reason: RejectionReason, detail?: () => string): never {
  throw new TokenRejection(reason, detail);
}
