import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { findKeys, toKeySet, type KeySet } from '../../../src/verify/keys/jwk-set.js';
import { createTestKey, type TestKey } from '../../helpers/keys.js';

let rsa: TestKey;
let ec: TestKey;
let ed: TestKey;
let p384: TestKey;
beforeAll(async () => {
  [rsa, ec, ed, p384] = await Promise.all([
    createTestKey('RS256', { kid: 'rsa' }),
    createTestKey('ES256', { kid: 'ec' }),
    createTestKey('EdDSA', { kid: 'ed', crv: 'Ed25519' }),
    createTestKey('ES384', { kid: 'p384' }),
  ]);
});

/** `coordinate` (base64url) with a leading zero byte. */
function padded(coordinate: string): string {
  return Buffer.concat([Buffer.alloc(1), Buffer.from(coordinate, 'base64url')]).toString('base64url');
}

/** The 57-byte Ed448 encoding of the point with `y` (x sign bit 0). */
function ed448Y(y: bigint): string {
  return Buffer.from(y.toString(16).padStart(114, '0'), 'hex').reverse().toString('base64url');
}

function parse(keys: unknown[], previous?: KeySet): KeySet {
  const set = toKeySet({ keys }, previous);
  if (typeof set === 'string') throw new Error(set);
  return set;
}

/** An RSA public JWK with a modulus of exactly `bits` bits (the number need not be a real modulus to import). */
function rsaJwkOfBits(bits: number, kid: string): JWK {
  const n = randomBytes(bits / 8);
  n[0]! |= 0x80;
  n[n.length - 1]! |= 1;
  return { kty: 'RSA', n: n.toString('base64url'), e: 'AQAB', kid, alg: 'RS256' };
}

describe('toKeySet', () => {
  it('keeps RSA, EC and OKP signing keys and indexes them by kid', () => {
    const set = parse([rsa.jwk, ec.jwk, ed.jwk]);
    expect(set.keys.map((entry) => entry.kid)).toEqual(['rsa', 'ec', 'ed']);
    expect(set.skipped).toBe(0);
    expect(set.byKid.get('ec')).toHaveLength(1);
    expect(set.keys[0]!.key.type).toBe('public');
  });

  it.each<[string, () => unknown]>([
    ['use "enc"', () => ({ ...rsa.jwk, kid: 'x', use: 'enc' })],
    ['a non-string use', () => ({ ...rsa.jwk, kid: 'x', use: 1 })],
    ['key_ops without "verify"', () => ({ ...rsa.jwk, kid: 'x', key_ops: ['encrypt'] })],
    ['key_ops that is not an array', () => ({ ...rsa.jwk, kid: 'x', key_ops: 'verify' })],
    ['key_ops naming verify and encrypt', () => ({ ...rsa.jwk, kid: 'x', key_ops: ['verify', 'encrypt'] })],
    ['kty "oct" (a symmetric key)', () => ({ kty: 'oct', k: 'c2VjcmV0', kid: 'x', alg: 'HS256' })],
    ['a private RSA member "d"', () => ({ ...rsa.jwk, kid: 'x', d: 'AQAB' })],
    ['private CRT members "p" and "q"', () => ({ ...rsa.jwk, kid: 'x', p: 'AQAB', q: 'AQAB' })],
    ['a private EC member "d"', () => ({ ...ec.jwk, kid: 'x', d: 'AQAB' })],
    ['an RSA modulus of 1024 bits', () => rsaJwkOfBits(1024, 'x')],
    ['an RSA modulus of 2040 bits', () => rsaJwkOfBits(2040, 'x')],
    ['an RSA modulus above 16384 bits', () => rsaJwkOfBits(16392, 'x')],
    ['an alg nobody verifies with ("RSA-OAEP")', () => ({ ...rsa.jwk, kid: 'x', alg: 'RSA-OAEP' })],
    ['alg "HS256" on an RSA key', () => ({ ...rsa.jwk, kid: 'x', alg: 'HS256' })],
    ['alg "none"', () => ({ ...rsa.jwk, kid: 'x', alg: 'none' })],
    ['alg of another key type (ES256 on RSA)', () => ({ ...rsa.jwk, kid: 'x', alg: 'ES256' })],
    ['a curve that does not fit its alg (P-384 as ES256)', () => ({ ...p384.jwk, kid: 'x', alg: 'ES256' })],
    ['an unknown curve', () => ({ ...ec.jwk, kid: 'x', crv: 'secp256k1' })],
    ['a non-string alg', () => ({ ...rsa.jwk, kid: 'x', alg: {} })],
    ['a non-string kid', () => ({ ...rsa.jwk, kid: 1 })],
    ['missing "n"', () => ({ kty: 'RSA', e: 'AQAB', kid: 'x' })],
    ['an empty "x"', () => ({ ...ec.jwk, kid: 'x', x: '' })],
    ['EC coordinates off the curve', () => ({ ...ec.jwk, kid: 'x', y: ec.jwk.x })],
    ['an EC coordinate with a leading zero byte (33 bytes for P-256)', () => ({ ...ec.jwk, kid: 'x', x: padded(ec.jwk.x!) })],
    ['an EC coordinate one byte short', () => ({ ...ec.jwk, kid: 'x', y: Buffer.from(ec.jwk.y!, 'base64url').subarray(1).toString('base64url') })],
    ['an RSA exponent of 1', () => ({ ...rsa.jwk, kid: 'x', e: 'AQ' })],
    ['an RSA exponent of 2', () => ({ ...rsa.jwk, kid: 'x', e: 'Ag' })],
    ['an even RSA exponent (65536)', () => ({ ...rsa.jwk, kid: 'x', e: 'AQAA' })],
    ['an RSA exponent of 2^256 + 1', () => ({ ...rsa.jwk, kid: 'x', e: Buffer.concat([Buffer.from([1]), Buffer.alloc(31), Buffer.from([1])]).toString('base64url') })],
    ['an Ed25519 key at the identity point', () => ({ ...ed.jwk, kid: 'x', x: Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]).toString('base64url') })],
    ['an Ed448 key at the identity point', () => ({ kty: 'OKP', crv: 'Ed448', kid: 'x', x: Buffer.concat([Buffer.from([1]), Buffer.alloc(56)]).toString('base64url') })],
    ['an Ed448 key at the point of order 2 (y = -1)', () => ({ kty: 'OKP', crv: 'Ed448', kid: 'x', x: ed448Y(2n ** 448n - 2n ** 224n - 2n) })],
    ['an Ed448 key at a point of order 4 (y = 0)', () => ({ kty: 'OKP', crv: 'Ed448', kid: 'x', x: ed448Y(0n) })],
    ['a string member', () => 'rsa'],
    ['null', () => null],
    ['an array', () => [rsa.jwk]],
  ])('skips a member with %s', (_name, member) => {
    const set = parse([ec.jwk, member()]);
    expect(set.keys.map((entry) => entry.kid)).toEqual(['ec']);
    expect(set.skipped).toBe(1);
  });

  it('keeps a sound Ed448 key, and RSA keys whose odd exponents are 3 and 2^256 - 1', () => {
    const ed448 = generateKeyPairSync('ed448').publicKey.export({ format: 'jwk' });
    const set = parse([
      { ...ed448, kid: 'ed448' },
      { ...rsa.jwk, kid: 'e3', e: 'Aw' },
      { ...rsa.jwk, kid: 'e256', e: Buffer.alloc(32, 0xff).toString('base64url') },
    ]);
    expect(set.keys.map((entry) => entry.kid)).toEqual(['ed448', 'e3', 'e256']);
  });

  it('accepts an RSA modulus of exactly 2048 bits', () => {
    expect(parse([rsaJwkOfBits(2048, 'edge')]).keys).toHaveLength(1);
  });

  it('accepts key_ops ["verify"] and use "sig"', () => {
    const set = parse([{ ...rsa.jwk, key_ops: ['verify'], use: 'sig' }]);
    expect(set.keys).toHaveLength(1);
  });

  it.each([null, [], 'keys', {}, { keys: {} }, { keys: 'x' }])('calls %j not a JWK Set', (document) => {
    expect(toKeySet(document, undefined)).toBe('not a JWK Set');
  });

  it('refuses a set with no usable signing key', () => {
    expect(toKeySet({ keys: [] }, undefined)).toBe('no usable signing keys');
    const unusable = { keys: [{ ...rsa.jwk, use: 'enc' }, { kty: 'oct', k: 'AA' }] };
    expect(toKeySet(unusable, undefined)).toBe('no usable signing keys');
  });

  it('ignores what the members carry beyond their public parameters', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const extras = { x5c: ['bm90IGEgY2VydA=='], x5u: 'https://evil.example/cert' };
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'x5c', ...extras };
    const set = parse([jwk]);
    expect(set.keys[0]!.key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('keeps one key when the same member is listed twice', () => {
    const set = parse([rsa.jwk, { ...rsa.jwk }]);
    expect(set.keys).toHaveLength(1);
    expect(set.skipped).toBe(1);
    expect(findKeys(set, 'RS256', 'rsa')).toHaveLength(1);
  });

  it('keeps both keys when two different keys share a kid (the token is then ambiguous)', () => {
    const set = parse([rsa.jwk, { ...ec.jwk, kid: 'rsa', alg: undefined }]);
    expect(set.byKid.get('rsa')).toHaveLength(2);
    expect(findKeys(set, 'RS256', 'rsa')).toHaveLength(1);
  });

  it('examines at most 1000 members and counts the rest as skipped', () => {
    const members = Array.from({ length: 1200 }, (_, i) => ({ ...ec.jwk, kid: `k${i}` }));
    const set = parse(members);
    expect(set.keys).toHaveLength(1000);
    expect(set.skipped).toBe(200);
    expect(set.byKid.has('k1000')).toBe(false);
  });

  it('reuses the entry of a key that a refresh keeps, and creates one for a key that changed', () => {
    const first = parse([rsa.jwk, ec.jwk]);
    const second = parse([rsa.jwk, { ...ec.jwk, alg: undefined }], first);
    expect(second.keys[0]).toBe(first.keys[0]);
    expect(second.keys[1]).not.toBe(first.keys[1]);
  });
});

describe('findKeys', () => {
  it('matches the token alg against the key alg', () => {
    const set = parse([rsa.jwk]);
    expect(findKeys(set, 'RS256', 'rsa')).toHaveLength(1);
    expect(findKeys(set, 'PS256', 'rsa')).toHaveLength(0);
    expect(findKeys(set, 'RS512', 'rsa')).toHaveLength(0);
  });

  it('lets a key without alg verify every algorithm of its type and curve', () => {
    const set = parse([{ ...rsa.jwk, alg: undefined }, { ...ec.jwk, alg: undefined }]);
    expect(findKeys(set, 'PS384', 'rsa')).toHaveLength(1);
    expect(findKeys(set, 'ES256', 'ec')).toHaveLength(1);
    expect(findKeys(set, 'ES384', 'ec')).toHaveLength(0);
    expect(findKeys(set, 'RS256', 'ec')).toHaveLength(0);
  });

  it('offers every fitting key to a token without kid', () => {
    const set = parse([rsa.jwk, ec.jwk, { ...rsa.jwk, kid: undefined, n: rsaJwkOfBits(2048, 'n').n }]);
    expect(findKeys(set, 'ES256', undefined)).toHaveLength(1);
    expect(findKeys(set, 'RS256', undefined)).toHaveLength(2);
  });

  it('finds nothing for an unknown kid', () => {
    expect(findKeys(parse([rsa.jwk]), 'RS256', 'nope')).toEqual([]);
  });
});
