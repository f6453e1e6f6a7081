/**
 * A small PKI made at test time for mutual TLS: a CA, a server certificate for 127.0.0.1 and client
 * certificates, all real X.509 v3 certificates on P-256 keys (ecdsa-with-SHA256), made with the test kit's
 * certificate builder.
 */
import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import { buildCertificate, toPem, type CertificateRequest } from '../../src/testing/x509.js';

/** A certificate and its key pair. */
export interface TestCertificate {
  readonly subject: string;
  readonly der: Buffer;
  readonly pem: string;
  readonly x509: X509Certificate;
  readonly privateKey: KeyObject;
  /** The private key as PKCS#8 PEM (for `tls` options). */
  readonly keyPem: string;
  /** SHA-256 of the DER, base64url: the `x5t#S256` of a token bound to it. */
  readonly thumbprint: string;
}

const LIFETIME_MS = 30 * 86_400_000;

function issue(
  subject: string,
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  issuer: { subject: string; privateKey: KeyObject; publicKey: KeyObject } | undefined,
  role: Pick<CertificateRequest, 'ca' | 'usage' | 'altNames'>,
): TestCertificate {
  const der = buildCertificate({
    subject,
    publicKey: keys.publicKey,
    issuer: issuer?.subject ?? subject,
    signingKey: issuer?.privateKey ?? keys.privateKey,
    ...(issuer === undefined ? {} : { issuerPublicKey: issuer.publicKey }),
    ...role,
    lifetimeMs: LIFETIME_MS,
  });
  return {
    subject,
    der,
    pem: toPem(der),
    x509: new X509Certificate(der),
    privateKey: keys.privateKey,
    keyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    thumbprint: createHash('sha256').update(der).digest('base64url'),
  };
}

const p256 = (): { publicKey: KeyObject; privateKey: KeyObject } => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A certificate authority that issues server and client certificates. */
export interface TestCa {
  readonly certificate: TestCertificate;
  /** A TLS server certificate for `127.0.0.1` (subjectAltName IP). */
  server(): TestCertificate;
  /** A TLS client certificate. */
  client(subject: string): TestCertificate;
}

/** A new CA (self-signed, `basicConstraints` CA). */
export function createTestCa(subject = 'bearer-guard test CA'): TestCa {
  const keys = p256();
  const certificate = issue(subject, keys, undefined, { ca: true });
  const issuer = { subject, privateKey: keys.privateKey, publicKey: keys.publicKey };
  return {
    certificate,
    server: () => issue('127.0.0.1', p256(), issuer, { usage: 'serverAuth', altNames: ['127.0.0.1'] }),
    client: (name) => issue(name, p256(), issuer, { usage: 'clientAuth' }),
  };
}

/** A self-signed client certificate that no CA vouches for (RFC 8705 §2.2 allows those). */
export function selfSignedClient(subject: string): TestCertificate {
  return issue(subject, p256(), undefined, { usage: 'clientAuth' });
}
