/**
 * The JWE algorithms (RFC 7516, RFC 7518 §4–5, RFC 8037): which key-management (`alg`) and content-encryption
 * (`enc`) algorithms can be configured, which are allowed by default, which are refused outright, and what
 * kind of key each needs.
 */

/** How a key-management algorithm obtains the content-encryption key, and from what kind of key. */
export type KeyManagementKind = 'rsa-oaep' | 'ecdh-es' | 'aes-kw' | 'aes-gcm-kw' | 'dir';

/** One key-management algorithm. */
export interface KeyManagementSpec {
  readonly kind: KeyManagementKind;
  /** Bytes of the key-encryption key (AES key wrap, AES-GCM key wrap). */
  readonly keyBytes?: number;
}

const KEY_MANAGEMENT: Readonly<Record<string, KeyManagementSpec>> = {
  'RSA-OAEP': { kind: 'rsa-oaep' },
  'RSA-OAEP-256': { kind: 'rsa-oaep' },
  'RSA-OAEP-384': { kind: 'rsa-oaep' },
  'RSA-OAEP-512': { kind: 'rsa-oaep' },
  'ECDH-ES': { kind: 'ecdh-es' },
  'ECDH-ES+A128KW': { kind: 'ecdh-es' },
  'ECDH-ES+A192KW': { kind: 'ecdh-es' },
  'ECDH-ES+A256KW': { kind: 'ecdh-es' },
  A128KW: { kind: 'aes-kw', keyBytes: 16 },
  A192KW: { kind: 'aes-kw', keyBytes: 24 },
  A256KW: { kind: 'aes-kw', keyBytes: 32 },
  A128GCMKW: { kind: 'aes-gcm-kw', keyBytes: 16 },
  A192GCMKW: { kind: 'aes-gcm-kw', keyBytes: 24 },
  A256GCMKW: { kind: 'aes-gcm-kw', keyBytes: 32 },
  dir: { kind: 'dir' },
};

/** Bytes of the content-encryption key of each content-encryption algorithm. */
const CONTENT_ENCRYPTION: Readonly<Record<string, number>> = {
  'A128CBC-HS256': 32,
  'A192CBC-HS384': 48,
  'A256CBC-HS512': 64,
  A128GCM: 16,
  A192GCM: 24,
  A256GCM: 32,
};

/** Every key-management algorithm that may be configured. */
export const KEY_MANAGEMENT_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(KEY_MANAGEMENT));

/** Every content-encryption algorithm that may be configured (and the default list). */
export const CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(CONTENT_ENCRYPTION));

/**
 * The key-management algorithms allowed by default: RSA-OAEP (SHA-1 and SHA-256), ECDH-ES with and without
 * key wrapping, and AES key wrap. `RSA-OAEP-384`/`-512`, AES-GCM key wrap and `dir` must be listed.
 */
export const DEFAULT_KEY_MANAGEMENT_ALGORITHMS: readonly string[] = Object.freeze([
  'RSA-OAEP',
  'RSA-OAEP-256',
  'ECDH-ES',
  'ECDH-ES+A128KW',
  'ECDH-ES+A192KW',
  'ECDH-ES+A256KW',
  'A128KW',
  'A192KW',
  'A256KW',
]);

/** Every content-encryption algorithm is allowed by default. */
export const DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = CONTENT_ENCRYPTION_ALGORITHMS;

/**
 * Why an algorithm can never be configured, or `undefined`: `RSA1_5` (PKCS #1 v1.5 padding oracles) and
 * every `PBES2-*` (a password-derived key whose iteration count the token chooses).
 */
export function refusedAlgorithmReason(alg: string): string | undefined {
  if (alg === 'RSA1_5') return 'RSA1_5 is open to padding-oracle attacks';
  if (alg.startsWith('PBES2-')) return 'PBES2 lets the token choose the cost of deriving its key';
  return undefined;
}

/** The spec of a key-management algorithm, or `undefined` for one that cannot be configured. */
export function keyManagementSpec(alg: string): KeyManagementSpec | undefined {
  return Object.hasOwn(KEY_MANAGEMENT, alg) ? KEY_MANAGEMENT[alg] : undefined;
}

/** Bytes of the content-encryption key of `enc`, or `undefined` for an unknown algorithm. */
export function contentKeyBytes(enc: string): number | undefined {
  return Object.hasOwn(CONTENT_ENCRYPTION, enc) ? CONTENT_ENCRYPTION[enc] : undefined;
}
