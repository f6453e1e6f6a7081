/**
 * Encrypted benchmark tokens, as OpenIddict issues them: a signed token (bench/tokens.ts) encrypted with
 * RSA-OAEP (2048-bit key) or A256KW, content A256CBC-HS512. Encryption uses jose (the reference
 * implementation), so bearer-guard's decryption is measured on tokens it did not produce.
 */
import { createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { CompactEncrypt } from 'jose';

/** The key wrappings benchmarked. */
export type BenchWrapping = 'RSA-OAEP' | 'A256KW';

/** The API's decryption keys and their public (or shared) halves. */
export interface BenchEncryption {
  readonly rsa: { readonly privateKey: KeyObject; readonly publicKey: KeyObject; readonly jwk: Record<string, unknown> };
  readonly aes: { readonly key: KeyObject; readonly jwk: Record<string, unknown> };
}

/** Generates the encryption keys. */
export function createBenchEncryption(): BenchEncryption {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = createSecretKey(randomBytes(32));
  return {
    rsa: { privateKey, publicKey, jwk: { ...privateKey.export({ format: 'jwk' }), kid: 'bench-enc-rsa', use: 'enc' } },
    aes: { key, jwk: { ...key.export({ format: 'jwk' }), kid: 'bench-enc-aes' } },
  };
}

/** Encrypts each signed token of `pool` with `wrapping` and A256CBC-HS512. */
export async function encryptPool(pool: readonly string[], wrapping: BenchWrapping, keys: BenchEncryption): Promise<string[]> {
  const rsa = wrapping === 'RSA-OAEP';
  const header = { alg: wrapping, enc: 'A256CBC-HS512', kid: rsa ? 'bench-enc-rsa' : 'bench-enc-aes', cty: 'JWT' };
  const key = rsa ? keys.rsa.publicKey : keys.aes.key.export();
  return Promise.all(pool.map((token) => new CompactEncrypt(new TextEncoder().encode(token)).setProtectedHeader(header).encrypt(key)));
}
