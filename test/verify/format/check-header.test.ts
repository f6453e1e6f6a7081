/** The header rules: `alg` from the allow-list, `kid` a string, `crit` understood, `typ` an access-token type. */
import { describe, expect, it } from 'vitest';
import { checkHeader, type HeaderPolicy } from '../../../src/verify/format/check-header.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

const policy: HeaderPolicy = { algorithms: new Set(['RS256', 'ES256']), requireAtJwt: false };

function refusal(header: Record<string, unknown>, rules = policy): TokenRejection {
  try {
    checkHeader(header, rules);
  } catch (error) {
    if (error instanceof TokenRejection) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('checkHeader', () => {
  it('returns alg and kid of an acceptable header', () => {
    expect(checkHeader({ alg: 'ES256', kid: 'k', typ: 'at+jwt' }, policy)).toEqual({ alg: 'ES256', kid: 'k' });
    expect(checkHeader({ alg: 'RS256', typ: 'application/AT+JWT', crit: ['b64'], b64: true }, policy)).toEqual({
      alg: 'RS256',
      kid: undefined,
    });
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['an alg outside the list', { alg: 'PS256' }, 'algorithm_not_allowed', 'alg "PS256" is not one of ["RS256","ES256"]'],
    ['none', { alg: 'none' }, 'algorithm_not_allowed', 'alg "none" is not one of ["RS256","ES256"]'],
    ['a non-string alg', { alg: 1 }, 'header_invalid', 'alg 1 is not a string'],
    ['a non-string kid', { alg: 'RS256', kid: 7 }, 'header_invalid', 'kid 7 is not a string'],
    ['an unknown crit', { alg: 'RS256', crit: ['exp'] }, 'header_invalid', 'crit names "exp", which is not understood'],
    ['an unencoded payload', { alg: 'RS256', crit: ['b64'], b64: false }, 'header_invalid', 'crit names "b64", which is not understood'],
    ['an ID token typ', { alg: 'RS256', typ: 'id_token+jwt' }, 'token_type_invalid', 'typ "id_token+jwt" is not absent, JWT or at+jwt'],
  ])('refuses %s', (_name, header, reason, detail) => {
    const rejection = refusal(header);
    expect(rejection.reason).toBe(reason);
    expect(rejection.detail?.()).toBe(detail);
  });

  it('requires typ at+jwt when told to', () => {
    const strict = { ...policy, requireAtJwt: true };
    expect(refusal({ alg: 'RS256' }, strict).detail?.()).toBe('typ is missing; at+jwt is required');
    expect(refusal({ alg: 'RS256', typ: 'JWT' }, strict).detail?.()).toBe('typ "JWT" is not at+jwt');
  });
});
