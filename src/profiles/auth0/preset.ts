/** Auth0 preset: issuer with its trailing slash, the tenant's JWK Set, Auth0 claim locations. */
import type { PresetOptions } from '../../verify/verifier-options.js';
import { auth0Family } from './family.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import { fail, requiredString } from '../../options/option-checks.js';
import { HOST, trimSlashes } from '../preset-input.js';

/** Options of {@link auth0}. */
export interface Auth0Options {
  /** The tenant domain, e.g. `example.eu.auth0.com` or a custom domain. */
  domain: string;
  /** The API identifier (the `audience` the caller requested). */
  audience: string | readonly string[];
  /**
   * The namespaced claim an Auth0 Action writes roles to, e.g. `https://receipts.example.com/roles`
   * (Auth0 access tokens carry no roles otherwise).
   * @default undefined (roles from `roles`)
   */
  rolesClaim?: string;
}

/**
 * Auth0: issuer `https://<domain>/` (with its trailing slash), scopes from `scope` and RBAC `permissions`,
 * client id from `azp` (Auth0 profile) or `client_id` (RFC 9068 profile); both token profiles pass.
 * Client-credentials tokens (`gty: "client-credentials"`) are app-only.
 *
 * @example
 * app.use(authenticate(auth0({ domain: 'example.eu.auth0.com', audience: 'https://receipts.example.com' })));
 * @example
 * // Roles written by an Action under a namespaced claim:
 * auth0({ domain: 'example.eu.auth0.com', audience: 'https://receipts.example.com', rolesClaim: 'https://receipts.example.com/roles' });
 */
export function auth0(options: Auth0Options): PresetOptions {
  const domain = trimSlashes(requiredString(options.domain, 'domain', 'auth0()').replace(/^https:\/\//, ''));
  if (!HOST.test(domain)) fail('domain', 'must be a host name', 'auth0()');
  const rolesClaim = options.rolesClaim === undefined ? undefined : requiredString(options.rolesClaim, 'rolesClaim', 'auth0()');
  const claims = copyClaimLocations(auth0Family.claims);
  return {
    profile: 'auth0',
    issuer: `https://${domain}/`,
    audience: options.audience,
    jwksUri: `https://${domain}/.well-known/jwks.json`,
    claims: rolesClaim === undefined ? claims : { ...claims, roles: [rolesClaim] },
    requiredClaims: {},
  };
}
