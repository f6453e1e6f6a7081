/**
 * Precise reasons for the rejections people fight most with Microsoft Entra ID, computed only on the
 * rejection path from the (unverified) token: a Microsoft Graph token sent to an API (it cannot be
 * validated outside Graph), a v1.0 token sent to a v2.0-only configuration or the reverse, a token from a
 * tenant that is not configured. The verdict is the same 401; only the stable reason gets sharper.
 */
import type { InvalidTokenReason } from '../errors.js';
import type { IssuerProfile, JsonObject } from '../types.js';

/** Audiences of Microsoft Graph tokens. */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
]);

/** Hosts of Entra issuers per token version, across the public and national clouds. */
const V1_HOSTS = new Set(['sts.windows.net', 'sts.chinacloudapi.cn']);
const V2_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn']);

/** The Entra token version an issuer string denotes, if it is an Entra issuer. */
export function entraIssuerVersion(issuer: string): 'v1' | 'v2' | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (V1_HOSTS.has(url.hostname) && segments.length === 1) return 'v1';
  if (V2_HOSTS.has(url.hostname) && segments.length === 2 && segments[1] === 'v2.0') return 'v2';
  return undefined;
}

function isGraphToken(payload: JsonObject): boolean {
  const aud = payload.aud;
  const list = Array.isArray(aud) ? aud : [aud];
  return list.some((value) => typeof value === 'string' && GRAPH_AUDIENCES.has(value));
}

const REFINABLE = new Set<InvalidTokenReason>([
  'issuer_mismatch',
  'signature_invalid',
  'key_not_found',
  'audience_mismatch',
]);

/** Refines `reason` for tokens of Entra shape; returns `reason` unchanged otherwise. */
export function diagnoseRejection(
  reason: InvalidTokenReason,
  payload: JsonObject,
  profile: IssuerProfile,
  configuredIssuers: readonly string[],
): InvalidTokenReason {
  if (!REFINABLE.has(reason)) return reason;
  const iss = payload.iss;
  const version = typeof iss === 'string' ? entraIssuerVersion(iss) : undefined;
  if (profile !== 'entra' && version === undefined) return reason;
  if (isGraphToken(payload)) return 'foreign_resource_token';
  if (reason !== 'issuer_mismatch' || version === undefined) return reason;
  const configured = new Set(configuredIssuers.map((issuer) => entraIssuerVersion(issuer.replace('{tenantid}', 'x'))));
  configured.delete(undefined);
  if (configured.size > 0 && !configured.has(version)) return 'token_version_mismatch';
  return 'tenant_not_allowed';
}
