/**
 * A DPoP proof as a JWS (RFC 9449 §4.2, §4.3 steps 2 to 7): a compact JWS of at most 8 KiB in canonical
 * base64url, JSON objects, `typ: dpop+jwt`, an allowed asymmetric `alg`, no `crit`, and a public `jwk` (no
 * private members; RSA of 2048 bits at least) whose signature verifies. The key is imported once per JWK
 * as sent (a client signs many proofs with one key), in a small bounded table.
 */
import { isUtf8 } from 'node:buffer';
import { isJsonObject, ownMember, type JsonObject } from '../../json.js';
import { toKeySet, type KeyEntry } from '../keys/jwk-set.js';
import { reject } from '../rejection.js';
import { verifySignature } from '../signature/verify-signature.js';
import { jwkThumbprint } from './thumbprint.js';

/** A proof whose signature verified with its own key. */
export interface VerifiedProof {
  /** The claims, not yet judged against the request. */
  readonly payload: JsonObject;
  /** The RFC 7638 thumbprint of the proof key (what `cnf.jkt` must equal). */
  readonly thumbprint: string;
}

/** Longest proof accepted, in characters: a 16384-bit RSA key and its signature fit. */
export const MAX_PROOF_LENGTH = 8192;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const MAX_RECENT_KEYS = 256;

interface ProofKey {
  readonly entry: KeyEntry;
  readonly thumbprint: string;
}

/** Keys of recent proofs, by their JWK as sent; emptied when full, so a flood of keys only misses it. */
const recentKeys = new Map<string, ProofKey>();

function decodeSegment(segment: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  // One encoding per byte string: no stray bits in the last character.
  if (bytes.toString('base64url') !== segment) reject('dpop_proof_malformed', () => 'a segment is not canonical base64url');
  return bytes;
}

function decodeObject(segment: string): JsonObject {
  const bytes = decodeSegment(segment);
  if (!isUtf8(bytes)) reject('dpop_proof_malformed', () => 'a segment is not UTF-8');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    reject('dpop_proof_malformed', () => 'a segment is not JSON');
  }
  if (!isJsonObject(value)) reject('dpop_proof_malformed', () => 'a segment is not a JSON object');
  return value;
}

/** The usable public key of `jwk` and its thumbprint, or `undefined`. */
function proofKeyOf(jwk: JsonObject): ProofKey | undefined {
  const sent = JSON.stringify(jwk);
  const known = recentKeys.get(sent);
  if (known !== undefined) return known;
  const thumbprint = jwkThumbprint(jwk);
  if (thumbprint === undefined) return undefined;
  const set = toKeySet({ keys: [jwk] }, undefined);
  if (typeof set === 'string') return undefined;
  const key = { entry: set.keys[0]!, thumbprint };
  if (recentKeys.size >= MAX_RECENT_KEYS) recentKeys.clear();
  recentKeys.set(sent, key);
  return key;
}

function isProofType(typ: unknown): boolean {
  if (typeof typ !== 'string') return false;
  const lower = typ.toLowerCase();
  return lower === 'dpop+jwt' || lower === 'application/dpop+jwt';
}

/** Decodes `proof` and verifies its signature with its own `jwk`; refuses it otherwise. */
export function verifyProof(proof: string, algorithms: ReadonlySet<string>): VerifiedProof {
  if (proof.length > MAX_PROOF_LENGTH) reject('dpop_proof_malformed', () => `${proof.length} characters, more than ${MAX_PROOF_LENGTH}`);
  if (!COMPACT_JWS.test(proof)) reject('dpop_proof_malformed', () => 'not three non-empty base64url segments');
  const first = proof.indexOf('.');
  const second = proof.indexOf('.', first + 1);
  const header = decodeObject(proof.slice(0, first));
  const payload = decodeObject(proof.slice(first + 1, second));
  const signature = decodeSegment(proof.slice(second + 1));
  if (!isProofType(ownMember(header, 'typ'))) reject('dpop_proof_header_invalid', () => 'typ is not dpop+jwt');
  const alg = ownMember(header, 'alg');
  if (typeof alg !== 'string') reject('dpop_proof_header_invalid', () => 'alg is not a string');
  if (!algorithms.has(alg)) reject('dpop_proof_algorithm', () => `alg ${alg} is not one of dpop.algorithms`);
  if (Object.hasOwn(header, 'crit')) reject('dpop_proof_header_invalid', () => 'crit is present');
  const jwk = ownMember(header, 'jwk');
  if (!isJsonObject(jwk)) reject('dpop_proof_header_invalid', () => 'jwk is not an object');
  if (PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name))) reject('dpop_proof_header_invalid', () => 'jwk holds a private key');
  const key = proofKeyOf(jwk);
  if (key === undefined) reject('dpop_proof_header_invalid', () => 'jwk is not a usable public key');
  const signingInput = Buffer.from(proof.slice(0, second), 'latin1');
  if (!verifySignature(alg, key.entry, signingInput, signature)) {
    reject('dpop_proof_signature', () => `the signature does not verify with the proof's jwk (${alg})`);
  }
  return { payload, thumbprint: key.thumbprint };
}
