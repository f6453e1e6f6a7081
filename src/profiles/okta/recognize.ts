/**
 * Okta tokens: an issuer on an Okta domain. A custom authorization server's issuer has the path
 * `/oauth2/<id>`; the org authorization server's has none, and its tokens are meant for Okta's own APIs.
 */
import { type JsonObject } from '../../json.js';
import { isHostIn, issuerUrl, mark, type TokenLikeness } from '../token-likeness.js';

const DOMAINS = ['okta.com', 'oktapreview.com', 'okta-emea.com', 'okta-gov.com'];

/** An Okta token's likeness, or `undefined`. */
export function recognizeOkta(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const url = issuerUrl(payload);
  if (url === undefined || !DOMAINS.some((domain) => isHostIn(url.hostname, domain))) return undefined;
  const server = /^\/oauth2\/([^/]+)\/?$/.exec(url.pathname);
  const marks = [`iss host ${url.hostname}`];
  for (const name of ['cid', 'uid', 'ver']) if (Object.hasOwn(payload, name)) marks.push(mark(name, payload[name]));
  return {
    family: 'Okta',
    variant: server === null ? 'org authorization server' : `custom authorization server ${JSON.stringify(server[1])}`,
    profile: 'okta',
    preset: 'okta',
    marks,
    notes: server === null ? ["a token of the org authorization server: meant for Okta's own APIs, not yours (use a custom authorization server)"] : [],
  };
}
