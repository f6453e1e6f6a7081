/** Okta custom authorization servers preset: keys discovered from the issuer's metadata. */
import type { PresetOptions } from '../../verify/verifier-options.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import { oktaFamily } from './family.js';
import { requiredString } from '../../options/option-checks.js';

/** Options of {@link okta}. */
export interface OktaOptions {
  /** The authorization server issuer, e.g. `https://example.okta.com/oauth2/default`. */
  issuer: string;
  /** The authorization server's audience, e.g. `api://default`. */
  audience: string | readonly string[];
}

/**
 * Okta custom authorization servers: `scp` as an array, client id in `cid`. Keys are discovered from the
 * issuer's metadata (`<issuer>/.well-known/oauth-authorization-server`, or the OpenID one). Tokens of the
 * org authorization server (issuer `https://<org>.okta.com`) are meant for Okta's own APIs, not yours.
 * Groups need a custom claim: extend the roles with it, keeping the other locations.
 *
 * @example
 * app.use(authenticate(okta({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' })));
 * @example
 * // Okta groups (a "groups" claim added to the authorization server) as roles:
 * const options = okta({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' });
 * app.use(authenticate({ ...options, claims: { ...options.claims, roles: ['groups'] } }));
 */
export function okta(options: OktaOptions): PresetOptions {
  return {
    profile: 'okta',
    issuer: requiredString(options.issuer, 'issuer', 'okta()'),
    audience: options.audience,
    claims: copyClaimLocations(oktaFamily.claims),
    requiredClaims: {},
  };
}
