/**
 * The `decryption` option, validated at creation: every unusable key and every unknown or refused algorithm
 * is a TypeError naming the option (`decryption.keys[1]`, `decryption.keyManagementAlgorithms`), and keys
 * given as KeyObject, JWK and PEM are imported once, each with the algorithms it may serve.
 */
import { createSecretKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifier, DEFAULTS, type DecryptionOptions } from '../../../src/index.js';
import { resolveDecryption } from '../../../src/verify/format/decryption-options.js';

const BASE = { issuer: 'https://id.example.com/', audience: 'receipts-api' } as const;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const x25519 = generateKeyPairSync('x25519');
const ed25519 = generateKeyPairSync('ed25519');
const aes256 = createSecretKey(randomBytes(32));
const jwk = (key: KeyObject, extra: JsonWebKey = {}): JsonWebKey => ({ ...key.export({ format: 'jwk' }), ...extra });
const pem = (key: KeyObject): string => key.export({ format: 'pem', type: key.type === 'public' ? 'spki' : 'pkcs8' }).toString();

function message(decryption: unknown): string {
  try {
    createVerifier({ ...BASE, decryption: decryption as DecryptionOptions });
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected a TypeError');
}

describe('the decryption option', () => {
  it.each<[string, unknown, string]>([
    ['not an object', 'keys', '"decryption" must be an object'],
    ['an unknown member', { keys: [rsa.privateKey], algorithm: 'RSA-OAEP' }, '"decryption.algorithm" is not a known option'],
    ['no keys', {}, '"decryption.keys" must be a non-empty array of keys'],
    ['an empty key list', { keys: [] }, '"decryption.keys" must be a non-empty array of keys'],
    ['17 keys', { keys: Array.from({ length: 17 }, () => rsa.privateKey) }, '"decryption.keys" must hold at most 16 keys'],
    ['a public KeyObject', { keys: [rsa.publicKey] }, '"decryption.keys[0]" must be a private or symmetric key'],
    ['a public JWK', { keys: [jwk(rsa.publicKey)] }, '"decryption.keys[0]" must be a private JWK'],
    ['a public PEM', { keys: [pem(rsa.publicKey)] }, '"decryption.keys[0]" must be an unencrypted PEM private key'],
    ['a string that is no PEM', { keys: ['secret'] }, '"decryption.keys[0]" must be a KeyObject, a JWK or a PEM private key'],
    ['a number', { keys: [42] }, '"decryption.keys[0]" must be a KeyObject, a JWK or a PEM private key'],
    ['an RSA key of 1024 bits', { keys: [rsa.privateKey, small.privateKey] }, '"decryption.keys[1]" must be an RSA key of 2048 to 16384 bits'],
    ['a secp256k1 key', { keys: [k1.privateKey] }, '"decryption.keys[0]" must be an EC key on P-256, P-384 or P-521'],
    ['an Ed25519 key', { keys: [ed25519.privateKey] }, '"decryption.keys[0]" must be an RSA, EC (P-256, P-384, P-521), X25519 or symmetric key'],
    ['a 20-byte secret', { keys: [createSecretKey(randomBytes(20))] }, '"decryption.keys[0]" is a 20-byte symmetric key, which none'],
    ['an oct JWK without k', { keys: [{ kty: 'oct' }] }, '"decryption.keys[0]" is an "oct" JWK without a base64url "k"'],
    ['a JWK for signatures', { keys: [jwk(rsa.privateKey, { use: 'sig' })] }, '"decryption.keys[0]" has "use" other than "enc"'],
    ['a JWK whose key_ops cannot decrypt', { keys: [jwk(rsa.privateKey, { key_ops: ['sign'] })] }, 'has "key_ops" without decrypt'],
    ['a JWK whose alg does not fit it', { keys: [jwk(rsa.privateKey, { alg: 'A256KW' })] }, 'has an "alg" that is not an allowed'],
    ['a JWK whose alg is not allowed', { keys: [jwk(rsa.privateKey, { alg: 'RSA-OAEP-512' })] }, 'has an "alg" that is not an allowed'],
    ['a JWK with an empty kid', { keys: [jwk(rsa.privateKey, { kid: '' })] }, 'has a "kid" that is not a non-empty string'],
    ['an RSA key when only AES key wrap is allowed', { keys: [rsa.privateKey], keyManagementAlgorithms: ['A256KW'] }, 'is an RSA key, which none'],
    ['RSA1_5', { keys: [rsa.privateKey], keyManagementAlgorithms: ['RSA1_5'] }, 'must not contain "RSA1_5": RSA1_5 is open to padding-oracle'],
    ['PBES2', { keys: [aes256], keyManagementAlgorithms: ['PBES2-HS512+A256KW'] }, 'must not contain "PBES2-HS512+A256KW"'],
    ['an unknown key-management algorithm', { keys: [rsa.privateKey], keyManagementAlgorithms: ['RSA-OAEP-1024'] }, 'contains the unsupported "RSA-OAEP-1024"'],
    ['an empty key-management list', { keys: [rsa.privateKey], keyManagementAlgorithms: [] }, '"decryption.keyManagementAlgorithms" must be a non-empty array'],
    ['an unknown content-encryption algorithm', { keys: [rsa.privateKey], contentEncryptionAlgorithms: ['A256CTR'] }, 'contains the unsupported "A256CTR"'],
    ['a non-string algorithm', { keys: [rsa.privateKey], contentEncryptionAlgorithms: [256] }, 'must only hold strings'],
    ['required not a boolean', { keys: [rsa.privateKey], required: 'yes' }, '"decryption.required" must be a boolean'],
  ])('refuses %s with a TypeError naming the option', (_case, decryption, expected) => {
    expect(message(decryption)).toContain(expected);
  });

  it('imports keys given as KeyObject, JWK and PEM once, each with the allowed algorithms it serves', () => {
    const resolved = resolveDecryption({
      keys: [rsa.privateKey, jwk(ec.privateKey, { kid: 'ec-1', use: 'enc' }), pem(rsa.privateKey), jwk(aes256, { kid: 'aes' }), x25519.privateKey],
    })!;
    expect(resolved.keys.map((key) => [key.kid, key.curve, key.bytes, [...key.algorithms]])).toEqual([
      [undefined, undefined, undefined, ['RSA-OAEP', 'RSA-OAEP-256']],
      ['ec-1', 'P-384', undefined, ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']],
      [undefined, undefined, undefined, ['RSA-OAEP', 'RSA-OAEP-256']],
      ['aes', undefined, 32, ['A256KW']],
      [undefined, 'X25519', undefined, ['ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW']],
    ]);
    expect(resolved.keys.every((key) => key.key.type !== 'public')).toBe(true);
    expect([...resolved.contentEncryption]).toEqual(['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM']);
    expect(resolved.required).toBe(false);
  });

  it('lets a listed dir, AES-GCM key wrap or RSA-OAEP-512 serve the keys that fit them, and a JWK alg narrow a key', () => {
    const resolved = resolveDecryption({
      keys: [aes256, createSecretKey(randomBytes(64)), jwk(rsa.privateKey, { alg: 'RSA-OAEP-512' })],
      keyManagementAlgorithms: ['dir', 'A256GCMKW', 'A256KW', 'RSA-OAEP', 'RSA-OAEP-512'],
    })!;
    expect(resolved.keys.map((key) => [...key.algorithms])).toEqual([['dir', 'A256GCMKW', 'A256KW'], ['dir'], ['RSA-OAEP-512']]);
  });

  it('publishes its defaults in DEFAULTS.decryption, which never list RSA1_5, PBES2, dir or AES-GCM key wrap', () => {
    expect(DEFAULTS.decryption).toEqual({
      keyManagementAlgorithms: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW', 'A128KW', 'A192KW', 'A256KW'],
      contentEncryptionAlgorithms: ['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM'],
      required: false,
    });
    expect(Object.isFrozen(DEFAULTS.decryption)).toBe(true);
  });

  it('is absent unless given, and required only when asked', () => {
    expect(resolveDecryption(undefined)).toBeUndefined();
    expect(resolveDecryption({ keys: [rsa.privateKey], required: true })!.required).toBe(true);
  });
});
