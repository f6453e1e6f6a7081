/** Keycloak preset: realm issuer, the realm's certs endpoint, realm and client roles, access tokens only. */
import type { PresetOptions } from '../../verify/verifier-options.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import { fail, requiredString } from '../../options/option-checks.js';
import { trimSlashes } from '../preset-input.js';
import { isForbiddenSegment } from '../../verify/identity/claim-path.js';
import { keycloakFamily } from './family.js';

/** Options of {@link keycloak}. */
export interface KeycloakOptions {
  /** The server URL, e.g. `https://sso.example.com` (older servers: `https://sso.example.com/auth`). */
  url: string;
  /** The Keycloak realm name (not the `WWW-Authenticate` realm). */
  realm: string;
  /** Accepted `aud` values (add an audience mapper in Keycloak: by default `aud` is only `account`). */
  audience: string | readonly string[];
  /** Client ids whose client roles (`resource_access.<client>.roles`) count as roles. @default [] */
  clientRoles?: readonly string[];
}

/**
 * Keycloak: roles from `realm_access.roles` and the listed clients' `resource_access.<client>.roles`,
 * client id from `client_id`/`azp`, and only access tokens (payload `typ: "Bearer"`; ID, refresh and
 * logout tokens are refused).
 *
 * @example
 * app.use(authenticate(keycloak({ url: 'https://sso.example.com', realm: 'shop', audience: 'receipts-api' })));
 * @example
 * // Extend, keeping the preset's role locations and its `typ: "Bearer"` requirement:
 * const options = keycloak({ url: 'https://sso.example.com', realm: 'shop', audience: 'receipts-api' });
 * authenticate({
 *   ...options,
 *   claims: { ...options.claims, roles: [...options.claims.roles, 'groups'] },
 *   requiredClaims: { ...options.requiredClaims, acr: '1' },
 * });
 */
export function keycloak(options: KeycloakOptions): PresetOptions {
  const base = trimSlashes(requiredString(options.url, 'url', 'keycloak()'));
  const realm = requiredString(options.realm, 'realm', 'keycloak()');
  const issuer = `${base}/realms/${encodeURIComponent(realm)}`;
  const clientRoles: unknown = options.clientRoles ?? [];
  if (!Array.isArray(clientRoles) || !clientRoles.every((client) => typeof client === 'string' && client !== '')) {
    fail('clientRoles', 'must be an array of client ids', 'keycloak()');
  }
  if ((clientRoles as string[]).some(isForbiddenSegment)) {
    fail('clientRoles', 'must not name "__proto__", "constructor" or "prototype"', 'keycloak()');
  }
  const claims = copyClaimLocations(keycloakFamily.claims);
  const clientPaths = (clientRoles as string[]).map((client) => ['resource_access', client, 'roles']);
  return {
    profile: 'keycloak',
    issuer,
    audience: options.audience,
    jwksUri: `${issuer}/protocol/openid-connect/certs`,
    claims: { ...claims, roles: [...claims.roles, ...clientPaths] },
    requiredClaims: { typ: 'Bearer' },
  };
}
