/** The signature check: one `crypto.verify` per algorithm, exact signature lengths, a key fit for the alg. */
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { KeyEntry } from '../../../src/verify/keys/jwk-set.js';
import { verifySignature } from '../../../src/verify/signature/verify-signature.js';

function entry(key: ReturnType<typeof generateKeyPairSync>['publicKey'], algorithms: string[], signatureBytes?: number): KeyEntry {
  return { kid: 'k', key, algorithms: new Set(algorithms), issuer: undefined, signatureBytes, fingerprint: 'f', validUntil: 0 };
}

describe('verifySignature', () => {
  const input = Buffer.from('header.payload');

  it('verifies RS256 and refuses a signature of another length or for another input', () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = sign('sha256', input, privateKey);
    const key = entry(publicKey, ['RS256'], 256);
    expect(verifySignature('RS256', key, input, signature)).toBe(true);
    expect(verifySignature('RS256', key, Buffer.from('header.other'), signature)).toBe(false);
    expect(verifySignature('RS256', key, input, signature.subarray(1))).toBe(false);
    expect(verifySignature('RS256', key, input, Buffer.concat([Buffer.from([0]), signature]))).toBe(false);
  });

  it('verifies ES256 in IEEE P1363 form only', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const key = entry(publicKey, ['ES256']);
    expect(verifySignature('ES256', key, input, sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' }))).toBe(true);
    expect(verifySignature('ES256', key, input, sign('sha256', input, { key: privateKey, dsaEncoding: 'der' }))).toBe(false);
  });

  it('refuses an algorithm the key is not fit for, and an unknown algorithm', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const signature = sign(null, input, privateKey);
    expect(verifySignature('EdDSA', entry(publicKey, ['EdDSA']), input, signature)).toBe(true);
    expect(verifySignature('Ed25519', entry(publicKey, ['EdDSA']), input, signature)).toBe(false);
    expect(verifySignature('HS256', entry(publicKey, ['HS256']), input, signature)).toBe(false);
  });
});
