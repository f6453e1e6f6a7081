/**
 * Precise reasons for the rejections people fight most with Microsoft Entra ID, computed only on the
 * rejection path from the (unverified) token. The verdict is the same 401; only the stable reason gets
 * sharper: a Microsoft Graph token sent to an API (`foreign_resource_token`: it cannot be validated outside
 * Graph), a v1.0 token sent to a v2.0-only configuration or the reverse (`token_version_mismatch`), a token
 * of a tenant that is not configured (`tenant_not_allowed`). A token of a configured tenant whose issuer is
 * only spelled differently (another cloud, a missing trailing slash, an upper-case GUID) keeps
 * `issuer_mismatch`.
 */
import type { InvalidTokenReason } from '../../errors/reasons.js';
import { ownMember, type JsonObject } from '../../json.js';
import { parseEntraIssuer, type EntraIssuer } from './entra-issuer.js';

/** Audiences of Microsoft Graph tokens. */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
]);

/** Reasons an Entra token's shape can explain better. */
const ENTRA_REFINABLE = new Set<InvalidTokenReason>([
  'issuer_mismatch',
  'signature_invalid',
  'key_not_found',
  'audience_mismatch',
]);

/** True for a token meant for Microsoft Graph. */
export function isGraphToken(payload: JsonObject): boolean {
  const aud = ownMember(payload, 'aud');
  const list = Array.isArray(aud) ? aud : [aud];
  return list.some((value) => typeof value === 'string' && GRAPH_AUDIENCES.has(value));
}

/** True when the token's `iss` has the shape of an Entra issuer (v1.0 or v2.0, any cloud). */
export function isEntraShaped(payload: JsonObject): boolean {
  const iss = ownMember(payload, 'iss');
  return typeof iss === 'string' && parseEntraIssuer(iss) !== undefined;
}

/** Whether a configured issuer accepts the token's tenant: a template, or the same tenant in any case. */
function acceptsTenant(configured: EntraIssuer, token: EntraIssuer): boolean {
  if (configured.tenant === undefined) return true;
  return token.tenant !== undefined && configured.tenant.toLowerCase() === token.tenant.toLowerCase();
}

/** The sharper reason for an Entra token's rejection, or `reason` unchanged. */
export function refineEntraRejection(
  reason: InvalidTokenReason,
  payload: JsonObject,
  configuredIssuers: readonly string[],
): InvalidTokenReason {
  if (!ENTRA_REFINABLE.has(reason)) return reason;
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
