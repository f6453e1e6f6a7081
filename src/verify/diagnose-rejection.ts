/**
 * Precise reasons for the rejections people fight most, computed only on the rejection path from the
 * (unverified) token. The verdict is the same 401; only the stable reason gets sharper:
 *
 * - Microsoft Entra ID: a Microsoft Graph token sent to an API (`foreign_resource_token`: it cannot be
 *   validated outside Graph), a v1.0 token sent to a v2.0-only configuration or the reverse
 *   (`token_version_mismatch`), a token of a tenant that is not configured (`tenant_not_allowed`).
 * - Keycloak and Amazon Cognito: an ID token (or any token that is not an access token) sent as a
 *   Bearer token (`token_type_invalid`), told apart by Keycloak's payload `typ` and Cognito's `token_use`.
 */
import type { InvalidTokenReason } from '../errors.js';
import type { IssuerProfile, JsonObject } from '../types.js';
import { TENANT_PLACEHOLDER } from './match-issuer.js';

/** Audiences of Microsoft Graph tokens. */
const GRAPH_AUDIENCES = new Set([
  '00000003-0000-0000-c000-000000000000',
  'https://graph.microsoft.com',
  'https://graph.microsoft.com/',
]);

/** Hosts of Entra issuers per token version, across the public and national clouds. */
const V1_HOSTS = new Set(['sts.windows.net', 'sts.chinacloudapi.cn']);
const V2_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn']);

/** An Entra issuer: its token version and host. */
interface EntraIssuer {
  readonly version: 'v1' | 'v2';
  readonly host: string;
}

/** The version and host of an Entra issuer string; `undefined` for any other issuer. */
function parseEntraIssuer(issuer: string): EntraIssuer | undefined {
  if (!URL.canParse(issuer)) return undefined;
  const url = new URL(issuer);
  const segments = url.pathname.split('/').filter((s) => s !== '');
  if (V1_HOSTS.has(url.hostname) && segments.length === 1) return { version: 'v1', host: url.hostname };
  if (V2_HOSTS.has(url.hostname) && segments.length === 2 && segments[1] === 'v2.0') {
    return { version: 'v2', host: url.hostname };
  }
  return undefined;
}

function isGraphToken(payload: JsonObject): boolean {
  const aud = payload.aud;
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

/** Whether a payload is clearly not an access token of the profile's issuer. */
function isOtherTokenKind(payload: JsonObject, profile: IssuerProfile): boolean {
  if (profile === 'keycloak') return payload.typ !== 'Bearer';
  if (profile === 'cognito') return payload.token_use !== 'access';
  return false;
}

function diagnoseEntra(reason: InvalidTokenReason, payload: JsonObject, configuredIssuers: readonly string[]): InvalidTokenReason {
  if (isGraphToken(payload)) return 'foreign_resource_token';
  const token = typeof payload.iss === 'string' ? parseEntraIssuer(payload.iss) : undefined;
  if (reason !== 'issuer_mismatch' || token === undefined) return reason;
  const configured = configuredIssuers.flatMap((issuer) => {
    const parsed = parseEntraIssuer(issuer.replaceAll(TENANT_PLACEHOLDER, 'tenant'));
    return parsed === undefined ? [] : [parsed];
  });
  if (configured.length === 0) return reason;
  if (!configured.some((entry) => entry.version === token.version)) return 'token_version_mismatch';
  // Same version and cloud, yet no configured issuer matched: the tenant is not one of ours.
  if (configured.some((entry) => entry.version === token.version && entry.host === token.host)) {
    return 'tenant_not_allowed';
  }
  return reason;
}

/** Refines `reason` for tokens of a recognisable shape; returns `reason` unchanged otherwise. */
export function diagnoseRejection(
  reason: InvalidTokenReason,
  payload: JsonObject,
  profile: IssuerProfile,
  configuredIssuers: readonly string[],
): InvalidTokenReason {
  if (KIND_REFINABLE.has(reason) && isOtherTokenKind(payload, profile)) return 'token_type_invalid';
  if (!ENTRA_REFINABLE.has(reason)) return reason;
  const entraShaped = typeof payload.iss === 'string' && parseEntraIssuer(payload.iss) !== undefined;
  if (profile !== 'entra' && !entraShaped) return reason;
  return diagnoseEntra(reason, payload, configuredIssuers);
}
