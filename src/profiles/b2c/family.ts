/**
 * Azure AD B2C: issuer `https://<tenant name>.b2clogin.com/<tenant id>/v2.0/`, delegated scopes and app
 * permissions both in `scp` (B2C's client-credentials tokens carry the application permissions granted to
 * the caller in `scp`, never in `roles`), the caller in `azp`. Every B2C access token names its client: a
 * verified token without `azp` (an ID token) is refused as `token_type_invalid`.
 *
 * App-only rule: `sub` equals `azp`. B2C writes the calling application's id as the subject of a
 * client-credentials token, and a user's object id as the subject of a token issued through a user flow.
 *
 * A token of another B2C tenant (its issuer names another tenant id) is refused as `tenant_not_allowed`.
 */
import type { InvalidTokenReason } from '../../errors/reasons.js';
import { isNonEmptyString, ownMember, type JsonObject } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

// `https://<host>/<tenant id>/v2.0/`: the default B2C issuer, on b2clogin.com or a custom domain.
const B2C_ISSUER = /^https:\/\/[a-z0-9.-]+\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/v2\.0\/$/i;

/** The tenant id a B2C issuer names, lower-cased; `undefined` for any other issuer. */
export function tenantOfB2cIssuer(issuer: unknown): string | undefined {
  return typeof issuer === 'string' ? B2C_ISSUER.exec(issuer)?.[1]?.toLowerCase() : undefined;
}

function refineB2cRejection(reason: InvalidTokenReason, payload: JsonObject, configured: readonly string[]): InvalidTokenReason | undefined {
  if (reason !== 'issuer_mismatch') return undefined;
  const tenant = tenantOfB2cIssuer(ownMember(payload, 'iss'));
  const tenants = configured.flatMap((issuer) => tenantOfB2cIssuer(issuer) ?? []);
  return tenant !== undefined && tenants.length > 0 && !tenants.includes(tenant) ? 'tenant_not_allowed' : undefined;
}

/** The Azure AD B2C family. */
export const b2cFamily = defineFamily({
  name: 'b2c',
  claims: { ...GENERIC_CLAIMS, scopes: ['scp'], clientId: ['azp'] },
  isAppOnly: (payload, clientId) => ownMember(payload, 'sub') === clientId,
  isOtherTokenKind: (payload) => !isNonEmptyString(ownMember(payload, 'azp')),
  refuseOtherTokenKinds: true,
  refineRejection: refineB2cRejection,
});
