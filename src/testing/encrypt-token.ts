/**
 * Encrypted access tokens (JWE) as OpenIddict issues them by default: the signed token (header
 * `typ: at+jwt`) encrypted to the resource server's key, with RSA-OAEP or A256KW key wrapping and
 * A256CBC-HS512 content encryption, the encryption key's `kid` and `cty: "JWT"` in the protected header.
 * The test issuer holds one RSA encryption key pair (OpenIddict's encryption certificate) and one 256-bit
 * AES key; the API under test configures their private halves in `decryption.keys`.
 */
import { createSecretKey, generateKeyPairSync, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { CompactEncrypt } from 'jose';

/** Options of {@link TestIssuer.encrypt} and {@link TestIssuer.signEncrypted}. */
export interface EncryptTokenOptions {
  /**
   * Key management: `RSA-OAEP` / `RSA-OAEP-256` (and the other RSA-OAEP variants) encrypt to the issuer's
   * RSA encryption key; `A128KW`…`A256KW`, `A128GCMKW`…, `dir` use the issuer's AES key (or
   * {@link EncryptTokenOptions.key}); `ECDH-ES*` need {@link EncryptTokenOptions.key}.
   * @default "RSA-OAEP"
   */
  alg?: string;
  /** Content encryption. @default "A256CBC-HS512" */
  enc?: string;
  /**
   * Encrypt to this key instead of the issuer's own (a public key, or a secret key), e.g. a key the API
   * does not hold, or an EC key for ECDH-ES.
   */
  key?: KeyObject;
  /**
   * Extra protected header members, applied over `kid` and `cty` (a member set to `undefined` is left out,
   * e.g. `{ kid: undefined }`). `alg` and `enc` are set with their options.
   */
  header?: Readonly<Record<string, unknown>>;
}

/** The issuer's encryption keys, as the API under test configures them in `decryption.keys`. */
export interface TestDecryptionKeys {
  /** The RSA encryption key pair (2048 bits), `kid` `test-encryption-rsa`. */
  readonly rsa: {
    readonly kid: string;
    /** The private key: what `decryption.keys` takes (also as {@link TestDecryptionKeys.rsa.jwk} or PEM). */
    readonly privateKey: KeyObject;
    readonly publicKey: KeyObject;
    /** The private key as a JWK with `kid`, `use: "enc"`. */
    readonly jwk: JsonWebKey;
    /** The private key as PKCS #8 PEM. */
    readonly pem: string;
  };
  /** The 256-bit AES key for A256KW, `kid` `test-encryption-aes`. */
  readonly aes: {
    readonly kid: string;
    readonly secretKey: KeyObject;
    /** The key as an `oct` JWK with `kid`. */
    readonly jwk: JsonWebKey;
  };
}

/** Creates the encryption keys (an RSA key pair and an AES key) on first use. */
export function lazyDecryptionKeys(): () => TestDecryptionKeys {
  let keys: TestDecryptionKeys | undefined;
  return () => {
    if (keys !== undefined) return keys;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const secretKey = createSecretKey(randomBytes(32));
    const rsaKid = 'test-encryption-rsa';
    const aesKid = 'test-encryption-aes';
    keys = {
      rsa: Object.freeze({
        kid: rsaKid,
        privateKey,
        publicKey,
        jwk: Object.freeze({ ...privateKey.export({ format: 'jwk' }), kid: rsaKid, use: 'enc' }),
        pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      }),
      aes: Object.freeze({ kid: aesKid, secretKey, jwk: Object.freeze({ ...secretKey.export({ format: 'jwk' }), kid: aesKid }) }),
    };
    return keys;
  };
}

function fail(name: string, expectation: string): never {
  throw new TypeError(`bearer-guard/testing: encrypt() option "${name}" ${expectation}`);
}

/** Encrypts `token` (or any text) under `options`, to `keys` unless another key is given. */
export async function encryptToken(text: string, keys: TestDecryptionKeys, options: EncryptTokenOptions = {}): Promise<string> {
  if (typeof text !== 'string') throw new TypeError('bearer-guard/testing: encrypt() needs the token to encrypt');
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  const alg = options.alg ?? 'RSA-OAEP';
  const enc = options.enc ?? 'A256CBC-HS512';
  if (typeof alg !== 'string' || alg === '') fail('alg', 'must be a JWE key-management algorithm');
  if (typeof enc !== 'string' || enc === '') fail('enc', 'must be a JWE content-encryption algorithm');
  const rsa = alg.startsWith('RSA');
  if (options.key === undefined && alg.startsWith('ECDH')) fail('key', 'is required for ECDH-ES');
  const key = options.key ?? (rsa ? keys.rsa.publicKey : keys.aes.secretKey);
  const header: Record<string, unknown> = { alg, enc, cty: 'JWT' };
  if (options.key === undefined) header.kid = rsa ? keys.rsa.kid : keys.aes.kid;
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (name === 'alg' || name === 'enc') fail('header', `cannot set "${name}": use the "${name}" option`);
    if (value === undefined) delete header[name];
    else Object.defineProperty(header, name, { value, enumerable: true, writable: true, configurable: true });
  }
  // Secret keys are handed over as bytes, which every JWE algorithm of jose takes for a symmetric key.
  const material = key.type === 'secret' ? key.export() : key;
  return new CompactEncrypt(new TextEncoder().encode(text))
    .setProtectedHeader(header as { alg: string; enc: string })
    .encrypt(material);
}
