/**
 * The certificate authority of one HTTPS test issuer: generated in memory when the issuer starts, it signs
 * the issuer's server certificate and nothing else, and its private key never leaves this module. Clients
 * trust the issuer by trusting the CA's certificate ({@link TestCa.certificate}), never by turning TLS
 * verification off.
 */
import { generateKeyPair, randomUUID, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { buildCertificate, toPem } from './x509.js';

const generate = promisify(generateKeyPair);

/** The key and certificate chain a TLS server presents. */
export interface ServerCredentials {
  /** PKCS #8 PEM. */
  readonly key: string;
  /** The server certificate, PEM. */
  readonly cert: string;
}

/** A certificate authority for one test issuer. */
export interface TestCa {
  /** The CA certificate, PEM: what a client must trust. */
  readonly certificate: string;
  /** The HTTPS key and certificate for `altNames` (host names and IP addresses). */
  serverCredentials(altNames: readonly string[]): Promise<ServerCredentials>;
}

const DAY_MS = 86_400_000;

async function ecKeyPair(): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  return generate('ec', { namedCurve: 'P-256' });
}

/** A new certificate authority, valid for 30 days. */
export async function createTestCa(): Promise<TestCa> {
  const name = `bearer-guard test issuer CA ${randomUUID()}`;
  const ca = await ecKeyPair();
  const certificate = toPem(
    buildCertificate({
      subject: name,
      issuer: name,
      publicKey: ca.publicKey,
      signingKey: ca.privateKey,
      ca: true,
      lifetimeMs: 30 * DAY_MS,
    }),
  );
  return {
    certificate,
    async serverCredentials(altNames) {
      const server = await ecKeyPair();
      const der = buildCertificate({
        subject: 'bearer-guard test issuer',
        issuer: name,
        publicKey: server.publicKey,
        signingKey: ca.privateKey,
        issuerPublicKey: ca.publicKey,
        usage: 'serverAuth',
        altNames,
        lifetimeMs: 30 * DAY_MS,
      });
      return { key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: toPem(der) };
    },
  };
}
