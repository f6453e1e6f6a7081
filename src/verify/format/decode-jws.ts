/**
 * Splits a JWS Compact Serialization (RFC 7515 §7.1) and decodes its header and payload. Strict: exactly
 * three non-empty segments of canonical base64url (no padding, no stray bits), UTF-8 JSON objects.
 */
import { isUtf8 } from 'node:buffer';
import { isJsonObject, type JsonObject } from '../../json.js';
import { reject } from '../rejection.js';

/** A decoded, not yet verified, JWS. */
export interface DecodedJws {
  readonly header: JsonObject;
  readonly payload: JsonObject;
  /** `BASE64URL(header) || '.' || BASE64URL(payload)`, the bytes the signature covers. */
  readonly signingInput: Buffer;
  readonly signature: Buffer;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/**
 * Rejects a segment (already known to hold only base64url characters) that is not canonical: a length no
 * encoding has, or non-zero unused bits in its last character.
 */
export function checkCanonical(segment: string): void {
  const rest = segment.length % 4;
  if (rest === 1) reject('token_malformed', () => 'a segment is not base64url (its length)');
  if (rest !== 0) {
    // The unused low bits of the last character must be zero, so each byte string has one encoding.
    const last = SEXTET[segment.charCodeAt(segment.length - 1)]!;
    if ((rest === 2 && (last & 0x0f) !== 0) || (rest === 3 && (last & 0x03) !== 0)) {
      reject('token_malformed', () => 'a segment is not canonical base64url (stray bits)');
    }
  }
}

/** Decodes one canonical base64url segment, or rejects it. */
function decodeSegment(segment: string): Buffer {
  checkCanonical(segment);
  return Buffer.from(segment, 'base64url');
}

/** Decodes a canonical base64url segment holding a UTF-8 JSON object, or rejects it. */
export function decodeJsonObject(segment: string): JsonObject {
  const bytes = decodeSegment(segment);
  if (!isUtf8(bytes)) reject('token_malformed', () => 'a segment is not UTF-8');
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    reject('token_malformed', () => 'a segment is not JSON');
  }
  if (!isJsonObject(value)) reject('token_malformed', () => 'a segment is not a JSON object');
  return value as JsonObject;
}

/**
 * Headers seen recently, decoded: an issuer's tokens share a handful of headers (`alg`, `kid`, `typ`), so
 * most tokens skip decoding theirs. The objects are shared and never modified (an accepted token's header is
 * deep-frozen before it is exposed). Bounded; emptied when full.
 */
const recentHeaders = new Map<string, JsonObject>();
const MAX_RECENT_HEADERS = 64;

function decodeHeader(segment: string): JsonObject {
  const known = recentHeaders.get(segment);
  if (known !== undefined) return known;
  const header = decodeJsonObject(segment);
  if (recentHeaders.size >= MAX_RECENT_HEADERS) recentHeaders.clear();
  recentHeaders.set(segment, header);
  return header;
}

/**
 * Decodes `token`, rejecting anything that is not a well-formed compact JWS. The header object may be shared
 * by every token carrying the same header segment; the payload is a fresh object.
 */
export function decodeJws(token: string): DecodedJws {
  if (!COMPACT_JWS.test(token)) reject('token_malformed', () => 'not three non-empty base64url segments');
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  return {
    header: decodeHeader(token.slice(0, first)),
    payload: decodeJsonObject(token.slice(first + 1, second)),
    signingInput: Buffer.from(token.slice(0, second), 'latin1'),
    signature: decodeSegment(token.slice(second + 1)),
  };
}
