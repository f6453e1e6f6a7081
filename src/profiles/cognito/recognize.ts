/** Amazon Cognito tokens: an issuer `https://cognito-idp.<region>.amazonaws.com/<user pool>`; `token_use` tells the kind. */
import { ownMember, type JsonObject } from '../../json.js';
import { issuerUrl, mark, type TokenLikeness } from '../token-likeness.js';

const HOST = /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/i;

/** A Cognito token's likeness, or `undefined`. */
export function recognizeCognito(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const url = issuerUrl(payload);
  if (url === undefined || !HOST.test(url.hostname)) return undefined;
  const use = ownMember(payload, 'token_use');
  const notes: string[] = [];
  if (use !== 'access') notes.push(`token_use ${JSON.stringify(use) ?? 'absent'}: not an access token (the cognito preset requires "access")`);
  if (use === 'access' && Object.hasOwn(payload, 'aud')) notes.push('an access token with aud: the cognito preset refuses any aud');
  return {
    family: 'Amazon Cognito',
    variant: `user pool ${url.pathname.slice(1)}`,
    profile: 'cognito',
    preset: 'cognito',
    marks: [`iss host ${url.hostname}`, mark('token_use', use)],
    notes,
  };
}
