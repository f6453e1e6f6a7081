/**
 * A minimal ASN.1 DER writer (ITU-T X.690), enough to build X.509 certificates in memory: Node parses
 * certificates (`X509Certificate`) but cannot build them.
 */

/** A DER length: short form below 128, long form above. */
function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** A tag-length-value element. */
export function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

/** SEQUENCE. */
export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);
/** SET. */
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items);
/** A constructed context-specific tag `[n]` (EXPLICIT tagging). */
export const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 | n, item);
/** A primitive context-specific tag `[n]` (IMPLICIT tagging of a primitive value). */
export const implicit = (n: number, bytes: Buffer): Buffer => tlv(0x80 | n, bytes);
/** NULL. */
export const nullValue = (): Buffer => Buffer.from([0x05, 0x00]);
/** UTF8String. */
export const utf8 = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
/** BIT STRING without unused bits. */
export const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.from([0]), bytes);
/** OCTET STRING. */
export const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
/** BOOLEAN. */
export const boolean = (value: boolean): Buffer => Buffer.from([0x01, 0x01, value ? 0xff : 0x00]);

/** A non-negative INTEGER from big-endian bytes (a leading zero byte keeps it positive). */
export function integer(bytes: Buffer): Buffer {
  const first = bytes.findIndex((byte) => byte !== 0);
  const body = first === -1 ? Buffer.from([0]) : bytes.subarray(first);
  return tlv(0x02, (body[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), body]) : body);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Buffer {
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

/** A UTCTime (YYMMDDHHMMSSZ); X.509 uses it for dates from 1950 to 2049. */
export function utcTime(date: Date): Buffer {
  return tlv(0x17, Buffer.from(`${date.toISOString().slice(2, 19).replace(/[-T:]/g, '')}Z`, 'ascii'));
}

/** A BIT STRING of named bits (bit 0 first), as `keyUsage` uses it: trailing zero bits are dropped. */
export function namedBits(bits: readonly number[]): Buffer {
  const highest = Math.max(...bits);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  const unused = 7 - (highest % 8);
  return tlv(0x03, Buffer.from([unused]), bytes);
}
