/** Azure AD B2C preset: the tenant's issuer, the policy's key set, the API's client id, `scp` and `azp`. */
import { fail as failOption } from '../../options/option-checks.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import type { PresetOptions } from '../../verify/verifier-options.js';
import { b2cFamily } from './family.js';

/** Options of {@link azureAdB2C}. */
export interface AzureAdB2COptions {
  /** The tenant name: `contoso` of `contoso.onmicrosoft.com` (the full domain is accepted too). */
  tenantName: string;
  /** The directory (tenant) id GUID, as in the issuer `https://<tenant>.b2clogin.com/<tenant id>/v2.0/`. */
  tenantId: string;
  /** The user flow or custom policy the tokens come from, e.g. `B2C_1A_ClientCredentialsFlow`: picks the key set. */
  policy: string;
  /** The API's application (client) id GUID: the `aud` of its tokens. */
  clientId: string;
  /** Accept only these calling applications (client id GUIDs, matched against `azp`). */
  allowedClientIds?: readonly string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TENANT_NAME = /^[a-z0-9][a-z0-9-]*$/i;
const POLICY = /^b2c_1a?_[a-z0-9_.-]+$/i;

function fail(name: string, expectation: string): never {
  failOption(name, expectation, 'azureAdB2C()');
}

function guid(value: unknown, name: string, expectation: string): string {
  if (typeof value !== 'string' || !GUID.test(value)) fail(name, expectation);
  return value.toLowerCase();
}

/**
 * Verifier options for an API protected by Azure AD B2C: issuer `https://<tenantName>.b2clogin.com/<tenantId>/v2.0/`,
 * keys from `https://<tenantName>.b2clogin.com/<tenantName>.onmicrosoft.com/<policy>/discovery/v2.0/keys`,
 * audience the API's client id, the caller from `azp`, scopes from `scp`. Client-credentials tokens carry the
 * application permissions granted to the caller in `scp` (never in `roles`): guard routes with
 * `requireScopes` or `requireScopesOrRoles`. App-only when `sub` equals `azp`. A token of another tenant is
 * refused as `tenant_not_allowed`, a B2C token without `azp` (an ID token) as `token_type_invalid`.
 *
 * @example
 * app.use(authenticate(azureAdB2C({
 *   tenantName: 'contoso', tenantId: '<tenant guid>', policy: 'B2C_1A_ClientCredentialsFlow', clientId: '<API app id>',
 * })));
 * app.get('/receipts', requireScopes('receipts.read'), handler);
 */
export function azureAdB2C(options: AzureAdB2COptions): PresetOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object with tenantName, tenantId, policy and clientId');
  const rawName: unknown = options.tenantName;
  const tenantName = typeof rawName === 'string' ? rawName.replace(/\.onmicrosoft\.com$/i, '').toLowerCase() : '';
  if (!TENANT_NAME.test(tenantName)) fail('tenantName', 'must be the tenant name, e.g. "contoso" of contoso.onmicrosoft.com');
  const tenantId = guid(options.tenantId, 'tenantId', 'must be the directory (tenant) id GUID');
  const clientId = guid(options.clientId, 'clientId', "must be the API's application (client) id GUID");
  if (typeof options.policy !== 'string' || !POLICY.test(options.policy)) {
    fail('policy', 'must be a user flow or custom policy name (B2C_1_… or B2C_1A_…)');
  }
  const allowed: unknown = options.allowedClientIds;
  if (allowed !== undefined && (!Array.isArray(allowed) || allowed.length === 0)) fail('allowedClientIds', 'must be a non-empty array of GUIDs');
  const host = `${tenantName}.b2clogin.com`;
  return {
    profile: 'b2c',
    issuer: `https://${host}/${tenantId}/v2.0/`,
    audience: clientId,
    jwksUri: `https://${host}/${tenantName}.onmicrosoft.com/${options.policy}/discovery/v2.0/keys`,
    claims: copyClaimLocations(b2cFamily.claims),
    requiredClaims: {},
    ...(allowed !== undefined
      ? { allowedClientIds: (allowed as unknown[]).map((id) => guid(id, 'allowedClientIds', 'must only hold GUIDs')) }
      : {}),
  };
}
