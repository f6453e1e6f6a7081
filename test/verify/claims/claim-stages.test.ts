/** The claims stage: time claims with leeway, the audience, required claim values. Times in seconds. */
import { describe, expect, it } from 'vitest';
import { checkAudience } from '../../../src/verify/claims/check-audience.js';
import { checkRequiredClaims } from '../../../src/verify/claims/check-required-claims.js';
import { checkTimes, judgeTimes } from '../../../src/verify/claims/check-times.js';
import type { ClaimPolicy } from '../../../src/verify/claims/claim-policy.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

const policy: ClaimPolicy = {
  toleranceSec: 60,
  maxTokenAgeSec: undefined,
  audiences: new Set(['api://receipts']),
  audienceClaim: 'aud',
  requiredClaims: [['token_use', 'access']],
  accessTokenClaims: false,
  resource: undefined,
};

function refusal(run: () => unknown): TokenRejection {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenRejection) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkTimes', () => {
  const now = 1_800_000_000;
  it('accepts a token within its lifetime, with the leeway at both ends', () => {
    expect(checkTimes({ exp: now + 1, iat: now }, now, policy)).toEqual({ exp: now + 1, nbf: undefined, iat: now });
    expect(judgeTimes({ exp: now - 59, nbf: now + 59, iat: now + 59 }, now, policy)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no exp', {}, 'claim_missing'],
    ['a string exp', { exp: String(now + 60) }, 'claim_invalid'],
    ['an exp past the leeway', { exp: now - 60 }, 'token_expired'],
    ['an nbf beyond the leeway', { exp: now + 600, nbf: now + 61 }, 'token_not_yet_valid'],
    ['an iat in the future', { exp: now + 600, iat: now + 61 }, 'token_issued_in_future'],
  ])('refuses %s', (_name, payload, reason) => {
    expect(refusal(() => checkTimes(payload, now, policy)).reason).toBe(reason);
  });

  it('requires iat and judges the age with maxTokenAge', () => {
    const aged = { ...policy, maxTokenAgeSec: 300 };
    expect(refusal(() => checkTimes({ exp: now + 600 }, now, aged)).reason).toBe('claim_missing');
    expect(refusal(() => checkTimes({ exp: now + 600, iat: now - 361 }, now, aged)).reason).toBe('token_too_old');
    expect(refusal(() => checkTimes({ exp: now - 61 }, now, policy)).detail?.()).toBe(`now ${now}, exp ${now - 61} (61 s ago), clock tolerance 60 s`);
  });
});

describe('checkAudience', () => {
  it('accepts an aud string or list holding a configured audience, and returns the strings of aud', () => {
    expect(checkAudience({ aud: 'api://receipts' }, policy)).toEqual(['api://receipts']);
    expect(checkAudience({ aud: ['x', 7, 'api://receipts'] }, policy)).toEqual(['x', 'api://receipts']);
  });

  it('refuses another audience, saying which', () => {
    const rejection = refusal(() => checkAudience({ aud: ['api://other'] }, policy));
    expect(rejection.reason).toBe('audience_mismatch');
    expect(rejection.detail?.()).toBe('aud ["api://other"] has none of ["api://receipts"]');
  });

  it('checks client_id instead, and refuses any aud, when audienceClaim is client_id', () => {
    const cognito = { ...policy, audienceClaim: 'client_id' as const };
    expect(checkAudience({ client_id: 'api://receipts' }, cognito)).toEqual([]);
    expect(refusal(() => checkAudience({ client_id: 'api://receipts', aud: 'x' }, cognito)).reason).toBe('audience_mismatch');
  });
});

describe('checkRequiredClaims', () => {
  it('requires each claim with exactly its value, as an own member', () => {
    expect(() => checkRequiredClaims({ token_use: 'access' }, policy)).not.toThrow();
    expect(refusal(() => checkRequiredClaims({}, policy)).reason).toBe('claim_missing');
    expect(refusal(() => checkRequiredClaims({ token_use: 'id' }, policy)).detail?.()).toBe('token_use is "id", required "access"');
    expect(refusal(() => checkRequiredClaims(Object.create({ token_use: 'access' }) as Record<string, unknown>, policy)).reason).toBe('claim_missing');
  });
});
