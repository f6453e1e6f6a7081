/**
 * Public keys that import cleanly yet verify forgeries, refused when a JWK Set is read (as RSA moduli below
 * 2048 bits are). OpenSSL, and so `crypto.verify` and jose, accept every one of them.
 *
 * - **RSA**: the public exponent must be odd, at least 3 and below 2^256. With `e = 1` the padded message is
 *   its own signature, so anyone can sign anything; an even `e` is no RSA key at all (an RSA exponent is
 *   coprime to λ(n), which is even); 2^256 is the upper bound of FIPS 186-5 §A.1.1 (real keys use 65537), and
 *   a longer exponent only makes each verification slower.
 * - **Ed25519 and Ed448**: the public point must not be of small order (the identity, the point of order 2,
 *   and for Ed25519 the two of order 4 and the four of order 8), in any encoding, canonical or not (`y` at or
 *   above p, the sign bit on `x = 0`). Such a key accepts `R = identity, S = 0` for a share of all messages:
 *   every message for the identity, one in eight at worst. RFC 8032 leaves such keys legal; libsodium
 *   refuses them too.
 * - **EC** (P-256, P-384, P-521): Node refuses, on import, points off the curve and coordinates out of range;
 *   these curves have cofactor 1 and the point at infinity has no JWK form, so no point of small order can
 *   be published. Coordinates must also have the curve's full length (RFC 7518 §6.2.1.2).
 */
import type { KeyObject } from 'node:crypto';

/** The largest RSA public exponent accepted is just below 2^this. */
export const MAX_RSA_EXPONENT_BITS = 256;

const ED25519_P = 2n ** 255n - 19n;
/** The `y` of the Ed25519 points of order 8 are this and `p - this` (the others have `y` = 0, 1 or -1). */
const ED25519_ORDER_8_Y = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const ED25519_SMALL_ORDER_Y = new Set([0n, 1n, ED25519_P - 1n, ED25519_ORDER_8_Y, ED25519_P - ED25519_ORDER_8_Y]);

const ED448_P = 2n ** 448n - 2n ** 224n - 1n;
/** Ed448's cofactor is 4: its points of small order have `y` = 0, 1 or -1. */
const ED448_SMALL_ORDER_Y = new Set([0n, 1n, ED448_P - 1n]);

/** Coordinate length in bytes of each EC curve (RFC 7518 §6.2.1.2) and public key length of each OKP curve. */
const POINT_BYTES: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, Ed25519: 32, Ed448: 57 };

/** The public members of a JWK, all strings (`kty` plus `n`/`e`, `crv`/`x`/`y` or `crv`/`x`). */
export type PublicMaterial = Readonly<Record<string, string>>;

/** True when the imported `key` (from `material`) is one that verifies forgeries or breaks its encoding rules. */
export function isDegenerateKey(material: PublicMaterial, key: KeyObject): boolean {
  if (material.kty === 'RSA') return isDegenerateExponent(key.asymmetricKeyDetails?.publicExponent);
  const size = POINT_BYTES[material.crv ?? ''];
  if (size === undefined) return true;
  const x = Buffer.from(material.x ?? '', 'base64url');
  if (x.length !== size) return true;
  if (material.kty === 'EC') return Buffer.from(material.y ?? '', 'base64url').length !== size;
  return material.crv === 'Ed25519' ? hasSmallOrder(x, ED25519_P, ED25519_SMALL_ORDER_Y) : hasSmallOrder(x, ED448_P, ED448_SMALL_ORDER_Y);
}

function isDegenerateExponent(e: bigint | undefined): boolean {
  return e === undefined || e < 3n || e % 2n === 0n || e >= 1n << BigInt(MAX_RSA_EXPONENT_BITS);
}

/**
 * True when the encoded Edwards point has small order: its `y` (little-endian, the sign bit of `x` cleared,
 * reduced mod `p` so that non-canonical encodings count too) is one of `smallOrderY`. The sign bit does not
 * matter: each such `y` belongs to small-order points only.
 */
function hasSmallOrder(encoded: Buffer, p: bigint, smallOrderY: ReadonlySet<bigint>): boolean {
  const bytes = Buffer.from(encoded);
  bytes[bytes.length - 1]! &= 0x7f;
  const y = BigInt(`0x${Buffer.from(bytes).reverse().toString('hex')}`);
  return smallOrderY.has(y % p);
}
