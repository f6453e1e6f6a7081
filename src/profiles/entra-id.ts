/**
 * Microsoft Entra ID (Azure AD): issuers of both token versions, both audience forms, the tenant's JWKS
 * URI, and the Entra profile (claim locations, diagnostics, signing-key issuer validation).
 *
 * v1.0 tokens: `iss` `https://sts.windows.net/{tid}/`, client in `appid`, `aud` often the App ID URI.
 * v2.0 tokens: `iss` `https://login.microsoftonline.com/{tid}/v2.0`, client in `azp`, `aud` the client id.
 * Which one an API receives follows its app manifest (`accessTokenAcceptedVersion`), not the caller.
 */
import type { VerifierOptions } from '../types.js';

/** Options of {@link entraId}. */
export interface EntraIdOptions {
  /**
   * The directory (tenant) id GUID for a single-tenant API, or `'organizations'` / `'common'` for a
   * multi-tenant one (then issuers are `{tenantid}` templates checked against each token's `tid`).
   */
  tenantId: string;
  /** The API's application (client) id, a GUID: the `aud` of v2.0 tokens. */
  clientId: string;
  /** The API's Application ID URI, the usual `aud` of v1.0 tokens. @default `api://<clientId>` */
  appIdUri?: string;
  /** Also accept v1.0 tokens (`sts.windows.net` issuer). @default true */
  acceptV1?: boolean;
  /** Multi-tenant: accept only these tenant ids. */
  allowedTenants?: readonly string[];
  /**
   * Accept only these calling applications (`azp`/`appid`). With client credentials any application of
   * a tenant can get a token for your API unless app assignment is required, so set this in production.
   */
  allowedClientIds?: readonly string[];
  /** Authority host, for national clouds. @default "login.microsoftonline.com" */
  authorityHost?: string;
  /** Host of v1.0 issuers, for national clouds. @default "sts.windows.net" */
  v1IssuerHost?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST = /^[a-z0-9.-]+$/i;

function fail(name: string, expectation: string): never {
  throw new TypeError(`bearer-guard: entraId option "${name}" ${expectation}`);
}

/**
 * Verifier options for an API protected by Microsoft Entra ID.
 *
 * @example
 * app.use(authenticate(entraId({ tenantId: '<tenant guid>', clientId: '<api client id>' })));
 */
export function entraId(options: EntraIdOptions): VerifierOptions {
  const { tenantId, clientId, acceptV1 = true } = options;
  const multiTenant = tenantId === 'organizations' || tenantId === 'common';
  if (typeof tenantId !== 'string' || (!multiTenant && !GUID.test(tenantId))) {
    fail('tenantId', 'must be a tenant GUID, "organizations" or "common"');
  }
  if (typeof clientId !== 'string' || !GUID.test(clientId)) fail('clientId', 'must be the API application (client) id GUID');
  const authority = options.authorityHost ?? 'login.microsoftonline.com';
  const v1Host = options.v1IssuerHost ?? 'sts.windows.net';
  if (!HOST.test(authority)) fail('authorityHost', 'must be a host name');
  if (!HOST.test(v1Host)) fail('v1IssuerHost', 'must be a host name');
  const tenant = multiTenant ? '{tenantid}' : tenantId.toLowerCase();
  const issuer = [`https://${authority}/${tenant}/v2.0`];
  if (acceptV1) issuer.push(`https://${v1Host}/${tenant}/`);
  const audience = [clientId.toLowerCase(), options.appIdUri ?? `api://${clientId.toLowerCase()}`];
  return {
    profile: 'entra',
    issuer,
    audience,
    jwksUri: `https://${authority}/${multiTenant ? 'common' : tenant}/discovery/v2.0/keys`,
    validateKeyIssuer: true,
    ...(options.allowedTenants !== undefined ? { allowedTenants: options.allowedTenants } : {}),
    ...(options.allowedClientIds !== undefined ? { allowedClientIds: options.allowedClientIds } : {}),
  };
}
