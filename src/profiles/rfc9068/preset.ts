/** RFC 9068 preset (OpenIddict without encryption, node-oidc-provider's JWT format, Duende…): `typ: at+jwt` required. */
import type { PresetOptions } from '../../verify/verifier-options.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import { rfc9068Family } from './family.js';

/** Options of {@link rfc9068}. */
export interface Rfc9068Options {
  /** The issuer identifier(s), exactly as in `iss` (and in the issuer's metadata). */
  issuer: string | readonly string[];
  /** The resource indicator(s) of this API, as in `aud`. */
  audience: string | readonly string[];
  /** Set when the issuer does not publish discovery metadata. */
  jwksUri?: string;
}

/**
 * RFC 9068 JWT access tokens (OpenIddict with access-token encryption disabled, node-oidc-provider's JWT
 * format, Duende IdentityServer…): requires header `typ: at+jwt`; client id from `client_id`, scopes from
 * `scope`.
 *
 * @example
 * app.use(authenticate(rfc9068({ issuer: 'https://id.example.com/', audience: 'receipts' })));
 */
export function rfc9068(options: Rfc9068Options): PresetOptions {
  return {
    profile: 'rfc9068',
    issuer: options.issuer,
    audience: options.audience,
    requiredTokenType: 'at+jwt',
    ...(options.jwksUri !== undefined ? { jwksUri: options.jwksUri } : {}),
    claims: copyClaimLocations(rfc9068Family.claims),
    requiredClaims: {},
  };
}
