/**
 * Single use of client assertions (RFC 7523 §3, item 7): the `jti` of every accepted assertion is kept for
 * as long as the assertion could still pass the `exp` check, that is until `exp` plus the clock tolerance
 * the token endpoint grants, so a replay is refused however late it comes.
 */

/** Seconds of clock skew the token endpoint allows on the `exp` and `nbf` of client assertions. */
export const ASSERTION_CLOCK_TOLERANCE_SECONDS = 5;

/** Remembers the `jti` of accepted client assertions until they can no longer be accepted. */
export class AssertionReplayGuard {
  /** Client id and `jti` → the second (since the epoch) after which the assertion is refused anyway. */
  readonly #seen = new Map<string, number>();
  readonly #toleranceSeconds: number;

  /** @param toleranceSeconds - the clock tolerance of the `exp` check, in seconds */
  constructor(toleranceSeconds: number = ASSERTION_CLOCK_TOLERANCE_SECONDS) {
    this.#toleranceSeconds = toleranceSeconds;
  }

  /**
   * Records an accepted assertion; false when the client already used this `jti`. `exp` in seconds since
   * the epoch. An entry is dropped once `exp` plus the tolerance has passed (rounded up to the second, as
   * the `exp` check compares whole seconds), when the `exp` check refuses the assertion by itself.
   */
  use(clientId: string, jti: string, exp: number): boolean {
    const now = Date.now() / 1000;
    for (const [id, until] of this.#seen) if (until < now) this.#seen.delete(id);
    const id = `${clientId}\u0000${jti}`;
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, Math.ceil(exp) + this.#toleranceSeconds);
    return true;
  }
}
