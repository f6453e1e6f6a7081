/**
 * The shapes of Microsoft Entra ID issuers, across the public and national clouds:
 *
 * - v1.0: `https://<v1 host>/<tenant>/` (`sts.windows.net`, `sts.chinacloudapi.cn`);
 * - v2.0: `https://<authority host>/<tenant>/v2.0` (`login.microsoftonline.com`, `login.microsoftonline.us`,
 *   `login.chinacloudapi.cn`).
 *
 * Used only to explain rejections and to pair a key published for a tenant's v2.0 issuer with the same
 * tenant's v1.0 issuer; acceptance itself always rests on exact issuer matching.
 */
import { TENANT_PLACEHOLDER } from '../../verify/issuer/match-issuer.js';

/** Hosts of v1.0 issuers. */
const V1_HOSTS = new Set(['sts.windows.net', 'sts.chinacloudapi.cn']);
/** Hosts of v2.0 issuers. */
const V2_HOSTS = new Set(['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn']);
/** The v1.0 issuer host of each cloud whose v2.0 authority host is the key. */
const V1_HOST_OF_AUTHORITY: ReadonlyMap<string, string> = new Map([
  ['login.microsoftonline.com', 'sts.windows.net'],
  ['login.chinacloudapi.cn', 'sts.chinacloudapi.cn'],
]);

/** A parsed Entra issuer. */
export interface EntraIssuer {
  /** The token version the issuer stands for. */
  readonly version: 'v1' | 'v2';
  /** The issuer's host name. */
  readonly host: string;
  /** The tenant path segment, as written; `undefined` for a `{tenantid}` template. */
  readonly tenant: string | undefined;
}

/** The placeholder as it reads in a parsed URL path (braces are percent-encoded). */
const ENCODED_PLACEHOLDER = new URL(`https://h/${TENANT_PLACEHOLDER}`).pathname.slice(1);

/**
 * The version, host and tenant of an Entra issuer (a configured one may be a `{tenantid}` template);
 * `undefined` for any other issuer. The tenant is the path segment as URL parsing normalises it.
 */
export function parseEntraIssuer(issuer: string): EntraIssuer | undefined {
  if (!URL.canParse(issuer)) return undefined;
  const url = new URL(issuer);
  if (url.protocol !== 'https:' || url.port !== '' || url.search !== '' || url.hash !== '') return undefined;
  // Lenient about empty segments (a hand-written issuer may lack the trailing slash): diagnostics only.
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const [segment, version] = segments;
  if (segment === undefined) return undefined;
  const tenant = segment === ENCODED_PLACEHOLDER ? undefined : segment;
  if (V1_HOSTS.has(url.hostname) && segments.length === 1) return { version: 'v1', host: url.hostname, tenant };
  if (V2_HOSTS.has(url.hostname) && segments.length === 2 && version === 'v2.0') {
    return { version: 'v2', host: url.hostname, tenant };
  }
  return undefined;
}

/**
 * Whether `iss` is the v1.0 issuer of the same cloud and tenant as the v2.0 issuer `v2Issuer`
 * (`https://login.microsoftonline.com/<t>/v2.0` ↔ `https://sts.windows.net/<t>/`). Entra signs both
 * versions with the keys it publishes under the v2.0 issuer.
 */
export function isV1IssuerOf(iss: string, v2Issuer: string): boolean {
  const v2 = parseEntraIssuer(v2Issuer);
  if (v2 === undefined || v2.version !== 'v2' || v2.tenant === undefined) return false;
  if (v2Issuer !== `https://${v2.host}/${v2.tenant}/v2.0`) return false; // exactly as Entra writes it
  const v1Host = V1_HOST_OF_AUTHORITY.get(v2.host);
  return v1Host !== undefined && iss === `https://${v1Host}/${v2.tenant}/`;
}
