/**
 * A real, self-signed X.509 v3 certificate for an RSA key, built at test time with a minimal ASN.1 DER
 * writer and signed with `node:crypto` (Node parses certificates but cannot build them). It is what an
 * attacker puts in a token's `x5c` header: a well-formed certificate chain of one, vouching for their key.
 */
import { createHash, sign, type KeyObject } from 'node:crypto';

/** A DER length: short form below 128, long form above. */
function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A tag-length-value element. */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 | n, item);
const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.from([0]), bytes);
const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
const boolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);

/** A non-negative INTEGER from big-endian bytes (a zero byte keeps it positive). */
function integer(bytes: Buffer): Buffer {
  const first = bytes.findIndex((byte) => byte !== 0);
  const body = first === -1 ? Buffer.from([0]) : bytes.subarray(first);
  return tlv(0x02, (body[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

/** An OBJECT IDENTIFIER from its dotted form. */
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

/** A UTCTime (YYMMDDHHMMSSZ), for dates from 1950 to 2049. */
function utcTime(date: Date): Buffer {
  return tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
const commonName = (name: string): Buffer => sequence(set(sequence(oid('2.5.4.3'), utf8(name))));

/**
 * A self-signed CA certificate (sha256WithRSAEncryption, `basicConstraints` CA, valid from a day ago for a
 * year) for the RSA key pair `publicKey` / `privateKey`, in DER.
 */
export function selfSignedCertificate(publicKey: KeyObject, privateKey: KeyObject, subject: string): Buffer {
  const now = Date.now();
  const name = commonName(subject);
  const basicConstraints = sequence(oid('2.5.29.19'), boolean(true), octetString(sequence(boolean(true))));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(createHash('sha256').update(subject).digest().subarray(0, 16)),
    SHA256_WITH_RSA,
    name,
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 365 * 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(basicConstraints)),
  );
  return sequence(tbs, SHA256_WITH_RSA, bitString(sign('sha256', tbs, privateKey)));
}

/** The `x5c` form of a DER certificate (standard base64, RFC 7515 §4.1.6) and its `x5t` / `x5t#S256` thumbprints. */
export function x5cMembers(der: Buffer): { x5c: string[]; x5t: string; 'x5t#S256': string } {
  return {
    x5c: [der.toString('base64')],
    x5t: createHash('sha1').update(der).digest('base64url'),
    'x5t#S256': createHash('sha256').update(der).digest('base64url'),
  };
}
