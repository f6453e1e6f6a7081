/** RFC 9068 JWT access tokens of any issuer: the header `typ: at+jwt` (§2.1). */
import { ownMember, type JsonObject } from '../../json.js';
import { headerType, type TokenLikeness } from '../token-likeness.js';

/** An RFC 9068 token's likeness, or `undefined`. */
export function recognizeRfc9068(header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  if (headerType(header) !== 'at+jwt') return undefined;
  const notes = ownMember(payload, 'client_id') === undefined ? ['no client_id, which RFC 9068 requires'] : [];
  return { family: 'an RFC 9068 issuer', profile: 'rfc9068', preset: 'rfc9068', marks: ['header typ "at+jwt"'], notes };
}
