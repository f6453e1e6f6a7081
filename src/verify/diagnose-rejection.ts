/**
 * Precise reasons for the rejections people fight most, computed only on the rejection path from the
 * (unverified) token. The verdict is the same 401; only the stable reason gets sharper:
 *
 * - Microsoft Entra ID: a Microsoft Graph token sent to an API (`foreign_resource_token`: it cannot be
 *   validated outside Graph), a v1.0 token sent to a v2.0-only configuration or the reverse
 *   (`token_version_mismatch`), a token of a tenant that is not configured (`tenant_not_allowed`). A token
 *   of a configured tenant whose issuer is only spelled differently (another cloud, a missing trailing
 *   slash, an upper-case GUID) keeps `issuer_mismatch`.
 * - Entra, Keycloak and Amazon Cognito: an ID token (or any token that is not an access token) sent as a
 *   Bearer token (`token_type_invalid`), told apart by Entra's `azp`/`appid`, Keycloak's payload `typ` and
 *   Cognito's `token_use` (see `check-token-kind.ts`).
 */
import type { InvalidTokenReason } from '../errors.js';
import type { IssuerProfile, JsonObject } from '../types.js';
import { isOtherTokenKind } from './check-token-kind.js';
import { parseEntraIssuer, type EntraIssuer } from './entra-issuer.js';
import { ownMember } from '../identity/claim-path.js';

/** Audiences of Microsoft Graph tokens. */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
]);

function isGraphToken(payload: JsonObject): boolean {
  const aud = ownMember(payload, 'aud');
  const list = Array.isArray(aud) ? aud : [aud];
  return list.some((value) => typeof value === 'string' && GRAPH_AUDIENCES.has(value));
}

/** Reasons an Entra token's shape can explain better. */
const ENTRA_REFINABLE = new Set<InvalidTokenReason>([
  'issuer_mismatch',
  'signature_invalid',
  'key_not_found',
  'audience_mismatch',
]);

/** Reasons a token of the wrong kind (ID token…) typically gets. */
const KIND_REFINABLE = new Set<InvalidTokenReason>(['audience_mismatch', 'claim_missing', 'claim_invalid']);

/** Whether a configured issuer accepts the token's tenant: a template, or the same tenant in any case. */
function acceptsTenant(configured: EntraIssuer, token: EntraIssuer): boolean {
  if (configured.tenant === undefined) return true;
  return token.tenant !== undefined && configured.tenant.toLowerCase() === token.tenant.toLowerCase();
}

function diagnoseEntra(reason: InvalidTokenReason, payload: JsonObject, configuredIssuers: readonly string[]): InvalidTokenReason {
  if (isGraphToken(payload)) return 'foreign_resource_token';
  const iss = ownMember(payload, 'iss');
  const token = typeof iss === 'string' ? parseEntraIssuer(iss) : undefined;
  if (reason !== 'issuer_mismatch' || token === undefined) return reason;
  const configured = configuredIssuers.flatMap((issuer) => parseEntraIssuer(issuer) ?? []);
  if (configured.length === 0) return reason;
  if (!configured.some((entry) => entry.version === token.version)) return 'token_version_mismatch';
  const sameCloud = configured.filter((entry) => entry.version === token.version && entry.host === token.host);
  if (sameCloud.length === 0) return reason;
  // Same version and cloud, yet no configured issuer matched: either the tenant is not one of ours, or it
  // is and only the spelling of the issuer differs (then the configuration is what to fix).
  return sameCloud.some((entry) => acceptsTenant(entry, token)) ? reason : 'tenant_not_allowed';
}

/** Refines `reason` for tokens of a recognisable shape; returns `reason` unchanged otherwise. */
export function diagnoseRejection(
  reason: InvalidTokenReason,
  payload: JsonObject,
  profile: IssuerProfile,
  configuredIssuers: readonly string[],
): InvalidTokenReason {
  if (KIND_REFINABLE.has(reason) && isOtherTokenKind(payload, profile) && !isGraphToken(payload)) {
    return 'token_type_invalid';
  }
  if (!ENTRA_REFINABLE.has(reason)) return reason;
  const iss = ownMember(payload, 'iss');
  const entraShaped = typeof iss === 'string' && parseEntraIssuer(iss) !== undefined;
  if (profile !== 'entra' && !entraShaped) return reason;
  return diagnoseEntra(reason, payload, configuredIssuers);
}
