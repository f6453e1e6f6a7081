/**
 * The format stage: which kind of token arrived, told by its shape alone. A JWS Compact Serialization has
 * three segments (RFC 7515 §7.1), a JWE five (RFC 7516 §7.1); anything else is opaque to this verifier (a
 * reference token only its issuer can resolve). Cheap and linear: it only counts dots.
 */

/** The kinds of token the format stage tells apart. */
export type TokenFormat = 'jws' | 'jwe' | 'opaque';

/** The format of `token`, by the number of its `.` separators (two: JWS, four: JWE). */
export function identifyFormat(token: string): TokenFormat {
  let dots = 0;
  for (let at = token.indexOf('.'); at !== -1 && dots < 5; at = token.indexOf('.', at + 1)) dots++;
  return dots === 2 ? 'jws' : dots === 4 ? 'jwe' : 'opaque';
}
