/** Decoding a compact JWS: three canonical base64url segments, UTF-8 JSON objects, or a refusal. */
import { describe, expect, it } from 'vitest';
import { decodeJws } from '../../../src/verify/format/decode-jws.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function refusal(token: string): TokenRejection {
  try {
    decodeJws(token);
  } catch (error) {
    if (error instanceof TokenRejection) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('decodeJws', () => {
  it('decodes the header and payload and keeps the signing input and signature bytes', () => {
    const token = `${b64({ alg: 'RS256' })}.${b64({ sub: 'a' })}.${Buffer.from([1, 2, 3]).toString('base64url')}`;
    const jws = decodeJws(token);
    expect(jws.header).toEqual({ alg: 'RS256' });
    expect(jws.payload).toEqual({ sub: 'a' });
    expect(jws.signingInput.toString('latin1')).toBe(token.slice(0, token.lastIndexOf('.')));
    expect([...jws.signature]).toEqual([1, 2, 3]);
  });

  it.each([
    ['an empty segment', `${b64({ alg: 'RS256' })}..AQID`, 'not three non-empty base64url segments'],
    ['padding', `${b64({ alg: 'RS256' })}.${b64({})}.AQ==`, 'not three non-empty base64url segments'],
    ['a length no base64url has', `${b64({ alg: 'RS256' })}.${b64({})}.A`, 'a segment is not base64url (its length)'],
    ['stray bits', `${b64({ alg: 'RS256' })}.${b64({})}.AR`, 'a segment is not canonical base64url (stray bits)'],
    ['a payload that is not JSON', `${b64({ alg: 'RS256' })}.${Buffer.from('{').toString('base64url')}.AQID`, 'a segment is not JSON'],
    ['a payload that is an array', `${b64({ alg: 'RS256' })}.${b64([1])}.AQID`, 'a segment is not a JSON object'],
    ['a payload that is not UTF-8', `${b64({ alg: 'RS256' })}.${Buffer.from([0xff, 0xfe]).toString('base64url')}.AQID`, 'a segment is not UTF-8'],
  ])('refuses %s as token_malformed, saying why in the detail', (_name, token, detail) => {
    const rejection = refusal(token);
    expect(rejection.reason).toBe('token_malformed');
    expect(rejection.detail?.()).toBe(detail);
  });
});
