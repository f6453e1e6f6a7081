/** Required claims: each must be present with exactly its configured value (`{ token_use: 'access' }`). */
import { shown } from '../../events/debug-log.js';
import type { JsonObject } from '../../json.js';
import { reject } from '../rejection.js';
import type { ClaimPolicy } from './claim-policy.js';

/** Checks that every required claim has its exact value. */
export function checkRequiredClaims(payload: JsonObject, policy: ClaimPolicy): void {
  for (const [name, expected] of policy.requiredClaims) {
    if (!Object.hasOwn(payload, name)) reject('claim_missing', () => `${name} is missing (required: ${shown(expected)})`);
    if (payload[name] !== expected) {
      reject('claim_invalid', () => `${name} is ${shown(payload[name])}, required ${shown(expected)}`);
    }
  }
}
