/** How the claims stage judges a verified payload: times, audience, required claims. Times in seconds. */

/** The claim rules of one verifier, resolved once. */
export interface ClaimPolicy {
  /** Leeway on `exp`, `nbf` and `iat`, in seconds. */
  readonly toleranceSec: number;
  /** Oldest accepted `iat`, in seconds before now; `undefined` for no limit. */
  readonly maxTokenAgeSec: number | undefined;
  /** Accepted audiences, compared exactly (with a resource: both spellings of it too). */
  readonly audiences: ReadonlySet<string>;
  /**
   * The comparable spelling of the protected resource's identifier (`resource-uri.ts`), also matched against
   * each `aud` once brought to that spelling; `undefined` when no resource is configured.
   */
  readonly resource: string | undefined;
  /** The claim checked against {@link ClaimPolicy.audiences}. */
  readonly audienceClaim: 'aud' | 'client_id';
  /** Claims that must be present with exactly this value. */
  readonly requiredClaims: readonly (readonly [string, string | number | boolean])[];
  /** RFC 9068 §2.2 (with `requiredTokenType: 'at+jwt'`): `sub`, `client_id`, `jti` strings, `iat` present. */
  readonly accessTokenClaims: boolean;
}
