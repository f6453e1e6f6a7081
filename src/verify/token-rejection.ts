/**
 * The internal signal that a token is rejected. Thrown by the verification steps and turned into an
 * {@link InvalidTokenError} (with the verifier's realm) in exactly one place, `create-verifier.ts`.
 * It is not an `Error`: no stack is captured on the rejection path, which floods of bad tokens exercise.
 */
import type { InvalidTokenReason } from '../errors.js';

/** A rejected token and why. */
export class TokenRejection {
  readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason) {
    this.reason = reason;
  }
}

/** Throws a {@link TokenRejection} for `reason`. */
export function reject(reason: InvalidTokenReason): never {
  throw new TokenRejection(reason);
}
