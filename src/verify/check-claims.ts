/**
 * Claim rules (RFC 7519 §4.1, RFC 9068 §4): `exp` required; `exp`, `nbf`, `iat` finite NumericDates judged
 * with a leeway; `aud` must contain a configured audience; required claim values; allowed callers.
 * Times are in seconds.
 */
import type { InvalidTokenReason } from '../errors.js';
import type { JsonObject } from '../types.js';
import { reject } from './token-rejection.js';
import { ownMember } from '../identity/claim-path.js';

/** How claims are judged. */
export interface ClaimPolicy {
  readonly toleranceSec: number;
  readonly maxTokenAgeSec: number | undefined;
  readonly audiences: ReadonlySet<string>;
  readonly audienceClaim: 'aud' | 'client_id';
  readonly requiredClaims: readonly (readonly [string, string | number | boolean])[];
  readonly allowedClientIds: ReadonlySet<string> | undefined;
  readonly allowedTenants: ReadonlySet<string> | undefined;
}

/** The time claims of a verified token, kept to re-check a cached token on every use. */
export interface TokenTimes {
  readonly exp: number;
  readonly nbf: number | undefined;
  readonly iat: number | undefined;
}

function numericDate(payload: JsonObject, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = ownMember(payload, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) reject('claim_invalid');
  return value;
}

/** Why `times` are not acceptable at `nowSec`, or `undefined` when they are. */
export function judgeTimes(times: TokenTimes, nowSec: number, policy: ClaimPolicy): InvalidTokenReason | undefined {
  const tolerance = policy.toleranceSec;
  if (nowSec >= times.exp + tolerance) return 'token_expired';
  if (times.nbf !== undefined && nowSec < times.nbf - tolerance) return 'token_not_yet_valid';
  if (times.iat !== undefined && times.iat > nowSec + tolerance) return 'token_issued_in_future';
  if (policy.maxTokenAgeSec !== undefined && nowSec - times.iat! > policy.maxTokenAgeSec + tolerance) {
    return 'token_too_old';
  }
  return undefined;
}

/** Reads and judges `exp`, `nbf` and `iat`. */
export function checkTimes(payload: JsonObject, nowSec: number, policy: ClaimPolicy): TokenTimes {
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  if (exp === undefined) reject('claim_missing');
  if (iat === undefined && policy.maxTokenAgeSec !== undefined) reject('claim_missing');
  const times = { exp, nbf, iat };
  const problem = judgeTimes(times, nowSec, policy);
  if (problem !== undefined) reject(problem);
  return times;
}

/** Checks the audience and returns the token's audiences (`aud` as an array of its strings). */
export function checkAudience(payload: JsonObject, policy: ClaimPolicy): readonly string[] {
  const aud = ownMember(payload, 'aud');
  if (policy.audienceClaim === 'client_id') {
    // Only for issuers whose access tokens carry no `aud` (Cognito); a token with one is something else.
    const clientId = ownMember(payload, 'client_id');
    if (aud !== undefined || typeof clientId !== 'string' || !policy.audiences.has(clientId)) {
      reject('audience_mismatch');
    }
    return [];
  }
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((v) => typeof v === 'string') : [];
  if (!values.some((value) => policy.audiences.has(value))) reject('audience_mismatch');
  return values;
}

/** Checks that every required claim has its exact value. */
export function checkRequiredClaims(payload: JsonObject, policy: ClaimPolicy): void {
  for (const [name, expected] of policy.requiredClaims) {
    if (!Object.hasOwn(payload, name)) reject('claim_missing');
    if (payload[name] !== expected) reject('claim_invalid');
  }
}

/**
 * Refuses sender-constrained tokens: a `cnf` claim (RFC 7800) binds the token to a key its holder must prove
 * (DPoP, RFC 9449 §7.2; mutual TLS, RFC 8705 §3). bearer-guard verifies no such proof, so accepting the token
 * as a plain Bearer token would strip the binding that protects it.
 */
export function checkNotSenderConstrained(payload: JsonObject): void {
  if (Object.hasOwn(payload, 'cnf')) reject('token_sender_constrained');
}

/** Checks the calling application and tenant against the allow-lists. */
export function checkCaller(clientId: string | undefined, tenantId: string | undefined, policy: ClaimPolicy): void {
  if (policy.allowedTenants !== undefined && (tenantId === undefined || !policy.allowedTenants.has(tenantId))) {
    reject('tenant_not_allowed');
  }
  if (policy.allowedClientIds !== undefined && (clientId === undefined || !policy.allowedClientIds.has(clientId))) {
    reject('client_not_allowed');
  }
}
