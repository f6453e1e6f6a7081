/**
 * The check trace: an optional sink the pipeline reports every check to, passed or refused, with what was
 * required against what the token holds. `bearer-guard verify` passes one to see each check the middleware
 * makes, through the middleware's own pipeline; `authenticate()` never does, and then the pipeline pays one
 * nullish test per stage (`trace?.passed(…)` evaluates nothing else when there is no trace).
 *
 * A stage reports through it in two ways, both written in `verify-token.ts`:
 * - passed: `trace?.passed(stage, detail)` right after the stage's check returns, `detail` an "expected …
 *   got …" sentence built by a describer of that stage (the ones below, or one beside the new stage's check);
 * - refused: nothing to write: the stage's `reject(reason, () => detail)` reaches the pipeline's one
 *   refusal path, which calls `trace.refused(stage, error, detail)` with the error the client gets.
 *
 * Details may hold claim values, configured values and key ids, never token bytes or a signature.
 */
import type { AuthError } from '../errors/auth-errors.js';
import { shown } from '../events/debug-log.js';
import type { OutcomeStage } from '../events/verify-events.js';
import { ownMember, type JsonObject } from '../json.js';
import type { CallerPolicy } from './caller/check-caller.js';
import type { ClaimPolicy } from './claims/claim-policy.js';
import type { HeaderPolicy } from './format/check-header.js';
import type { IssuerRule } from './issuer/match-issuer.js';
import type { KeyEntry } from './keys/jwk-set.js';

/** Receives each check of one verification, in pipeline order. */
export interface CheckTrace {
  /** A check of `stage` passed; `detail` says what was required and what the token holds. */
  passed(stage: OutcomeStage, detail: string): void;
  /**
   * `stage` refused the token: `error` is exactly what the client is answered (after the family's sharper
   * reason); `detail` is the stage's "expected … got …", when it gave one.
   */
  refused(stage: OutcomeStage, error: AuthError, detail: string | undefined): void;
}

/** The format stage: a JWS whose header passed. */
export function describeHeader(length: number, header: JsonObject, alg: string, policy: HeaderPolicy): string {
  const typ = ownMember(header, 'typ');
  const typText = typ === undefined ? 'no typ' : `typ ${shown(typ)}`;
  return `a JWS of ${length} characters; alg ${shown(alg)} is allowed; ${typText} (${policy.requireAtJwt ? 'at+jwt required' : 'absent, JWT or at+jwt'})`;
}

/** The issuer stage: the configured issuer the token's `iss` matched. */
export function describeIssuer(iss: string, rule: IssuerRule<unknown>, tid: unknown): string {
  if (rule.configured === iss) return `iss ${shown(iss)} is a configured issuer${rule.tenant === undefined ? '' : ` of tenant ${shown(rule.tenant)}`}`;
  return `iss ${shown(iss)} matches ${shown(rule.configured)} with tid ${shown(tid)}`;
}

/** The key stage: the key the token's `alg` and `kid` selected. */
export function describeKey(found: KeyEntry, alg: string): string {
  const details = found.key.asymmetricKeyDetails;
  const size = details?.modulusLength !== undefined ? ` ${details.modulusLength} bits` : details?.namedCurve !== undefined ? ` ${details.namedCurve}` : '';
  const name = found.kid === undefined ? 'the one key without kid' : `kid ${shown(found.kid)}`;
  return `${name} is in the issuer's key set (${found.key.asymmetricKeyType ?? 'key'}${size}, fit for ${alg})`;
}

/** The signature stage: the signature, and the key's own `issuer` member when it was checked. */
export function describeSignature(found: KeyEntry, alg: string, iss: string, keyIssuerChecked: boolean): string {
  const signature = `the ${alg} signature verifies with ${found.kid === undefined ? 'the key' : `key ${shown(found.kid)}`}`;
  if (!keyIssuerChecked || found.issuer === undefined) return signature;
  return `${signature}; the key's issuer ${shown(found.issuer)} vouches for iss ${shown(iss)}`;
}

/** The claims stage: the audience that matched. */
export function describeAudience(payload: JsonObject, policy: ClaimPolicy): string {
  const accepted = shown([...policy.audiences]);
  if (policy.audienceClaim === 'client_id') {
    return `client_id ${shown(ownMember(payload, 'client_id'))} is one of ${accepted} (no aud, as audienceClaim "client_id" requires)`;
  }
  return `aud ${shown(ownMember(payload, 'aud'))} has one of ${accepted}`;
}

/** The claims stage: the required claims, each with its value. */
export function describeRequiredClaims(policy: ClaimPolicy): string {
  return policy.requiredClaims.map(([name, value]) => `${name} ${shown(value)}`).join(', ') + ' as required';
}

/** The identity stage: the caller and tenant read from their claim locations. */
export function describeIdentity(clientId: string | undefined, tenantId: string | undefined): string {
  return `client ${clientId === undefined ? 'none' : shown(clientId)}, tenant ${tenantId === undefined ? 'none' : shown(tenantId)}`;
}

/** The caller stage: the allow-lists, or their absence. */
export function describeCaller(clientId: string | undefined, tenantId: string | undefined, policy: CallerPolicy): string {
  const parts: string[] = [];
  if (policy.allowedTenants !== undefined) parts.push(`tenant ${shown(tenantId)} is one of ${shown([...policy.allowedTenants])}`);
  if (policy.allowedClientIds !== undefined) parts.push(`client ${shown(clientId)} is one of ${shown([...policy.allowedClientIds])}`);
  return parts.length === 0 ? 'any client and tenant (no allowedClientIds, no allowedTenants)' : parts.join('; ');
}
