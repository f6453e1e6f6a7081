/**
 * X.509 v3 certificates (RFC 5280) built in memory and signed with `node:crypto`: the test issuer's own
 * certificate authority and HTTPS certificate, and client certificates for `private_key_jwt` (the way
 * Microsoft Entra ID registers them). RSA keys sign with sha256WithRSAEncryption, EC keys with
 * ecdsa-with-SHA256.
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';
import {
  bitString,
  boolean,
  explicit,
  implicit,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  utcTime,
  utf8,
} from './der.js';

/** What a certificate says and who signs it. */
export interface CertificateRequest {
  /** The subject's common name. */
  readonly subject: string;
  /** The subject's public key. */
  readonly publicKey: KeyObject;
  /** The issuer's common name (the subject's own for a self-signed certificate). */
  readonly issuer: string;
  /** The issuer's private key. */
  readonly signingKey: KeyObject;
  /** The issuer's public key, for the authority key identifier (absent: self-signed). */
  readonly issuerPublicKey?: KeyObject;
  /** A certificate authority (`basicConstraints` CA, `keyCertSign`); else an end-entity certificate. */
  readonly ca?: boolean;
  /** Extended key usage of an end-entity certificate. */
  readonly usage?: 'serverAuth' | 'clientAuth';
  /** Host names and IP addresses for `subjectAltName`. */
  readonly altNames?: readonly string[];
  /** Milliseconds of validity from now (the certificate is valid from a day ago). */
  readonly lifetimeMs: number;
}

const EXTENDED_USAGE = { serverAuth: '1.3.6.1.5.5.7.3.1', clientAuth: '1.3.6.1.5.5.7.3.2' } as const;

function signatureAlgorithm(key: KeyObject): Buffer {
  return key.asymmetricKeyType === 'ec'
    ? sequence(oid('1.2.840.10045.4.3.2'))
    : sequence(oid('1.2.840.113549.1.1.11'), nullValue());
}

const commonName = (name: string): Buffer => sequence(set(sequence(oid('2.5.4.3'), utf8(name))));

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** The key identifier of RFC 5280 §4.2.1.2 (1): SHA-1 of the subject public key's bits. */
function keyIdentifier(key: KeyObject): Buffer {
  return createHash('sha1').update(key.export({ type: 'spki', format: 'der' })).digest();
}

/** The IPv4 or IPv6 address `ip` as the bytes of a `subjectAltName` iPAddress. */
function addressBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const [head = '', tail = ''] = ip.split('::');
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
  const front = groups(head);
  const back = ip.includes('::') ? groups(tail) : [];
  const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  return Buffer.from(all.flatMap((group) => [group >> 8, group & 0xff]));
}

function altName(name: string): Buffer {
  return isIPv4(name) || name.includes(':') ? implicit(7, addressBytes(name)) : implicit(2, Buffer.from(name, 'ascii'));
}

function extensions(request: CertificateRequest): Buffer[] {
  const list = [extension('2.5.29.14', false, octetString(keyIdentifier(request.publicKey)))];
  if (request.issuerPublicKey !== undefined) {
    list.push(extension('2.5.29.35', false, sequence(implicit(0, keyIdentifier(request.issuerPublicKey)))));
  }
  if (request.ca === true) {
    list.push(extension('2.5.29.19', true, sequence(boolean(true))));
    list.push(extension('2.5.29.15', true, namedBits([5, 6])));
    return list;
  }
  list.push(extension('2.5.29.19', true, sequence()));
  const rsa = request.publicKey.asymmetricKeyType === 'rsa';
  list.push(extension('2.5.29.15', true, namedBits(rsa ? [0, 2] : [0])));
  if (request.usage !== undefined) list.push(extension('2.5.29.37', false, sequence(oid(EXTENDED_USAGE[request.usage]))));
  if (request.altNames !== undefined && request.altNames.length > 0) {
    list.push(extension('2.5.29.17', false, sequence(...request.altNames.map(altName))));
  }
  return list;
}

/** A signed certificate, in DER. */
export function buildCertificate(request: CertificateRequest): Buffer {
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const algorithm = signatureAlgorithm(request.signingKey);
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    commonName(request.issuer),
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + request.lifetimeMs))),
    commonName(request.subject),
    request.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions(request))),
  );
  return sequence(tbs, algorithm, bitString(sign('sha256', tbs, request.signingKey)));
}

/** A DER certificate as PEM. */
export function toPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}
