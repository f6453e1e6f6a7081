/**
 * A JSON Web Key Set (RFC 7517 §5) turned into ready-to-use Node `KeyObject`s, keeping only keys fit to
 * verify signatures: `use` absent or `sig`, `key_ops` absent or `verify` only, an asymmetric `kty`, a
 * supported curve, RSA moduli of 2048 to 16384 bits, no private members, no degenerate key (an RSA exponent
 * that is even, below 3 or of 256 bits or more; an Edwards point of small order; see `degenerate-key.ts`).
 * Keys are never taken from tokens.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { MAX_RSA_BITS, MIN_RSA_BITS, SUPPORTED_ALGORITHMS, getAlgorithmSpec } from './algorithms.js';
import { isDegenerateKey } from './degenerate-key.js';

/** One usable verification key. */
export interface KeyEntry {
  /** The JWK `kid`, if any. */
  readonly kid: string | undefined;
  /** The imported public key. */
  readonly key: KeyObject;
  /** The algorithms this key may verify (its own `alg`, or every algorithm fitting its type and curve). */
  readonly algorithms: ReadonlySet<string>;
  /**
   * The JWK's own `issuer` member (published by Microsoft Entra ID), if any; `''` when the member is there
   * but not a string, which no issuer matches.
   */
  readonly issuer: string | undefined;
  /** RSA keys: the length in bytes of every signature the key makes (its modulus length, RFC 8017 §8). */
  readonly signatureBytes: number | undefined;
  /** Identity of the key material and its `kid`/`alg`, to recognise a key across refreshes. */
  readonly fingerprint: string;
  /**
   * Time (ms, `Date.now()` clock) until which the key may be trusted: the end of its set's stale-if-error
   * window, or 0 once a refresh removed it. Verified-token cache entries die with it.
   */
  validUntil: number;
}

/** A parsed key set. */
export interface KeySet {
  readonly keys: readonly KeyEntry[];
  readonly byKid: ReadonlyMap<string, readonly KeyEntry[]>;
  /** Members that were ignored. */
  readonly skipped: number;
}

/** Why a document is not a usable JWK Set; `undefined` when it is. */
export type KeySetProblem = 'not a JWK Set' | 'no usable signing keys';

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
/** Most members examined in one set; bounds the work a huge set can cause. */
const MAX_MEMBERS = 1000;

/**
 * Parses `document` into a {@link KeySet}. Entries whose fingerprint already exists in `previous` are
 * reused, so verified-token cache entries signed by a retained key stay valid.
 */
export function toKeySet(document: unknown, previous: KeySet | undefined): KeySet | KeySetProblem {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return 'not a JWK Set';
  const members: unknown = (document as { keys?: unknown }).keys;
  if (!Array.isArray(members)) return 'not a JWK Set';
  const known = new Map(previous?.keys.map((entry) => [entry.fingerprint, entry]));
  const keys: KeyEntry[] = [];
  const byKid = new Map<string, KeyEntry[]>();
  let skipped = 0;
  const taken = new Set<string>();
  for (const member of members.slice(0, MAX_MEMBERS)) {
    const parsed = readKey(member, known);
    // A member repeated verbatim would otherwise make its own `kid` ambiguous.
    if (typeof parsed === 'string' || taken.has(parsed.fingerprint)) {
      skipped += 1;
      continue;
    }
    taken.add(parsed.fingerprint);
    keys.push(parsed);
    if (parsed.kid !== undefined) {
      const list = byKid.get(parsed.kid);
      if (list === undefined) byKid.set(parsed.kid, [parsed]);
      else list.push(parsed);
    }
  }
  skipped += Math.max(0, members.length - MAX_MEMBERS);
  if (keys.length === 0) return 'no usable signing keys';
  return { keys, byKid, skipped };
}

/**
 * The usable keys of `set` for a token with `alg` and `kid`: when the token names a `kid`, the keys with
 * that `kid`; otherwise every key. Only keys fit for `alg` count.
 */
export function findKeys(set: KeySet, alg: string, kid: string | undefined): readonly KeyEntry[] {
  const pool = kid === undefined ? set.keys : set.byKid.get(kid);
  if (pool === undefined) return [];
  if (pool.length === 1) return pool[0]!.algorithms.has(alg) ? pool : [];
  return pool.filter((entry) => entry.algorithms.has(alg));
}

/**
 * One member of a key set as a {@link KeyEntry}, or why it is not used (a phrase for diagnostics:
 * `use is "enc", not "sig"`). Entries of `known` with the same fingerprint are reused.
 */
export function readKey(member: unknown, known: ReadonlyMap<string, KeyEntry> = new Map()): KeyEntry | string {
  if (typeof member !== 'object' || member === null || Array.isArray(member)) return 'not a JSON object';
  const jwk = member as Record<string, unknown>;
  const { kty, kid, use, alg, crv } = jwk;
  if (kty !== 'RSA' && kty !== 'EC' && kty !== 'OKP') return 'kty is not RSA, EC or OKP';
  if (kid !== undefined && typeof kid !== 'string') return 'kid is not a string';
  if (use !== undefined && use !== 'sig') return 'use is not "sig"';
  if (!hasVerifyOperation(jwk.key_ops)) return 'key_ops is not ["verify"]';
  if (alg !== undefined && typeof alg !== 'string') return 'alg is not a string';
  if (crv !== undefined && typeof crv !== 'string') return 'crv is not a string';
  if (PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name))) return 'it holds private key members';
  const algorithms = fittingAlgorithms(kty, crv, alg);
  if (algorithms.size === 0) return 'no supported algorithm fits its kty, crv and alg';
  const material = publicMaterial(jwk, kty);
  if (material === undefined) return 'its public key members are missing or not strings';
  const issuer = jwk.issuer === undefined ? undefined : typeof jwk.issuer === 'string' ? jwk.issuer : '';
  const fingerprint = JSON.stringify([material, kid ?? null, alg ?? null, issuer ?? null]);
  const existing = known.get(fingerprint);
  if (existing !== undefined) return existing;
  let key: KeyObject;
  try {
    key = createPublicKey({ key: material, format: 'jwk' });
  } catch {
    return 'its public key does not import';
  }
  if (isDegenerateKey(material, key)) return 'a degenerate public key (a weak RSA exponent, a small-order EdDSA point or a mis-sized coordinate)';
  let signatureBytes: number | undefined;
  if (kty === 'RSA') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) return `an RSA modulus of ${bits} bits (${MIN_RSA_BITS} to ${MAX_RSA_BITS} accepted)`;
    signatureBytes = Math.ceil(bits / 8);
  }
  return { kid, key, algorithms, issuer, signatureBytes, fingerprint, validUntil: 0 };
}

/**
 * `key_ops` absent, or naming `verify` and nothing else (jose's rule): a public key can only verify, so any
 * other operation (`encrypt`, `wrapKey`, even RFC 7517's `sign` + `verify` pair) means the member was not
 * written for this use, and a key shared between signatures and encryption is the cross-use RFC 7517 §4.3
 * warns against. A repeated `verify` is tolerated (jose refuses it: a documented difference).
 */
function hasVerifyOperation(ops: unknown): boolean {
  if (ops === undefined) return true;
  return Array.isArray(ops) && ops.length > 0 && ops.every((op) => op === 'verify');
}

function fittingAlgorithms(kty: string, crv: string | undefined, alg: string | undefined): Set<string> {
  const candidates = alg === undefined ? SUPPORTED_ALGORITHMS : [alg];
  const fitting = new Set<string>();
  for (const name of candidates) {
    const spec = getAlgorithmSpec(name);
    if (spec === undefined || spec.kty !== kty) continue;
    if (spec.curves !== undefined && (crv === undefined || !spec.curves.includes(crv))) continue;
    fitting.add(name);
  }
  return fitting;
}

/** Only the public members, all strings, so nothing else in the member can influence the import. */
function publicMaterial(jwk: Record<string, unknown>, kty: 'RSA' | 'EC' | 'OKP'): Record<string, string> | undefined {
  const names = kty === 'RSA' ? ['n', 'e'] : kty === 'EC' ? ['crv', 'x', 'y'] : ['crv', 'x'];
  const material: Record<string, string> = { kty };
  for (const name of names) {
    const value = jwk[name];
    if (typeof value !== 'string' || value === '') return undefined;
    material[name] = value;
  }
  return material;
}
