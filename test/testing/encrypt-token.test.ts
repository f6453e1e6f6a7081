/**
 * The test kit's encrypted tokens: `signEncrypted()` mints in OpenIddict's shape (RSA-OAEP or A256KW key
 * wrapping, A256CBC-HS512, the inner token with `typ: at+jwt`), `encrypt()` wraps any text, and
 * `decryptionKeys` hands the API the private halves as KeyObject, JWK and PEM. Checked with jose, the
 * reference implementation, not with bearer-guard.
 */
import { generateKeyPairSync } from 'node:crypto';
import { compactDecrypt, decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, TOKEN_PRESETS, type TestIssuer } from '../../src/testing/index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
});
afterAll(() => issuer.close());

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('the test issuer\'s encrypted tokens', () => {
  it('mints OpenIddict\'s default: RSA-OAEP, A256CBC-HS512, the key\'s kid, and a signed at+jwt inside', async () => {
    const token = await issuer.signEncrypted({ scope: 'receipts.read' });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RSA-OAEP', enc: 'A256CBC-HS512', cty: 'JWT', kid: 'test-encryption-rsa' });
    const inner = text((await compactDecrypt(token, issuer.decryptionKeys.rsa.privateKey)).plaintext);
    expect(decodeProtectedHeader(inner)).toMatchObject({ alg: 'RS256', typ: 'at+jwt', kid: issuer.signingKid });
    expect(decodeJwt(inner)).toMatchObject({
      iss: issuer.url,
      aud: 'api://receipts',
      sub: 'test-client',
      client_id: 'test-client',
      oi_prst: 'test-client',
      scope: 'receipts.read',
    });
  });

  it('wraps with A256KW under the AES key, and honours another preset and content encryption', async () => {
    const token = await issuer.signEncrypted({ scp: 'read' }, { preset: 'b2c', clientId: 'daemon' }, { alg: 'A256KW', enc: 'A128GCM' });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'A256KW', enc: 'A128GCM', kid: 'test-encryption-aes' });
    const inner = text((await compactDecrypt(token, issuer.decryptionKeys.aes.secretKey.export())).plaintext);
    expect(decodeProtectedHeader(inner).typ).toBe('JWT');
    expect(decodeJwt(inner)).toMatchObject({ azp: 'daemon', sub: 'daemon', scp: 'read', ver: '1.0', azpacr: '1', tfp: 'B2C_1A_CLIENTCREDENTIALSFLOW' });
  });

  it('encrypts any text to another key, with header members set or removed', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await issuer.encrypt('not a token', { alg: 'ECDH-ES', enc: 'A256GCM', key: ec.publicKey, header: { cty: undefined, zip: 'DEF' } });
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', zip: 'DEF' });
    expect(Object.hasOwn(header, 'cty')).toBe(false);
    expect(Object.hasOwn(header, 'kid')).toBe(false);
  });

  it('keeps one set of decryption keys, in every form the API may configure', () => {
    const keys = issuer.decryptionKeys;
    expect(issuer.decryptionKeys).toBe(keys);
    expect(keys.rsa.privateKey.type).toBe('private');
    expect(keys.rsa.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(keys.rsa.jwk).toMatchObject({ kty: 'RSA', kid: 'test-encryption-rsa', use: 'enc' });
    expect(typeof keys.rsa.jwk.d).toBe('string');
    expect(keys.rsa.pem.startsWith('-----BEGIN PRIVATE KEY-----')).toBe(true);
    expect(keys.aes.secretKey.symmetricKeySize).toBe(32);
    expect(keys.aes.jwk).toMatchObject({ kty: 'oct', kid: 'test-encryption-aes' });
  });

  it.each<[string, () => Promise<string>, string]>([
    ['alg in the header', () => issuer.encrypt('x', { header: { alg: 'dir' } }), 'option "header" cannot set "alg"'],
    ['ECDH-ES without a key', () => issuer.encrypt('x', { alg: 'ECDH-ES' }), 'option "key" is required for ECDH-ES'],
    ['an empty enc', () => issuer.encrypt('x', { enc: '' }), 'option "enc" must be a JWE content-encryption algorithm'],
  ])('refuses %s with a TypeError', async (_case, run, message) => {
    await expect(run()).rejects.toThrow(new TypeError(`bearer-guard/testing: encrypt() ${message}`).message);
  });

  it('lists the openiddict and b2c token presets', () => {
    expect(TOKEN_PRESETS).toEqual(['rfc9068', 'entra-v1', 'entra-v2', 'openiddict', 'b2c']);
  });
});
