/**
 * Catalogue row KY-06: degenerate public keys. An RSA key whose exponent is 1 verifies its own padded
 * message as a signature; an even exponent is no RSA key (yet a key holder can sign with e = 2^k knowing
 * the factors); an exponent of 256 bits or more is beyond FIPS 186-5; an Ed25519 point of small order
 * accepts R = identity, S = 0 for a share of all messages. jose (over OpenSSL) verifies every forged or
 * odd signature below; bearer-guard refuses each key when it reads the JWK Set (counted in `skipped`) and
 * answers the token 401 key_not_found. Served over HTTP from an issuer server, one per case.
 */
import { createHash, generatePrimeSync, randomBytes } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { onKeyEvent, type KeyEvent } from '../../src/index.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  b64url,
  createKeyRing,
  goodClaims,
  handMadeRsaKey,
  signJson,
  startSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
} from './support.js';

let ring: KeyRing;
let issuer: IssuerServer | undefined;
beforeAll(async () => {
  ring = await createKeyRing();
});
afterEach(async () => {
  await issuer?.close();
  issuer = undefined;
});

/** True when jose's `jwtVerify` accepts `token` against `keys`. */
async function joseAccepts(token: string, keys: JWK[], iss: string): Promise<boolean> {
  try {
    await jwtVerify(token, createLocalJWKSet({ keys }), { issuer: iss, audience: AUDIENCE });
    return true;
  } catch {
    return false;
  }
}

/**
 * Publishes `member` beside a sound key, builds a token with `forge(input)` (which may return `undefined` to
 * ask for another payload), checks that jose accepts it, and returns bearer-guard's verdict and the
 * `skipped` count of the fetch.
 */
async function judge(member: JWK, forge: (input: string) => Buffer | undefined): Promise<{ verdict: string; skipped: number | undefined }> {
  issuer = await startSecurityIssuer([]);
  issuer.keys = [member, ring.es256.jwk];
  let token: string | undefined;
  for (let jti = 0; jti < 512 && token === undefined; jti++) {
    const input = `${b64url({ alg: member.alg, kid: member.kid })}.${b64url(goodClaims(issuer, { jti: `j-${jti}` }))}`;
    const signature = forge(input);
    if (signature !== undefined && (await joseAccepts(`${input}.${signature.toString('base64url')}`, [member], issuer.url))) {
      token = `${input}.${signature.toString('base64url')}`;
    }
  }
  expect(token, 'jose accepts the token').toBeDefined();
  const events: KeyEvent[] = [];
  const stop = onKeyEvent((event) => events.push(event));
  try {
    const answer = await verdict(verifierOf(issuer), token!);
    const fetched = events.find((event) => event.type === 'fetched' && event.resource === 'jwks');
    return { verdict: answer, skipped: fetched?.type === 'fetched' ? fetched.skipped : undefined };
  } finally {
    stop();
  }
}

// ---- RSA ----

const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** EMSA-PKCS1-v1_5 of SHA-256(`input`) for a `size`-byte modulus (RFC 8017 §9.2). */
function pkcs1Encoded(input: string, size: number): Buffer {
  const t = Buffer.concat([SHA256_DIGEST_INFO, createHash('sha256').update(input).digest()]);
  return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(size - t.length - 3, 0xff), Buffer.from([0]), t]);
}

/** EMSA-PSS of SHA-256(`input`) with a 32-byte salt, for a modulus of `bits` bits (RFC 8017 §9.1.1). */
function pssEncoded(input: string, bits: number): Buffer {
  const emLen = Math.ceil((bits - 1) / 8);
  const mHash = createHash('sha256').update(input).digest();
  const salt = randomBytes(32);
  const h = createHash('sha256').update(Buffer.concat([Buffer.alloc(8), mHash, salt])).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - 32 - 32 - 2), Buffer.from([1]), salt]);
  const mask = Buffer.alloc(db.length);
  for (let counter = 0, at = 0; at < mask.length; counter++, at += 32) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    createHash('sha256').update(Buffer.concat([h, c])).digest().copy(mask, at);
  }
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - (bits - 1));
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

function toBigInt(bytes: Buffer): bigint {
  return BigInt(`0x${bytes.toString('hex') || '0'}`);
}

function toBytes(value: bigint, size: number): Buffer {
  return Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex');
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

/** A 2048-bit modulus of two primes ≡ 3 (mod 4), whose factors let a key holder take square roots. */
function blumModulus(): { n: bigint; p: bigint; q: bigint } {
  for (;;) {
    const p = generatePrimeSync(1024, { bigint: true, add: 4n, rem: 3n });
    const q = generatePrimeSync(1024, { bigint: true, add: 4n, rem: 3n });
    if (p !== q && (p * q).toString(2).length === 2048) return { n: p * q, p, q };
  }
}

/** The 2^k-th root of `m` mod a Blum prime `p` (square roots of quadratic residues, k times), if `m` is a residue. */
function rootModPrime(m: bigint, p: bigint, k: number): bigint | undefined {
  if (modPow(m, (p - 1n) / 2n, p) !== 1n) return undefined;
  let r = m % p;
  for (let i = 0; i < k; i++) r = modPow(r, (p + 1n) / 4n, p);
  return r;
}

describe('KY-06 degenerate RSA keys', () => {
  let modulus: Buffer;
  beforeAll(() => {
    modulus = toBytes(blumModulus().n, 256);
  });
  const jwkWith = (e: bigint, alg: string, kid: string): JWK => ({
    kty: 'RSA',
    n: modulus.toString('base64url'),
    e: toBytes(e, Math.max(1, Math.ceil(e.toString(16).length / 2))).toString('base64url'),
    kid,
    alg,
  });

  it('refuses a key with e = 1, whose RS256 signatures anyone can forge (the padded message itself)', async () => {
    const outcome = await judge(jwkWith(1n, 'RS256', 'e-one'), (input) => pkcs1Encoded(input, 256));
    expect(outcome).toEqual({ verdict: '401 key_not_found', skipped: 1 });
  });

  it('refuses a key with e = 1, whose PS256 signatures anyone can forge', async () => {
    const outcome = await judge(jwkWith(1n, 'PS256', 'e-one-pss'), (input) => pssEncoded(input, 2048));
    expect(outcome).toEqual({ verdict: '401 key_not_found', skipped: 1 });
  });

  it.each([
    ['2', 1],
    ['65536', 16],
  ])('refuses a key with the even e = %s, though its holder can sign with it', async (_e, k) => {
    const { n, p, q } = blumModulus();
    const member: JWK = { kty: 'RSA', n: toBytes(n, 256).toString('base64url'), e: toBytes(1n << BigInt(k), Math.ceil((k + 1) / 8)).toString('base64url'), kid: `even-${k}`, alg: 'RS256' };
    const sign = (input: string): Buffer | undefined => {
      const m = toBigInt(pkcs1Encoded(input, 256));
      const [rp, rq] = [rootModPrime(m, p, k), rootModPrime(m, q, k)];
      if (rp === undefined || rq === undefined) return undefined; // not a residue: try another payload
      const s = (rp * q * modPow(q, p - 2n, p) + rq * p * modPow(p, q - 2n, q)) % n;
      return toBytes(s, 256);
    };
    expect(await judge(member, sign)).toEqual({ verdict: '401 key_not_found', skipped: 1 });
  });

  it('refuses a key whose odd e has 257 bits, though its holder signs genuinely', async () => {
    const key = handMadeRsaKey(2048, { e: (1n << 256n) + 1n, primeBits: 1024 });
    const outcome = await judge({ ...key.jwk, kid: 'long-e', alg: 'RS256' }, (input) => key.signRs256(input));
    expect(outcome).toEqual({ verdict: '401 key_not_found', skipped: 1 });
  });

  it.each([
    ['3', 3n],
    ['2^256 - 1', (1n << 256n) - 1n],
  ])('accepts a genuine signature of a key with e = %s, the bounds of the accepted range', async (_name, e) => {
    const key = handMadeRsaKey(2048, { e, primeBits: 1024 });
    const outcome = await judge({ ...key.jwk, kid: 'bound', alg: 'RS256' }, (input) => key.signRs256(input));
    expect(outcome).toEqual({ verdict: 'ok', skipped: 0 });
  });

  it('still accepts genuine tokens of the sound keys published beside a degenerate one', async () => {
    issuer = await startSecurityIssuer([]);
    issuer.keys = [jwkWith(1n, 'RS256', 'e-one'), ring.rs256.jwk];
    expect(await verdict(verifierOf(issuer), signJson({ alg: 'RS256', kid: ring.rs256.kid }, goodClaims(issuer), ring.rs256))).toBe('ok');
  });
});

// ---- Ed25519 ----

const P = 2n ** 255n - 19n;
const D = (((-121665n * modPow(121666n, P - 2n, P)) % P) + P) % P;

function sqrtModP(a: bigint): bigint | undefined {
  let x = modPow(a, (P + 3n) / 8n, P);
  if ((x * x - a) % P !== 0n) x = (x * modPow(2n, (P - 1n) / 4n, P)) % P;
  return (((x * x - a) % P) + P) % P === 0n ? x : undefined;
}

/**
 * Every encoding of an Ed25519 point of small order, worked out here independently of the library: the
 * points have y = 1 (order 1), -1 (order 2), 0 (order 4), or a root of d·y⁴ + 2y² − 1 = 0 (order 8, where
 * x² = −y²); each with either sign bit, and y + p where that still fits in 255 bits (y = 0 and 1).
 */
function smallOrderEncodings(): { name: string; x: string }[] {
  const order8: bigint[] = [];
  const root = sqrtModP((4n + 4n * D) % P)!;
  for (const r of [root, P - root]) {
    const y = sqrtModP((((P - 2n + r) % P) * modPow(2n * D, P - 2n, P)) % P);
    if (y !== undefined) order8.push(y, P - y);
  }
  expect(order8).toHaveLength(2);
  const ys: [string, bigint][] = [
    ['y = 1', 1n],
    ['y = -1', P - 1n],
    ['y = 0', 0n],
    ['order 8 (first)', order8[0]!],
    ['order 8 (second)', order8[1]!],
    ['y = p (non-canonical 0)', P],
    ['y = p + 1 (non-canonical 1)', P + 1n],
  ];
  return ys.flatMap(([name, y]) =>
    [0, 1].map((sign) => {
      const bytes = toBytes(y, 32).reverse();
      if (sign === 1) bytes[31]! |= 0x80;
      return { name: `${name}, sign bit ${sign}`, x: bytes.toString('base64url') };
    }),
  );
}

describe('KY-06 Ed25519 keys of small order', () => {
  const cases = smallOrderEncodings();
  // R = the identity point (y = 1), S = 0.
  const forged = Buffer.concat([toBytes(1n, 32).reverse(), Buffer.alloc(32)]);

  it('lists the 14 encodings: 8 points, 6 non-canonical variants', () => {
    expect(new Set(cases.map((entry) => entry.x)).size).toBe(14);
  });

  it.each(cases)('refuses a key at $name, which accepts R = identity, S = 0', async ({ x }) => {
    const member: JWK = { kty: 'OKP', crv: 'Ed25519', x, kid: 'small-order', alg: 'EdDSA' };
    expect(await judge(member, () => forged)).toEqual({ verdict: '401 key_not_found', skipped: 1 });
  });
});
