/** Keycloak tokens: an issuer path `…/realms/<realm>`; the payload `typ` tells access (`Bearer`), ID and refresh tokens apart. */
import { ownMember, type JsonObject } from '../../json.js';
import { issuerUrl, mark, type TokenLikeness } from '../token-likeness.js';

/** A Keycloak token's likeness, or `undefined`. */
export function recognizeKeycloak(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const url = issuerUrl(payload);
  const realm = url === undefined ? null : /\/realms\/([^/]+)\/?$/.exec(url.pathname);
  if (url === undefined || realm === null) return undefined;
  const typ = ownMember(payload, 'typ');
  const marks = [`iss path ${url.pathname}`];
  if (typ !== undefined) marks.push(mark('typ', typ));
  if (Object.hasOwn(payload, 'realm_access')) marks.push('realm_access');
  const notes: string[] = [];
  if (typ !== 'Bearer') notes.push(`typ ${JSON.stringify(typ) ?? 'absent'}: not an access token (access tokens carry typ "Bearer")`);
  const aud = ownMember(payload, 'aud');
  if (aud === undefined || aud === 'account') notes.push('aud is only "account" or absent: add an Audience mapper naming your API');
  return {
    family: 'Keycloak',
    variant: `realm ${decodeURIComponent(realm[1]!)}`,
    profile: 'keycloak',
    preset: 'keycloak',
    marks,
    notes,
  };
}
