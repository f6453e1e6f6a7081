/**
 * Decryption keys, imported once when the verifier is created: a `KeyObject`, a private or symmetric JWK, or
 * a PEM private key becomes a `KeyObject` with the key-management algorithms it may serve. A key that
 * cannot decrypt (a public key, a certificate, an RSA key under 2048 bits, a curve or size no allowed
 * algorithm uses) is a `TypeError` naming it (`decryption.keys[1]`), never a failure at request time.
 */
import { createPrivateKey, createSecretKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { isJsonObject, ownMember, type JsonObject } from '../../json.js';
import { fail } from '../../options/option-checks.js';
import { MAX_RSA_BITS, MIN_RSA_BITS } from '../keys/algorithms.js';
import { contentKeyBytes, keyManagementSpec } from './jwe-algorithms.js';

/** A decryption key as given: a `KeyObject` (private or secret), a private or `oct` JWK, or a PEM private key. */
export type DecryptionKeyInput = KeyObject | JsonWebKey | string;

/** A decryption key ready for use. */
export interface DecryptionKey {
  readonly key: KeyObject;
  /** The JWK's `kid`, when the key was given as a JWK with one. */
  readonly kid: string | undefined;
  /** `P-256`, `P-384`, `P-521` or `X25519` for ECDH-ES keys. */
  readonly curve: string | undefined;
  /** Bytes of a symmetric key. */
  readonly bytes: number | undefined;
  /** The allowed key-management algorithms this key serves. */
  readonly algorithms: ReadonlySet<string>;
}

/** The allowed algorithms a key is matched against. */
export interface AllowedEncryption {
  readonly keyManagement: ReadonlySet<string>;
  readonly contentEncryption: ReadonlySet<string>;
}

const CURVES: Readonly<Record<string, string>> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
const DECRYPTING_OPS = new Set(['decrypt', 'unwrapKey', 'deriveKey', 'deriveBits']);
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function toKeyObject(input: unknown, path: string): { key: KeyObject; jwk: JsonObject | undefined } {
  if (input instanceof KeyObject) return { key: input, jwk: undefined };
  if (typeof input === 'string') {
    if (!input.includes('-----BEGIN')) fail(path, 'must be a KeyObject, a JWK or a PEM private key');
    try {
      return { key: createPrivateKey(input), jwk: undefined };
    } catch {
      return fail(path, 'must be an unencrypted PEM private key (PKCS #8, PKCS #1 or SEC 1): a certificate or public key cannot decrypt');
    }
  }
  if (!isJsonObject(input) || typeof ownMember(input, 'kty') !== 'string') {
    fail(path, 'must be a KeyObject, a JWK or a PEM private key');
  }
  if (ownMember(input, 'kty') === 'oct') {
    const k = ownMember(input, 'k');
    if (typeof k !== 'string' || !BASE64URL.test(k)) fail(path, 'is an "oct" JWK without a base64url "k"');
    return { key: createSecretKey(Buffer.from(k, 'base64url')), jwk: input };
  }
  if (ownMember(input, 'd') === undefined) fail(path, 'must be a private JWK (with "d"): a public key cannot decrypt');
  try {
    return { key: createPrivateKey({ key: input as JsonWebKey, format: 'jwk' }), jwk: input };
  } catch {
    return fail(path, 'is not a usable private JWK');
  }
}

/** What kind of key `key` is: its curve or size, checked against what JWE can use. */
function describe(key: KeyObject, path: string): { family: 'rsa' | 'ecdh' | 'secret'; curve?: string; bytes?: number } {
  if (key.type === 'secret') return { family: 'secret', bytes: key.symmetricKeySize ?? 0 };
  if (key.type !== 'private') fail(path, 'must be a private or symmetric key: a public key cannot decrypt');
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa': {
      const bits = details.modulusLength ?? 0;
      if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) fail(path, `must be an RSA key of ${MIN_RSA_BITS} to ${MAX_RSA_BITS} bits`);
      return { family: 'rsa' };
    }
    case 'ec': {
      const curve = CURVES[details.namedCurve ?? ''];
      if (curve === undefined) fail(path, 'must be an EC key on P-256, P-384 or P-521');
      return { family: 'ecdh', curve };
    }
    case 'x25519':
      return { family: 'ecdh', curve: 'X25519' };
    default:
      return fail(path, 'must be an RSA, EC (P-256, P-384, P-521), X25519 or symmetric key');
  }
}

/** The allowed key-management algorithms a key of this kind serves. */
function servedAlgorithms(kind: ReturnType<typeof describe>, allowed: AllowedEncryption): Set<string> {
  const served = new Set<string>();
  const dirSizes = new Set([...allowed.contentEncryption].map((enc) => contentKeyBytes(enc)));
  for (const alg of allowed.keyManagement) {
    const spec = keyManagementSpec(alg);
    if (spec === undefined) continue;
    const fits =
      (spec.kind === 'rsa-oaep' && kind.family === 'rsa') ||
      (spec.kind === 'ecdh-es' && kind.family === 'ecdh') ||
      ((spec.kind === 'aes-kw' || spec.kind === 'aes-gcm-kw') && kind.family === 'secret' && kind.bytes === spec.keyBytes) ||
      (spec.kind === 'dir' && kind.family === 'secret' && dirSizes.has(kind.bytes));
    if (fits) served.add(alg);
  }
  return served;
}

/** Applies the JWK members that restrict a key: `use`, `key_ops`, `alg`; returns its `kid`. */
function applyJwkMembers(jwk: JsonObject, served: Set<string>, path: string): string | undefined {
  const use = ownMember(jwk, 'use');
  if (use !== undefined && use !== 'enc') fail(path, 'has "use" other than "enc"');
  const ops = ownMember(jwk, 'key_ops');
  if (ops !== undefined && (!Array.isArray(ops) || !ops.some((op) => DECRYPTING_OPS.has(op as string)))) {
    fail(path, 'has "key_ops" without decrypt, unwrapKey, deriveKey or deriveBits');
  }
  const alg = ownMember(jwk, 'alg');
  if (alg !== undefined) {
    if (typeof alg !== 'string' || !served.has(alg)) {
      fail(path, 'has an "alg" that is not an allowed key-management algorithm for this key');
    }
    for (const other of [...served]) if (other !== alg) served.delete(other);
  }
  const kid = ownMember(jwk, 'kid');
  if (kid !== undefined && (typeof kid !== 'string' || kid === '')) fail(path, 'has a "kid" that is not a non-empty string');
  return kid as string | undefined;
}

/**
 * Imports `input`, the key at `path` (`decryption.keys[0]`), for the `allowed` algorithms. Throws a
 * `TypeError` naming `path` for a key that cannot serve any of them.
 */
export function importDecryptionKey(input: unknown, path: string, allowed: AllowedEncryption): DecryptionKey {
  const { key, jwk } = toKeyObject(input, path);
  const kind = describe(key, path);
  const served = servedAlgorithms(kind, allowed);
  if (served.size === 0) {
    const what = kind.family === 'secret' ? `a ${kind.bytes}-byte symmetric key` : kind.family === 'rsa' ? 'an RSA key' : `a ${kind.curve} key`;
    fail(path, `is ${what}, which none of the allowed key-management algorithms (${[...allowed.keyManagement].join(', ')}) uses`);
  }
  const kid = jwk === undefined ? undefined : applyJwkMembers(jwk, served, path);
  return Object.freeze({ key, kid, curve: kind.curve, bytes: kind.bytes, algorithms: served });
}
