/**
 * Client authentication of an introspection request (RFC 7662 §2.1 requires one):
 *
 * - `client_secret_basic`: `Authorization: Basic` of the client id and secret, each form-urlencoded first
 *   (RFC 6749 §2.3.1), so a secret holding `:`, `%`, `+` or non-ASCII characters arrives intact;
 * - `client_secret_post`: `client_id` and `client_secret` in the form;
 * - `private_key_jwt` (RFC 7523 §2.2, §3): a JWT signed with the private key, `iss` = `sub` = the client id,
 *   `aud` the issuer identifier, a fresh random `jti`, `iat` now and `exp` 60 seconds later.
 */
import { constants, randomUUID, sign } from 'node:crypto';
import type { AssertionKey } from './client-credentials.js';
import type { IntrospectionCredentials } from './introspection-options.js';

/** The `client_assertion_type` of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Seconds a client assertion is valid. */
const ASSERTION_LIFETIME_SECONDS = 60;

/** What client authentication adds to one request: headers and form parameters. */
export interface ClientAuthParts {
  readonly headers: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string>>;
}

/** `value` encoded as `application/x-www-form-urlencoded` (RFC 6749 Appendix B). */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs a client assertion for `clientId`, addressed to `audience`. */
export function signClientAssertion(clientId: string, audience: string, key: AssertionKey, nowSec: number): string {
  const header = b64({ alg: key.alg, typ: 'JWT', ...(key.kid === undefined ? {} : { kid: key.kid }) });
  const iat = Math.floor(nowSec);
  const payload = b64({ iss: clientId, sub: clientId, aud: audience, jti: randomUUID(), iat, exp: iat + ASSERTION_LIFETIME_SECONDS });
  const input = Buffer.from(`${header}.${payload}`);
  const hash = key.alg === 'EdDSA' ? null : key.alg === 'ES384' ? 'sha384' : key.alg === 'ES512' ? 'sha512' : 'sha256';
  const signature =
    key.alg === 'RS256'
      ? sign(hash, input, { key: key.key, padding: constants.RSA_PKCS1_PADDING })
      : key.alg === 'EdDSA'
        ? sign(null, input, key.key)
        : sign(hash, input, { key: key.key, dsaEncoding: 'ieee-p1363' });
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** The headers and form parameters that authenticate `clientId` for one request. */
export function clientAuthParts(clientId: string, credentials: IntrospectionCredentials, issuer: string): ClientAuthParts {
  switch (credentials.method) {
    case 'client_secret_basic': {
      const pair = `${formEncode(clientId)}:${formEncode(credentials.secret.reveal())}`;
      return { headers: { authorization: `Basic ${Buffer.from(pair, 'utf8').toString('base64')}` }, params: {} };
    }
    case 'client_secret_post':
      return { headers: {}, params: { client_id: clientId, client_secret: credentials.secret.reveal() } };
    case 'private_key_jwt':
      return {
        headers: {},
        params: {
          client_id: clientId,
          client_assertion_type: JWT_BEARER_ASSERTION,
          client_assertion: signClientAssertion(clientId, issuer, credentials.key, Date.now() / 1000),
        },
      };
  }
}
