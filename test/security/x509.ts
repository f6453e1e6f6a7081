/**
 * A real, self-signed X.509 v3 certificate for an RSA key, built at test time with the test kit's
 * certificate builder. It is what an attacker puts in a token's `x5c` header: a well-formed certificate
 * chain of one, vouching for their key.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { buildCertificate } from '../../src/testing/x509.js';

/**
 * A self-signed CA certificate (sha256WithRSAEncryption, `basicConstraints` CA, valid from a day ago for a
 * year) for the RSA key pair `publicKey` / `privateKey`, in DER.
 */
export function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, subject: string): Buffer {
  return buildCertificate({ subject, publicKey, issuer: subject, signingKey: privateKey, ca: true, lifetimeMs: 365 * 86_400_000 });
}

/** The `x5c` form of a DER certificate (standard base64, RFC 7515 §4.1.6) and its `x5t` / `x5t#S256` thumbprints. */
export function x5cMembers(der: Buffer): { x5c: string[]; x5t: string; 'x5t#S256': string } {
  return {
    x5c: [der.toString('base64')],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}
