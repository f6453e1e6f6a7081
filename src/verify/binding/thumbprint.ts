/**
 * Thumbprints that bind a token to its holder: the RFC 7638 JWK thumbprint of a DPoP proof key (`cnf.jkt`,
 * RFC 9449 §6.1) and the SHA-256 thumbprint of a client certificate's DER (`cnf["x5t#S256"]`, RFC 8705
 * §3.1), both base64url without padding, and their constant-time comparison.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The members RFC 7638 §3.2 hashes, per key type, in lexicographic order. */
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, or `undefined` when its `kty` is not EC, OKP or RSA or a
 * required member is not a non-empty string. Only the required members count, so the same key has one
 * thumbprint whatever else its JWK holds.
 */
export function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const kty = Object.hasOwn(jwk, 'kty') ? jwk.kty : undefined;
  if (typeof kty !== 'string' || !Object.hasOwn(REQUIRED_MEMBERS, kty)) return undefined;
  const canonical: Record<string, string> = {};
  for (const name of REQUIRED_MEMBERS[kty]!) {
    const value = Object.hasOwn(jwk, name) ? jwk[name] : undefined;
    if (typeof value !== 'string' || value === '') return undefined;
    canonical[name] = value;
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

/** The `x5t#S256` thumbprint of a certificate: SHA-256 of its DER, base64url. */
export function certificateThumbprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('base64url');
}

/** Compares two thumbprints (or any two strings) in time that depends on their length only. */
export function sameThumbprint(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
