/**
 * Signing-key issuer validation, as Microsoft Entra ID publishes it: a JWK may carry its own `issuer`,
 * either the template `https://login.microsoftonline.com/{tenantid}/v2.0` (the multi-tenant key set) or
 * one tenant's issuer (a tenant's own key set, app-specific keys). When the key has one:
 *
 * 1. a key issuer equal to the token's `iss` passes;
 * 2. otherwise the token must name its tenant in `tid`, and `iss` must be that tenant's issuer (its first
 *    path segment is the `tid`), else `tenant_mismatch`;
 * 3. the key issuer, `{tenantid}` replaced by the `tid`, must belong to that same tenant and equal `iss`,
 *    or be an issuer the family counts as an alias of `iss` (Entra: a v1.0 token,
 *    `https://sts.windows.net/{tid}/`, is signed by keys published for
 *    `https://login.microsoftonline.com/{tid}/v2.0`), or equal one of the configured issuers; else
 *    `key_issuer_mismatch`.
 *
 * Keys without an `issuer` member (every other issuer's keys, Entra's v1.0 key set) are not affected. A key
 * whose `issuer` is blank cannot vouch for any issuer: tokens it signs are refused (`key_issuer_mismatch`).
 */
import type { KeyEntry } from '../keys/jwk-set.js';
import { shown } from '../../events/debug-log.js';
import type { IssuerFamily } from '../issuer-family.js';
import { TENANT_PLACEHOLDER } from '../issuer/match-issuer.js';
import { reject } from '../rejection.js';

/** The first path segment of an issuer URL (where Entra puts the tenant id), if it is a URL. */
function tenantSegment(issuer: string): string | undefined {
  if (!URL.canParse(issuer)) return undefined;
  const first = new URL(issuer).pathname.split('/')[1];
  return first === undefined || first === '' ? undefined : first;
}

/** Checks `entry.issuer` against the token's `iss` and `tid`; rejects a key of another issuer or tenant. */
export function checkKeyIssuer(
  entry: KeyEntry,
  iss: string,
  tid: unknown,
  configuredIssuers: readonly string[],
  family: IssuerFamily,
): void {
  const keyIssuer = entry.issuer;
  if (keyIssuer === undefined || keyIssuer === iss) return;
  if (keyIssuer.trim() === '' || typeof tid !== 'string' || tid === '') mismatch(keyIssuer, iss, tid);
  if (tenantSegment(iss) !== tid) reject('tenant_mismatch', () => `iss ${shown(iss)} does not name the tid ${shown(tid)}`);
  const effective = withTenant(keyIssuer, tid);
  if (effective === iss || family.isIssuerAlias(iss, effective)) return;
  if (tenantSegment(effective) === tid) {
    for (const configured of configuredIssuers) {
      if (withTenant(configured, tid) === effective) return;
    }
  }
  mismatch(keyIssuer, iss, tid);
}

/** `value` with `{tenantid}` replaced by `tid` (a replacer function, so `$` patterns in `tid` mean nothing). */
function withTenant(value: string, tid: string): string {
  return value.replaceAll(TENANT_PLACEHOLDER, () => tid);
}

function mismatch(keyIssuer: string, iss: string, tid: unknown): never {
  reject('key_issuer_mismatch', () => `the key's issuer ${shown(keyIssuer)} does not vouch for iss ${shown(iss)} (tid ${shown(tid)})`);
}
