/**
 * Which issuer family a decoded token looks like: every family's recognizer, asked in order, the more
 * specific first (an Auth0 or Okta token may also be an RFC 9068 token). The first likeness wins; a token no
 * family claims is an unrecognised issuer's, read with the generic claim locations.
 *
 * A new family adds its `recognize.ts` beside its `family.ts` and one entry here.
 */
import type { JsonObject } from '../json.js';
import { recognizeAuth0 } from './auth0/recognize.js';
import { recognizeB2c } from './b2c/recognize.js';
import { recognizeCognito } from './cognito/recognize.js';
import { recognizeEntra } from './entra/recognize.js';
import { recognizeKeycloak } from './keycloak/recognize.js';
import { recognizeOkta } from './okta/recognize.js';
import { recognizeOpenIddict } from './openiddict/recognize.js';
import { recognizeRfc9068 } from './rfc9068/recognize.js';
import type { TokenLikeness, TokenRecognizer } from './token-likeness.js';

/** The recognizers, most specific first. */
export const RECOGNIZERS: readonly TokenRecognizer[] = [
  recognizeEntra,
  recognizeB2c,
  recognizeCognito,
  recognizeKeycloak,
  recognizeOkta,
  recognizeAuth0,
  recognizeOpenIddict,
  recognizeRfc9068,
];

/** The likeness of a decoded JWT: the first family that recognises it, else an unrecognised issuer. */
export function recognizeToken(header: JsonObject, payload: JsonObject): TokenLikeness {
  for (const recognize of RECOGNIZERS) {
    const likeness = recognize(header, payload);
    if (likeness !== undefined) return likeness;
  }
  return { family: 'an unrecognised issuer', profile: 'generic', marks: [], notes: [] };
}
