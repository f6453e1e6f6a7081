/**
 * Microsoft Entra ID (Azure AD): issuers of both token versions, both audience forms, the tenant's JWKS
 * URI, and the Entra profile (claim locations, diagnostics, signing-key issuer validation).
 *
 * v1.0 tokens: `iss` `https://sts.windows.net/{tid}/`, client in `appid`, `aud` often the App ID URI.
 * v2.0 tokens: `iss` `https://login.microsoftonline.com/{tid}/v2.0`, client in `azp`, `aud` the client id.
 * Which one an API receives follows its app manifest (`accessTokenAcceptedVersion`), not the caller.
 */
import { booleanOption, fail as failOption } from '../../options/option-checks.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import type { PresetOptions } from '../../verify/verifier-options.js';
import { entraFamily } from './family.js';

/** Options of {@link entraId}. */
export interface EntraIdOptions {
  /**
   * The directory (tenant) id GUID for a single-tenant API (tokens must then carry that `tid`), or
   * `'organizations'` / `'common'` for a multi-tenant one (then issuers are `{tenantid}` templates checked
   * against each token's `tid`, and keys come from the `common` key set). Multi-tenant accepts every tenant:
   * narrow it with {@link EntraIdOptions.allowedTenants}. `'organizations'` refuses personal Microsoft
   * accounts (their tenant `9188040d-6c67-4c5b-b112-36a304b66dad`) with `tenant_not_allowed`; `'common'`
   * accepts them.
   */
  tenantId: string;
  /** The API's application (client) id, a GUID: the `aud` of v2.0 tokens. */
  clientId: string;
  /**
   * The API's Application ID URI(s), the usual `aud` of v1.0 tokens (`identifierUris` in the manifest).
   * @default `api://<clientId>`
   */
  appIdUri?: string | readonly string[];
  /** Also accept v1.0 tokens (`sts.windows.net` issuer). @default true */
  acceptV1?: boolean;
  /** Accept only these tenant ids (GUIDs), matched against `tid`. Meant for multi-tenant APIs. */
  allowedTenants?: readonly string[];
  /**
   * Accept only these calling applications (client id GUIDs, matched against `azp` in v2.0 tokens and
   * `appid` in v1.0 tokens). With client credentials any application of a tenant can get a token for your
   * API unless app assignment is required, so set this in production.
   */
  allowedClientIds?: readonly string[];
  /**
   * The API uses app-specific signing keys (a claims-mapping policy or a custom signing key): keys are
   * then fetched with `?appid=<clientId>` appended to the JWKS URI. Without it such tokens fail with
   * `key_not_found`.
   * @default false
   */
  appSigningKeys?: boolean;
  /** Authority host, for national clouds. @default "login.microsoftonline.com" */
  authorityHost?: string;
  /** Host of v1.0 issuers, for national clouds. @default "sts.windows.net" */
  v1IssuerHost?: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The tenant of personal Microsoft accounts (MSA), which `'organizations'` excludes. */
export const PERSONAL_ACCOUNTS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const HOST = /^[a-z0-9.-]+$/i;

function fail(name: string, expectation: string): never {
  failOption(name, expectation, 'entraId()');
}

/** A list of GUIDs, lowercased as Entra writes them in tokens; `undefined` when not given. */
function guidList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) fail(name, 'must be a non-empty array of GUIDs');
  return value.map((item: unknown) => {
    if (typeof item !== 'string' || !GUID.test(item)) fail(name, 'must only hold GUIDs');
    return item.toLowerCase();
  });
}

function appIdUris(value: unknown, clientId: string): string[] {
  if (value === undefined) return [`api://${clientId}`];
  const list: unknown = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((uri) => typeof uri === 'string' && uri !== '')) {
    fail('appIdUri', 'must be a non-empty string or a non-empty array of strings');
  }
  return list as string[];
}

/**
 * Verifier options for an API protected by Microsoft Entra ID: both token versions (v1.0 issuer
 * `https://sts.windows.net/<tenant>/`, v2.0 issuer `https://login.microsoftonline.com/<tenant>/v2.0`),
 * both audience forms (the client id GUID and the Application ID URI), the tenant's key set
 * (`…/<tenant>/discovery/v2.0/keys`, or `common` for multi-tenant), the Entra claim locations (`scp`,
 * `roles`, the caller in `azp`/`appid`, the tenant in `tid`), signing-key issuer validation and
 * Entra-specific rejection reasons. A token without `azp`/`appid` (an ID token) is refused as
 * `token_type_invalid`. Spread the result to override anything; extend its lists with `...options.claims`.
 *
 * @example
 * app.use(authenticate(entraId({ tenantId: '<tenant guid>', clientId: '<api client id>' })));
 * @example
 * // Multi-tenant, two customer tenants, one calling daemon:
 * entraId({ tenantId: 'organizations', clientId, allowedTenants: [tenantA, tenantB], allowedClientIds: [daemon] });
 */
export function entraId(options: EntraIdOptions): PresetOptions {
  if (typeof options !== 'object' || options === null) {
    failOption('options', 'must be an object with tenantId and clientId', 'entraId()');
  }
  const { tenantId, acceptV1 = true, appSigningKeys = false } = options;
  const multiTenant = tenantId === 'organizations' || tenantId === 'common';
  if (typeof tenantId !== 'string' || (!multiTenant && !GUID.test(tenantId))) {
    fail('tenantId', 'must be a tenant GUID, "organizations" or "common"');
  }
  if (typeof options.clientId !== 'string' || !GUID.test(options.clientId)) {
    fail('clientId', 'must be the API application (client) id GUID');
  }
  booleanOption(acceptV1, 'acceptV1', 'entraId()');
  booleanOption(appSigningKeys, 'appSigningKeys', 'entraId()');
  const clientId = options.clientId.toLowerCase();
  const authority = options.authorityHost ?? 'login.microsoftonline.com';
  const v1Host = options.v1IssuerHost ?? 'sts.windows.net';
  if (typeof authority !== 'string' || !HOST.test(authority)) fail('authorityHost', 'must be a host name');
  if (typeof v1Host !== 'string' || !HOST.test(v1Host)) fail('v1IssuerHost', 'must be a host name');
  const allowedTenants = guidList(options.allowedTenants, 'allowedTenants');
  const allowedClientIds = guidList(options.allowedClientIds, 'allowedClientIds');
  const tenant = multiTenant ? '{tenantid}' : tenantId.toLowerCase();
  const issuer = [`https://${authority}/${tenant}/v2.0`];
  if (acceptV1) issuer.push(`https://${v1Host}/${tenant}/`);
  const keys = `https://${authority}/${multiTenant ? 'common' : tenant}/discovery/v2.0/keys`;
  return {
    profile: 'entra',
    issuer,
    audience: [clientId, ...appIdUris(options.appIdUri, clientId)],
    jwksUri: appSigningKeys ? `${keys}?appid=${clientId}` : keys,
    claims: copyClaimLocations(entraFamily.claims),
    requiredClaims: {},
    validateKeyIssuer: true,
    ...(allowedTenants !== undefined ? { allowedTenants } : {}),
    ...(allowedClientIds !== undefined ? { allowedClientIds } : {}),
    ...(tenantId === 'organizations' ? { excludedTenants: [PERSONAL_ACCOUNTS_TENANT] } : {}),
  };
}
