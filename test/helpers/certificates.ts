/**
 * A small PKI made at test time for mutual TLS: a CA, a server certificate for 127.0.0.1 and client
 * certificates, all real X.509 v3 certificates on P-256 keys (ecdsa-with-SHA256), built with a minimal
 * ASN.1 DER writer and signed with `node:crypto` (Node parses certificates but cannot build them).
 */
import { createHash, generateKeyPairSync, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 | n, item);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.from([0]), bytes);
const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
const boolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);

function integer(bytes: Buffer): Buffer {
  const first = bytes.findIndex((byte) => byte !== 0);
  const body = first === -1 ? Buffer.from([0]) : bytes.subarray(first);
  return tlv(0x02, (body[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a! + b!];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift((value % 128) | (groups.length === 0 ? 0 : 0x80));
      if (value < 128) break;
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function utcTime(date: Date): Buffer {
  return tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const commonName = (name: string): Buffer => sequence(set(sequence(oid('2.5.4.3'), utf8(name))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));

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

function issue(
  subject: string,
  keys: { publicKey: KeyObject; privateKey: KeyObject },
  issuer: { subject: string; privateKey: KeyObject } | undefined,
  extensions: Buffer[],
): TestCertificate {
  const now = Date.now();
  const signer = issuer ?? { subject, privateKey: keys.privateKey };
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.concat([Buffer.from([0x10]), randomBytes(8)])),
    ECDSA_WITH_SHA256,
    commonName(signer.subject),
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 30 * 86_400_000))),
    commonName(subject),
    keys.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions)),
  );
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(sign('sha256', tbs, signer.privateKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').trim()}\n-----END CERTIFICATE-----\n`;
  return {
    subject,
    der,
    pem,
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
  const certificate = issue(subject, p256(), undefined, [
    extension('2.5.29.19', true, sequence(boolean(true))),
    extension('2.5.29.15', true, bitString(Buffer.from([0x06]))), // keyCertSign, cRLSign
  ]);
  const issuer = { subject, privateKey: certificate.privateKey };
  const leaf = (name: string, usage: string, more: Buffer[] = []): TestCertificate =>
    issue(name, p256(), issuer, [
      extension('2.5.29.19', true, sequence()),
      extension('2.5.29.37', false, sequence(oid(usage))),
      ...more,
    ]);
  return {
    certificate,
    server: () => leaf('127.0.0.1', '1.3.6.1.5.5.7.3.1', [extension('2.5.29.17', false, sequence(tlv(0x87, Buffer.from([127, 0, 0, 1]))))]),
    client: (name) => leaf(name, '1.3.6.1.5.5.7.3.2'),
  };
}

/** A self-signed client certificate that no CA vouches for (RFC 8705 §2.2 allows those). */
export function selfSignedClient(subject: string): TestCertificate {
  return issue(subject, p256(), undefined, [extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.2')))]);
}
