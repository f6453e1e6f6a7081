/**
 * Required claims: each must be present with exactly its configured value (`{ token_use: 'access' }`); with
 * `requiredTokenType: 'at+jwt'`, also the claims of RFC 9068 §2.2 (`iss`, `exp` and `aud` are required by
 * their own stages): `sub`, `client_id` and `jti` strings, `iat` present.
 */
import { shown } from '../../events/debug-log.js';
import type { JsonObject } from '../../json.js';
import { reject } from '../rejection.js';
import type { ClaimPolicy } from './claim-policy.js';

const RFC9068_STRINGS = ['sub', 'client_id', 'jti'] as const;

/** Checks that every required claim has its exact value. */
export function checkRequiredClaims(payload: JsonObject, policy: ClaimPolicy): void {
  for (const [name, expected] of policy.requiredClaims) {
    if (!Object.hasOwn(payload, name)) reject('claim_missing', () => `${name} is missing (required: ${shown(expected)})`);
    if (payload[name] !== expected) {
      reject('claim_invalid', () => `${name} is ${shown(payload[name])}, required ${shown(expected)}`);
    }
  }
  if (!policy.accessTokenClaims) return;
  for (const name of RFC9068_STRINGS) {
    if (!Object.hasOwn(payload, name)) reject('claim_missing', () => `${name} is missing (RFC 9068 §2.2, requiredTokenType at+jwt)`);
    if (typeof payload[name] !== 'string') reject('claim_invalid', () => `${name} is ${shown(payload[name])}, not a string (RFC 9068 §2.2)`);
  }
  if (!Object.hasOwn(payload, 'iat')) reject('claim_missing', () => 'iat is missing (RFC 9068 §2.2, requiredTokenType at+jwt)');
}
