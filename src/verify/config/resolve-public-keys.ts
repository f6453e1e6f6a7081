/**
 * The `publicKeys` option → a parsed key set: JWKs, a JWK Set, `KeyObject`s or PEM strings (an SPKI public
 * key or an X.509 certificate), validated once at creation with the same hygiene as fetched key sets
 * (`keys/jwk-set.ts`: asymmetric, `use` `sig`, `key_ops` with `verify`, RSA of 2048 to 16384 bits, a
 * supported curve, no private members). A key that would be skipped in a fetched set is a configuration
 * error here: a `TypeError` names it. A certificate is only a container for its public key: its validity
 * dates, issuer and chain are not looked at.
 */
import { createPublicKey, KeyObject, X509Certificate, type JsonWebKey } from 'node:crypto';
import { isJsonObject } from '../../json.js';
import { fail } from '../../options/option-checks.js';
import { toKeySet, type KeySet } from '../keys/jwk-set.js';

/** One configured public key: a JWK, a Node `KeyObject`, or a PEM string (SPKI public key or certificate). */
export type PublicKeyInput = JsonWebKey | KeyObject | string;

/** The `publicKeys` option: keys, or a JWK Set. */
export type PublicKeys = readonly PublicKeyInput[] | { readonly keys: readonly JsonWebKey[] };

/** Most keys accepted, as for a fetched JWK Set. */
const MAX_KEYS = 1000;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth'];
const UNUSABLE =
  'is not a usable public signing key: RSA of 2048 to 16384 bits, EC on P-256, P-384 or P-521, or OKP ' +
  'Ed25519 or Ed448; "use" "sig", "key_ops" holding "verify" and a supported asymmetric "alg", when present';

function fromKeyObject(key: KeyObject, path: string): JsonWebKey {
  if (key.type === 'secret') fail(path, 'is a symmetric key: only asymmetric algorithms are supported');
  if (key.type === 'private') fail(path, 'is a private key: give the public key only');
  try {
    return key.export({ format: 'jwk' });
  } catch {
    fail(path, UNUSABLE);
  }
}

function fromPem(pem: string, path: string): JsonWebKey {
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((match) => match[1]!);
  if (labels.length !== 1) fail(path, 'must hold exactly one PEM block: a public key (SPKI) or a certificate');
  const label = labels[0]!;
  if (label.includes('PRIVATE')) fail(path, 'holds a private key: give the public key (SPKI) or a certificate');
  if (label !== 'PUBLIC KEY' && label !== 'CERTIFICATE') {
    fail(path, 'must be a PEM public key ("BEGIN PUBLIC KEY", SPKI) or certificate ("BEGIN CERTIFICATE")');
  }
  let key: KeyObject;
  try {
    key = label === 'CERTIFICATE' ? new X509Certificate(pem).publicKey : createPublicKey({ key: pem, format: 'pem' });
  } catch {
    fail(path, `is not a valid PEM ${label === 'CERTIFICATE' ? 'certificate' : 'public key'}`);
  }
  return fromKeyObject(key, path);
}

function toJwk(member: unknown, path: string): JsonWebKey {
  if (typeof member === 'string') return fromPem(member, path);
  if (member instanceof KeyObject) return fromKeyObject(member, path);
  if (!isJsonObject(member)) fail(path, 'must be a JWK, a KeyObject or a PEM string');
  if (member.kty === 'oct' || Object.hasOwn(member, 'k')) fail(path, 'is a symmetric key: only asymmetric algorithms are supported');
  if (PRIVATE_MEMBERS.some((name) => Object.hasOwn(member, name))) fail(path, 'holds private key members: give the public key only');
  return member as JsonWebKey;
}

/** Validates the `publicKeys` option; `undefined` when absent. Throws a `TypeError` naming a bad key. */
export function resolvePublicKeys(value: unknown): KeySet | undefined {
  if (value === undefined) return undefined;
  let members: readonly unknown[];
  let prefix: string;
  if (Array.isArray(value)) {
    [members, prefix] = [value, 'publicKeys'];
  } else if (isJsonObject(value) && Array.isArray(value.keys)) {
    [members, prefix] = [value.keys, 'publicKeys.keys'];
  } else {
    fail('publicKeys', 'must be an array of JWKs, KeyObjects or PEM strings, or a JWK Set { keys: [...] }');
  }
  if (members.length === 0 || members.length > MAX_KEYS) fail(prefix, `must hold 1 to ${MAX_KEYS} keys`);
  const jwks = members.map((member, i) => {
    const path = `${prefix}[${i}]`;
    const jwk = toJwk(member, path);
    if (typeof toKeySet({ keys: [jwk] }, undefined) === 'string') fail(path, UNUSABLE);
    return jwk;
  });
  return toKeySet({ keys: jwks }, undefined) as KeySet;
}
