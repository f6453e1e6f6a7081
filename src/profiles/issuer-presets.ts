/**
 * Presets for Auth0, Okta, Keycloak, Amazon Cognito and RFC 9068 issuers (OpenIddict, node-oidc-provider,
 * Duende…). Each returns plain verifier options ({@link PresetOptions}): a preset is only values of the
 * general options (issuer, audience, JWKS URI, claim locations, required claims), every claim location
 * and required claim spelled out, so anything it sets can be seen, overridden or extended by spreading.
 */
import { copyClaimLocations, PROFILE_CLAIMS } from '../identity/claim-locations.js';
import { isForbiddenSegment } from '../identity/claim-path.js';
import type { PresetOptions } from '../types.js';
import { fail, HOST, requireString, requireStrings, trimSlashes } from './preset-input.js';

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
  const domain = trimSlashes(requireString(options.domain, 'auth0', 'domain').replace(/^https:\/\//, ''));
  if (!HOST.test(domain)) fail('auth0', 'domain', 'must be a host name');
  const rolesClaim = options.rolesClaim === undefined ? undefined : requireString(options.rolesClaim, 'auth0', 'rolesClaim');
  const claims = copyClaimLocations(PROFILE_CLAIMS.auth0);
  return {
    profile: 'auth0',
    issuer: `https://${domain}/`,
    audience: options.audience,
    jwksUri: `https://${domain}/.well-known/jwks.json`,
    claims: rolesClaim === undefined ? claims : { ...claims, roles: [rolesClaim] },
    requiredClaims: {},
  };
}

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
    issuer: requireString(options.issuer, 'okta', 'issuer'),
    audience: options.audience,
    claims: copyClaimLocations(PROFILE_CLAIMS.okta),
    requiredClaims: {},
  };
}

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
  const base = trimSlashes(requireString(options.url, 'keycloak', 'url'));
  const realm = requireString(options.realm, 'keycloak', 'realm');
  const issuer = `${base}/realms/${encodeURIComponent(realm)}`;
  const clientRoles: unknown = options.clientRoles ?? [];
  if (!Array.isArray(clientRoles) || !clientRoles.every((client) => typeof client === 'string' && client !== '')) {
    fail('keycloak', 'clientRoles', 'must be an array of client ids');
  }
  if ((clientRoles as string[]).some(isForbiddenSegment)) {
    fail('keycloak', 'clientRoles', 'must not name "__proto__", "constructor" or "prototype"');
  }
  const claims = copyClaimLocations(PROFILE_CLAIMS.keycloak);
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

/** Options of {@link cognito}. */
export interface CognitoOptions {
  /** The AWS region, e.g. `eu-west-1`. */
  region: string;
  /** The user pool id, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** The app client ids allowed to call (checked against `client_id`, since these tokens have no `aud`). */
  clientIds: string | readonly string[];
}

/**
 * Amazon Cognito: client-credentials access tokens carry no `aud`; the app client is in `client_id` and
 * the kind in `token_use: access`. This preset checks `client_id` against `clientIds` instead of `aud`,
 * requires `token_use: access` and refuses any token that does carry an `aud` (ID tokens do).
 *
 * @example
 * app.use(authenticate(cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: ['1example'] })));
 */
export function cognito(options: CognitoOptions): PresetOptions {
  const region = requireString(options.region, 'cognito', 'region');
  const pool = requireString(options.userPoolId, 'cognito', 'userPoolId');
  if (!/^[a-z0-9-]+$/.test(region)) fail('cognito', 'region', 'must be a region name');
  if (!pool.startsWith(`${region}_`) || !/^[a-z0-9-]+_[A-Za-z0-9]+$/.test(pool)) {
    fail('cognito', 'userPoolId', 'must be "<region>_<id>", in the given region');
  }
  const clientIds = requireStrings(options.clientIds, 'cognito', 'clientIds');
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${encodeURIComponent(pool)}`;
  return {
    profile: 'cognito',
    issuer,
    audience: clientIds,
    audienceClaim: 'client_id',
    jwksUri: `${issuer}/.well-known/jwks.json`,
    claims: copyClaimLocations(PROFILE_CLAIMS.cognito),
    requiredClaims: { token_use: 'access' },
  };
}

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
    issuer: options.issuer,
    audience: options.audience,
    requiredTokenType: 'at+jwt',
    ...(options.jwksUri !== undefined ? { jwksUri: options.jwksUri } : {}),
    claims: copyClaimLocations(PROFILE_CLAIMS.generic),
    requiredClaims: {},
  };
}
