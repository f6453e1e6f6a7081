/**
 * Signing-key issuer validation, as Microsoft Entra ID publishes it: a JWK may carry its own `issuer`
 * (often the template `https://login.microsoftonline.com/{tenantid}/v2.0`). When the key has one and the
 * token has a `tid`, the token's `iss` must contain that tenant, and the key's issuer (with `{tenantid}`
 * replaced by the `tid`) must equal the token's `iss`, or the configured issuer of the same tenant (so a
 * v1 token, whose `iss` is `https://sts.windows.net/{tid}/`, may be signed by a key published for v2).
 */
import type { KeyEntry } from '../keys/jwk-set.js';
import { TENANT_PLACEHOLDER } from './match-issuer.js';
import { reject } from './token-rejection.js';

/** Checks `entry.issuer` against the token's `iss` and `tid`. */
export function checkKeyIssuer(
  entry: KeyEntry,
  iss: string,
  tid: unknown,
  configuredIssuers: readonly string[],
): void {
  const keyIssuer = entry.issuer;
  if (keyIssuer === undefined || keyIssuer.trim() === '' || typeof tid !== 'string' || tid === '') return;
  if (!iss.includes(tid)) reject('tenant_mismatch');
  const effective = keyIssuer.replaceAll(TENANT_PLACEHOLDER, tid);
  if (effective === iss) return;
  for (const configured of configuredIssuers) {
    if (configured.replaceAll(TENANT_PLACEHOLDER, tid) === effective) return;
  }
  reject('key_issuer_mismatch');
}
