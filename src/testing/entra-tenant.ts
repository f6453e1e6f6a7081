/**
 * Entra tenant mode: the test issuer stands in for one Microsoft Entra ID tenant, so an `entraId()` API and
 * Microsoft's own clients (MSAL) can be tested on loopback. What it imitates:
 *
 * - Entra's URL layout under the authority `<origin>/<tenant id>`: `/v2.0/.well-known/openid-configuration`,
 *   `/discovery/v2.0/keys`, `/oauth2/v2.0/token` (and `/oauth2/v2.0/authorize`, which refuses everything);
 * - Entra's issuer identifiers: tokens carry `https://login.microsoftonline.com/<tid>/v2.0` (v2.0) or
 *   `https://sts.windows.net/<tid>/` (v1.0) as `iss`, exactly as Entra writes them, although every byte is
 *   served from loopback: a verifier compares `iss` as a string and fetches only the keys, from `jwksUri`;
 * - keys published with Entra's `issuer` member, checked by `entraId()`'s key-issuer validation;
 * - the client credentials grant as Entra answers it: one `<resource>/.default` scope naming the API, a
 *   v2.0 app-only token (`aud` the API's client id, `azp`, `azpacr` 1 for a secret and 2 for a certificate,
 *   `tid`, `roles` from the client's app roles, `idtyp: "app"`, `ver: "2.0"`, `oid`, `sub`), and
 *   `ext_expires_in` in the response. Client assertions are addressed to the token URL and may be reused
 *   until they expire, as Entra allows.
 */
import type { JWK } from 'jose';
import type { IssuerLayout } from './issuer-routes.js';
import { TokenEndpointError } from './oauth-error.js';
import { TEST_SIGNING_ALGORITHMS } from './signing-keys.js';
import type { ResolvedEntra } from './test-issuer-options.js';

/** The tenant a test issuer stands in for (Entra tenant mode), and where its clients reach it. */
export interface TestEntraTenant {
  /** The directory (tenant) id: the `tid` of its tokens. */
  readonly tenantId: string;
  /** The API's application (client) id: the `aud` of v2.0 tokens. */
  readonly clientId: string;
  /** The API's Application ID URI: the `aud` of v1.0 tokens. */
  readonly appIdUri: string;
  /** The authority for MSAL: `<origin>/<tenant id>` (HTTPS needs the `https` option). */
  readonly authority: string;
  /** `https://login.microsoftonline.com/<tid>/v2.0`: the `iss` of v2.0 tokens and the metadata's `issuer`. */
  readonly issuer: string;
  /** `https://sts.windows.net/<tid>/`: the `iss` of v1.0 tokens (`sign({}, { preset: 'entra-v1' })`). */
  readonly v1Issuer: string;
  /** What a daemon asks for: `<appIdUri>/.default`. */
  readonly scope: string;
  /**
   * The OpenID configuration served at `<authority>/v2.0/.well-known/openid-configuration` (Entra's
   * `issuer`, local endpoints); give MSAL `JSON.stringify(metadata)` as `authorityMetadata`.
   */
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** Entra's public-cloud issuer hosts. */
const AUTHORITY_HOST = 'login.microsoftonline.com';
const V1_ISSUER_HOST = 'sts.windows.net';
const DEFAULT_SUFFIX = '/.default';

/** The endpoints of the tenant, under `/<tenant id>`. */
export function entraLayout(tenantId: string): IssuerLayout {
  return Object.freeze({
    metadata: Object.freeze([`/${tenantId}/v2.0/.well-known/openid-configuration`]),
    jwks: `/${tenantId}/discovery/v2.0/keys`,
    token: `/${tenantId}/oauth2/v2.0/token`,
    // Entra publishes no introspection endpoint (its metadata here does not either); the test issuer still
    // answers one, so `revoke()` and `mintOpaqueToken()` work in both modes.
    introspection: `/${tenantId}/oauth2/v2.0/introspect`,
    authorize: `/${tenantId}/oauth2/v2.0/authorize`,
  });
}

/** The tenant as served from `origin`. */
export function describeEntraTenant(entra: ResolvedEntra, origin: string): TestEntraTenant {
  const layout = entraLayout(entra.tenantId);
  const issuer = `https://${AUTHORITY_HOST}/${entra.tenantId}/v2.0`;
  const metadata = Object.freeze({
    issuer,
    authorization_endpoint: `${origin}${layout.authorize}`,
    token_endpoint: `${origin}${layout.token}`,
    jwks_uri: `${origin}${layout.jwks}`,
    response_types_supported: Object.freeze([]),
    grant_types_supported: Object.freeze(['client_credentials']),
    token_endpoint_auth_methods_supported: Object.freeze(['client_secret_post', 'private_key_jwt', 'client_secret_basic']),
    token_endpoint_auth_signing_alg_values_supported: Object.freeze([...TEST_SIGNING_ALGORITHMS]),
    cloud_instance_name: 'microsoftonline.com',
  });
  return Object.freeze({
    tenantId: entra.tenantId,
    clientId: entra.clientId,
    appIdUri: entra.appIdUri,
    authority: `${origin}/${entra.tenantId}`,
    issuer,
    v1Issuer: `https://${V1_ISSUER_HOST}/${entra.tenantId}/`,
    scope: `${entra.appIdUri}${DEFAULT_SUFFIX}`,
    metadata,
  });
}

/** The JWK Set with Entra's `issuer` member on every key (a tenant's key set names the tenant's issuer). */
export function withKeyIssuer(jwks: { keys: JWK[] }, issuer: string): { keys: JWK[] } {
  return { keys: jwks.keys.map((key) => ({ ...key, issuer })) };
}

/**
 * Checks the `scope` of a client credentials request as Entra does: exactly one `<resource>/.default`,
 * where the resource is the API (its Application ID URI, its client id, or `api://<client id>`).
 */
export function checkEntraScope(requested: string | null, tenant: TestEntraTenant): void {
  const words = (requested ?? '').split(' ').filter((word) => word !== '');
  if (words.length === 0) {
    throw new TokenEndpointError('invalid_request', "The request must contain a scope: '<resource>/.default'");
  }
  const [scope] = words;
  if (words.length > 1 || !scope!.endsWith(DEFAULT_SUFFIX)) {
    throw new TokenEndpointError('invalid_scope', "The client credentials grant takes one scope, '<resource>/.default'");
  }
  const resource = scope!.slice(0, -DEFAULT_SUFFIX.length);
  const api = [tenant.appIdUri, tenant.clientId, `api://${tenant.clientId}`];
  if (!api.includes(resource) && !api.includes(resource.toLowerCase())) {
    throw new TokenEndpointError('invalid_scope', 'The scope names a resource other than this API');
  }
}
