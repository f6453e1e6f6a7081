/** OpenIddict preset: RFC 9068 tokens (`typ: at+jwt` required), decrypted with the encryption certificate's key. */
import { fail, requiredString } from '../../options/option-checks.js';
import type { DecryptionKeyInput } from '../../verify/format/decryption-keys.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import type { PresetOptions } from '../../verify/verifier-options.js';
import { openIddictFamily } from './family.js';

/** Options of {@link openIddict}. */
export interface OpenIddictOptions {
  /** The issuer, exactly as in OpenIddict's metadata, trailing slash included (`https://id.example.com/`). */
  issuer: string;
  /** The resource(s) of this API, as in `aud` (what the server sets with `SetResources`). */
  audience: string | readonly string[];
  /**
   * The private key(s) of OpenIddict's encryption certificate(s) (`AddEncryptionCertificate`), as
   * `KeyObject`s, JWKs or PEM private keys: they become `decryption.keys`. OpenIddict encrypts access
   * tokens by default; without these keys they are refused as `token_encrypted` (only right when the server
   * calls `DisableAccessTokenEncryption()`).
   * @default undefined (tokens must be plain JWS)
   */
  decryptionKeys?: readonly DecryptionKeyInput[];
  /** Set when the server's discovery metadata is not reachable. @default discovered */
  jwksUri?: string;
}

/**
 * OpenIddict: requires header `typ: at+jwt` (of the signed token inside the encryption), scopes from
 * `scope`, roles from `role`, the caller from `client_id` (a token without one is refused as
 * `token_type_invalid`), keys discovered from the issuer's metadata, and with `decryptionKeys` the
 * encrypted tokens OpenIddict issues by default (RSA-OAEP or A256KW, A256CBC-HS512).
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * app.use(authenticate(openIddict({
 *   issuer: 'https://id.example.com/',
 *   audience: 'receipts-api',
 *   decryptionKeys: [readFileSync('encryption-key.pem', 'utf8')],   // the encryption certificate's private key
 * })));
 */
export function openIddict(options: OpenIddictOptions): PresetOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object with issuer and audience', 'openIddict()');
  const issuer = requiredString(options.issuer, 'issuer', 'openIddict()');
  const keys: unknown = options.decryptionKeys;
  if (keys !== undefined && (!Array.isArray(keys) || keys.length === 0)) {
    fail('decryptionKeys', 'must be a non-empty array of keys (KeyObject, JWK or PEM private key)', 'openIddict()');
  }
  return {
    profile: 'openiddict',
    issuer,
    audience: options.audience,
    requiredTokenType: 'at+jwt',
    ...(options.jwksUri !== undefined ? { jwksUri: options.jwksUri } : {}),
    claims: copyClaimLocations(openIddictFamily.claims),
    requiredClaims: {},
    ...(keys !== undefined ? { decryption: { keys: [...(keys as DecryptionKeyInput[])] } } : {}),
  };
}
