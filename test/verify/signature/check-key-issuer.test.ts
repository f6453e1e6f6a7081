/** A key's own `issuer` member (as Entra publishes it) must vouch for the token's issuer and tenant. */
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../../src/profiles/families.js';
import type { KeyEntry } from '../../../src/verify/keys/jwk-set.js';
import { TokenRejection } from '../../../src/verify/rejection.js';
import { checkKeyIssuer } from '../../../src/verify/signature/check-key-issuer.js';

const TID = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const family = FAMILIES.get('generic')!;
const key = createPublicKey(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'pem', type: 'spki' }));
const entry = (issuer: string | undefined): KeyEntry => ({
  kid: 'k', key, algorithms: new Set(['ES256']), issuer, signatureBytes: undefined, fingerprint: 'f', validUntil: 0,
});

function outcome(issuer: string | undefined, iss: string, tid: unknown, configured: string[] = []): string {
  try {
    checkKeyIssuer(entry(issuer), iss, tid, configured, family);
    return 'pass';
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason;
    throw error;
  }
}

describe('checkKeyIssuer', () => {
  const v2 = `https://login.microsoftonline.com/${TID}/v2.0`;
  it.each<[string, string | undefined, string, unknown, string]>([
    ['a key without issuer', undefined, 'https://a/', undefined, 'pass'],
    ['a key of exactly the token issuer', v2, v2, TID, 'pass'],
    ['the multi-tenant template with the token tenant', 'https://login.microsoftonline.com/{tenantid}/v2.0', v2, TID, 'pass'],
    ['a v2.0 key for the same tenant\'s v1.0 token', v2, `https://sts.windows.net/${TID}/`, TID, 'pass'],
    ['a blank key issuer', ' ', v2, TID, 'key_issuer_mismatch'],
    ['a token without tid', 'https://login.microsoftonline.com/{tenantid}/v2.0', v2, undefined, 'key_issuer_mismatch'],
    ['an iss that does not name the tid', 'https://login.microsoftonline.com/{tenantid}/v2.0', v2, 'other', 'tenant_mismatch'],
    ['another tenant\'s key', 'https://login.microsoftonline.com/other/v2.0', v2, TID, 'key_issuer_mismatch'],
  ])('%s → %s', (_name, keyIssuer, iss, tid, expected) => {
    expect(outcome(keyIssuer, iss, tid)).toBe(expected);
  });
});
