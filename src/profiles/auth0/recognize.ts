/**
 * Auth0 tokens: an issuer on an Auth0 domain, or Auth0's own marks (`gty`, a `sub` of `<client>@clients`)
 * for custom domains. Auth0 writes its issuer with a trailing slash.
 */
import { ownMember, type JsonObject } from '../../json.js';
import { isHostIn, issuerUrl, mark, type TokenLikeness } from '../token-likeness.js';

/** An Auth0 token's likeness, or `undefined`. */
export function recognizeAuth0(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const url = issuerUrl(payload);
  const gty = ownMember(payload, 'gty');
  const sub = ownMember(payload, 'sub');
  const clients = typeof sub === 'string' && sub.endsWith('@clients');
  if (!isHostIn(url?.hostname, 'auth0.com') && gty === undefined && !clients) return undefined;
  const marks = url === undefined ? [] : [`iss host ${url.hostname}`];
  if (gty !== undefined) marks.push(mark('gty', gty));
  if (clients) marks.push('sub <client>@clients');
  const notes: string[] = [];
  if (gty === 'client-credentials' || clients) notes.push('client credentials: app-only');
  if (Object.hasOwn(payload, 'permissions')) notes.push('RBAC permissions are read as scopes');
  return { family: 'Auth0', profile: 'auth0', preset: 'auth0', marks, notes };
}
