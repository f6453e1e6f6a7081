/**
 * Client certificates for `private_key_jwt`, the way Microsoft Entra ID registers them: a self-signed RSA
 * certificate whose thumbprint names the key, so a client assertion carries `x5t#S256` (or `x5t`) instead
 * of a `kid` (what MSAL's `clientCertificate` sends).
 */
import { createHash, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { exportJWK, type JWK } from 'jose';
import { buildCertificate, toPem } from './x509.js';

const generate = promisify(generateKeyPair);

/** A client certificate and its private key. */
export interface TestClientCertificate {
  /** The private key, PKCS #8 PEM (MSAL: `clientCertificate.privateKey`). */
  readonly privateKey: string;
  /** The certificate, PEM (MSAL: `clientCertificate.x5c`, to send it along). */
  readonly certificate: string;
  /** SHA-256 thumbprint of the certificate, lower-case hex (MSAL: `clientCertificate.thumbprintSha256`). */
  readonly thumbprintSha256: string;
  /** SHA-1 thumbprint, upper-case hex, as the Entra portal shows it (MSAL's older `thumbprint`). */
  readonly thumbprint: string;
  /**
   * The public key as a JWK Set for {@link TestClient.jwks}: `x5c`, `x5t`, `x5t#S256`, and `kid` equal to
   * `x5t` (as Entra names certificate keys). No `alg`, so RS256 and PS256 assertions both verify.
   */
  readonly jwks: { keys: JWK[] };
}

/**
 * Generates an RSA 2048 key pair and a self-signed certificate for it (valid for a year), for a client of
 * the test issuer that authenticates with a certificate.
 *
 * @example
 * const cert = await createClientCertificate();
 * const issuer = await createTestIssuer({ clients: [{ clientId: DAEMON, jwks: cert.jwks, roles: ['Receipts.Read.All'] }] });
 * // MSAL: clientCertificate: { thumbprintSha256: cert.thumbprintSha256, privateKey: cert.privateKey }
 */
export async function createClientCertificate(): Promise<TestClientCertificate> {
  const { publicKey, privateKey }: { publicKey: KeyObject; privateKey: KeyObject } = await generate('rsa', {
    modulusLength: 2048,
  });
  const name = 'bearer-guard test client';
  const der = buildCertificate({
    subject: name,
    issuer: name,
    publicKey,
    signingKey: privateKey,
    usage: 'clientAuth',
    lifetimeMs: 365 * 86_400_000,
  });
  const sha1 = createHash('sha1').update(der).digest();
  const sha256 = createHash('sha256').update(der).digest();
  const x5t = sha1.toString('base64url');
  const jwk: JWK = {
    ...(await exportJWK(publicKey)),
    kid: x5t,
    use: 'sig',
    x5c: [der.toString('base64')],
    x5t,
    'x5t#S256': sha256.toString('base64url'),
  };
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    certificate: toPem(der),
    thumbprintSha256: sha256.toString('hex'),
    thumbprint: sha1.toString('hex').toUpperCase(),
    jwks: { keys: [jwk] },
  };
}
