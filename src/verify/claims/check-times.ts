/**
 * The time claims (RFC 7519 §4.1.4–4.1.6): `exp` required; `exp`, `nbf`, `iat` finite NumericDates judged
 * with a leeway; an optional age limit on `iat`. Times are in seconds.
 */
import type { InvalidTokenReason } from '../../errors/reasons.js';
import { ownMember, type JsonObject } from '../../json.js';
import { reject } from '../rejection.js';
import type { ClaimPolicy } from './claim-policy.js';
import { relativeTime } from './time-words.js';

/** The time claims of a verified token, kept to re-check a cached token on every use. */
export interface TokenTimes {
  readonly exp: number;
  readonly nbf: number | undefined;
  readonly iat: number | undefined;
}

function numericDate(payload: JsonObject, name: 'exp' | 'nbf' | 'iat'): number | undefined {
  const value = ownMember(payload, name);
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) reject('claim_invalid', () => `${name} is not a NumericDate`);
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

/** What the debug log and the check trace say about the time claims: each with its distance from now. */
export function describeTimes(times: TokenTimes, nowSec: number, policy: ClaimPolicy): string {
  const now = Math.floor(nowSec);
  const at = (name: string, value: number): string => `${name} ${value} (${relativeTime(value, nowSec)})`;
  const parts = [`now ${now}`, at('exp', times.exp)];
  if (times.nbf !== undefined) parts.push(at('nbf', times.nbf));
  if (times.iat !== undefined) parts.push(at('iat', times.iat));
  parts.push(`clock tolerance ${policy.toleranceSec} s`);
  if (policy.maxTokenAgeSec !== undefined) parts.push(`max token age ${policy.maxTokenAgeSec} s`);
  return parts.join(', ');
}

/** Reads `exp` (required), `nbf` and `iat` (required by `maxTokenAge`) without judging them against a clock. */
export function readTimes(payload: JsonObject, policy: ClaimPolicy): TokenTimes {
  const exp = numericDate(payload, 'exp');
  const nbf = numericDate(payload, 'nbf');
  const iat = numericDate(payload, 'iat');
  if (exp === undefined) reject('claim_missing', () => 'exp is missing');
  if (iat === undefined && policy.maxTokenAgeSec !== undefined) {
    reject('claim_missing', () => 'iat is missing (required by maxTokenAge)');
  }
  return { exp, nbf, iat };
}

/** Reads and judges `exp`, `nbf` and `iat`. */
export function checkTimes(payload: JsonObject, nowSec: number, policy: ClaimPolicy): TokenTimes {
  const times = readTimes(payload, policy);
  const problem = judgeTimes(times, nowSec, policy);
  if (problem !== undefined) reject(problem, () => describeTimes(times, nowSec, policy));
  return times;
}
