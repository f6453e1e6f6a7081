/**
 * The signature check: one synchronous `crypto.verify` with a key imported once as a Node `KeyObject`.
 * RSASSA-PKCS1-v1_5 and RSASSA-PSS (salt = digest length) with signatures of exactly the modulus length,
 * ECDSA with IEEE P1363 `r || s` signatures of the exact curve length (so DER, truncated or padded
 * signatures fail), and EdDSA.
 */
import { verify } from 'node:crypto';
import { getAlgorithmSpec, PSS_OPTIONS } from '../keys/algorithms.js';
import type { KeyEntry } from '../keys/jwk-set.js';

/** True when `signature` over `signingInput` verifies with `entry` under `alg`. */
export function verifySignature(alg: string, entry: KeyEntry, signingInput: Buffer, signature: Buffer): boolean {
  const spec = getAlgorithmSpec(alg);
  if (spec === undefined || !entry.algorithms.has(alg)) return false;
  // Exactly one encoding per signature: OpenSSL would also take, say, an RSASSA-PSS signature stripped of a
  // leading zero byte (RFC 8017 §8.1.2 and §8.2.2 require the modulus length).
  const length = spec.signatureBytes ?? entry.signatureBytes;
  if (length !== undefined && signature.length !== length) return false;
  try {
    if (spec.kty === 'EC') {
      return verify(spec.hash, signingInput, { key: entry.key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (spec.pss === true) return verify(spec.hash, signingInput, { key: entry.key, ...PSS_OPTIONS }, signature);
    return verify(spec.hash, signingInput, entry.key, signature);
  } catch {
    // OpenSSL refuses some malformed signatures by throwing rather than answering false.
    return false;
  }
}
