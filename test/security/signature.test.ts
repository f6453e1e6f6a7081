/**
 * Catalogue family "signature" (SG-02 to SG-07): psychic and out-of-range ECDSA values, signature encodings
 * and lengths, ECDSA malleability, non-canonical base64url, tampering, and RSA key sizes. Each forged token
 * keeps everything else valid, so the signature rule alone decides.
 */
import { randomBytes, sign as cryptoSign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  b64url,
  goodClaims,
  handMadeRsaKey,
  privateKeyOf,
  signJson,
  signToken,
  startSecurityIssuer,
  useSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
  type TestKey,
} from './support.js';

/** Group orders of the NIST curves (SEC 2). */
const ORDER: Record<string, bigint> = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512:
    0x01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};
const HALF: Record<string, number> = { ES256: 32, ES384: 48, ES512: 66 };

function int(value: bigint, length: number): Buffer {
  return Buffer.from(value.toString(16).padStart(length * 2, '0'), 'hex');
}

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));

/** A genuine token of `key` split into its signing input and signature bytes. */
async function parts(key: TestKey, extra: Record<string, unknown> = {}): Promise<{ input: string; signature: Buffer; token: string }> {
  const token = await signToken(key, goodClaims(issuer, extra));
  const at = token.lastIndexOf('.');
  return { input: token.slice(0, at), signature: Buffer.from(token.slice(at + 1), 'base64url'), token };
}

const withSignature = (input: string, signature: Buffer): string => `${input}.${signature.toString('base64url')}`;

describe('SG-02 psychic and out-of-range ECDSA signatures', () => {
  const ecKeys = (): [string, TestKey][] => [
    ['ES256', ring.es256],
    ['ES384', ring.es384],
    ['ES512', ring.es512],
  ];

  it.each(['ES256', 'ES384', 'ES512'])('rejects %s signatures with r = s = 0, r = s = n and r = n, s = n - 1', async (alg) => {
    const key = ecKeys().find(([name]) => name === alg)![1];
    const { input } = await parts(key);
    const n = ORDER[alg]!;
    const size = HALF[alg]!;
    const forgeries: [string, Buffer][] = [
      ['r = s = 0', Buffer.alloc(size * 2)],
      ['r = s = n', Buffer.concat([int(n, size), int(n, size)])],
      ['r = n, s = n - 1', Buffer.concat([int(n, size), int(n - 1n, size)])],
      ['r = s = 1', Buffer.concat([int(1n, size), int(1n, size)])],
      ['r = 0, s = genuine', Buffer.concat([Buffer.alloc(size), (await parts(key)).signature.subarray(size)])],
    ];
    for (const [name, signature] of forgeries) {
      expect(`${name}: ${await verdict(verifierOf(issuer), withSignature(input, signature))}`).toBe(`${name}: 401 signature_invalid`);
    }
  });

  it('rejects an all-zero Ed25519 signature and one whose S is pushed past the group order', async () => {
    const { input, signature } = await parts(ring.eddsa);
    expect(await verdict(verifierOf(issuer), withSignature(input, Buffer.alloc(64)))).toBe('401 signature_invalid');
    // S + L verifies the same equation but is non-canonical (RFC 8032 §5.1.7 requires S < L).
    const l = 2n ** 252n + 27742317777372353535851937790883648493n;
    const s = BigInt(`0x${Buffer.from(signature.subarray(32)).reverse().toString('hex')}`);
    const pushed = Buffer.from(int(s + l, 32)).reverse();
    expect(await verdict(verifierOf(issuer), withSignature(input, Buffer.concat([signature.subarray(0, 32), pushed])))).toBe(
      '401 signature_invalid',
    );
  });
});

describe('SG-03 signature encodings and lengths', () => {
  it('rejects a DER-encoded ECDSA signature over the right input', async () => {
    const { input } = await parts(ring.es256);
    const der = cryptoSign('sha256', Buffer.from(input), { key: privateKeyOf(ring.es256), dsaEncoding: 'der' });
    expect(await verdict(verifierOf(issuer), withSignature(input, der))).toBe('401 signature_invalid');
  });

  it.each<[string, (signature: Buffer) => Buffer]>([
    ['truncated by one byte', (s) => s.subarray(0, s.length - 1)],
    ['extended by a zero byte', (s) => Buffer.concat([s, Buffer.alloc(1)])],
    ['prefixed with a zero byte', (s) => Buffer.concat([Buffer.alloc(1), s])],
    ['halved', (s) => s.subarray(0, s.length / 2)],
    ['doubled', (s) => Buffer.concat([s, s])],
  ])('rejects ES256, RS256, PS256 and EdDSA signatures %s', async (_name, change) => {
    for (const key of [ring.es256, ring.rs256, ring.ps256, ring.eddsa]) {
      const { input, signature } = await parts(key);
      expect(`${key.alg}: ${await verdict(verifierOf(issuer), withSignature(input, change(signature)))}`).toBe(
        `${key.alg}: 401 signature_invalid`,
      );
    }
  });

  it('rejects RSA signatures of zeros and of 0xff bytes at the modulus length', async () => {
    const { input } = await parts(ring.rs256);
    for (const fill of [0x00, 0xff]) {
      expect(await verdict(verifierOf(issuer), withSignature(input, Buffer.alloc(256, fill)))).toBe('401 signature_invalid');
    }
  });
});

describe('SG-04 ECDSA malleability', () => {
  it('accepts s replaced by n - s (a second valid encoding) and derives the same identity from it', async () => {
    const { input, signature, token } = await parts(ring.es256);
    const n = ORDER.ES256!;
    const s = BigInt(`0x${signature.subarray(32).toString('hex')}`);
    const twin = withSignature(input, Buffer.concat([signature.subarray(0, 32), int(n - s, 32)]));
    expect(twin).not.toBe(token);
    const verifier = verifierOf(issuer, { cache: {} });
    const [first, second] = [await verifier.verify(token), await verifier.verify(twin)];
    const { token: _a, ...identity } = first;
    const { token: _b, ...twinIdentity } = second;
    expect(twinIdentity).toEqual(identity);
  });
});

describe('SG-05 non-canonical base64url', () => {
  /** Sets the unused low bits of the last character of a segment whose length is 2 or 3 mod 4. */
  function dirtyLastChar(segment: string): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const unused = segment.length % 4 === 2 ? 0x0f : 0x03;
    const last = alphabet.indexOf(segment.at(-1)!);
    return segment.slice(0, -1) + alphabet[last | unused];
  }

  it('rejects a signature whose last character carries non-zero unused bits, though it decodes to the same bytes', async () => {
    for (const key of [ring.rs256, ring.es256]) {
      const { input, signature } = await parts(key);
      const encoded = signature.toString('base64url');
      expect(encoded.length % 4).not.toBe(0);
      const dirty = dirtyLastChar(encoded);
      expect(Buffer.from(dirty, 'base64url').equals(signature)).toBe(true);
      expect(await verdict(verifierOf(issuer), `${input}.${dirty}`)).toBe('401 token_malformed');
    }
  });

  it('rejects a payload segment with non-zero unused bits, even when that exact text is signed', async () => {
    let payload = b64url(goodClaims(issuer, { pad: 'x' }));
    for (let extra = 0; payload.length % 4 === 0 || payload.length % 4 === 1; extra++) {
      payload = b64url(goodClaims(issuer, { pad: 'x'.repeat(extra + 2) }));
    }
    const header = b64url({ alg: 'RS256', kid: ring.rs256.kid });
    const dirtyInput = `${header}.${dirtyLastChar(payload)}`;
    const signature = cryptoSign('sha256', Buffer.from(dirtyInput), privateKeyOf(ring.rs256));
    expect(await verdict(verifierOf(issuer), withSignature(dirtyInput, signature))).toBe('401 token_malformed');
  });

  it.each<[string, (signature: string) => string]>([
    ['"=" padding', (s) => `${s}${'='.repeat((4 - (s.length % 4)) % 4 || 4)}`],
    ['"+" for "-" and "/" for "_"', (s) => `${s.replace(/-/g, '+').replace(/_/g, '/')}${/[-_]/.test(s) ? '' : '+'}`],
  ])('rejects a signature written with %s', async (_name, rewrite) => {
    const { input, signature } = await parts(ring.rs256);
    expect(await verdict(verifierOf(issuer), `${input}.${rewrite(signature.toString('base64url'))}`)).toBe('401 token_malformed');
  });
});

describe('SG-06 tampering', () => {
  it('rejects a changed header, an escalated payload, a flipped signature bit, a borrowed and a random signature', async () => {
    const { input, signature } = await parts(ring.rs256);
    const [header, payload] = input.split('.') as [string, string];
    const other = await parts(ring.rs256, { jti: 'another-token' });
    const flipped = Buffer.from(signature);
    flipped[100]! ^= 0x01;
    const cases: [string, string][] = [
      ['header with typ added', `${b64url({ alg: 'RS256', kid: ring.rs256.kid, typ: 'JWT' })}.${payload}.${signature.toString('base64url')}`],
      ['payload with an admin scope', `${header}.${b64url(goodClaims(issuer, { scope: 'admin' }))}.${signature.toString('base64url')}`],
      ['one flipped signature bit', withSignature(input, flipped)],
      ['the signature of another token', withSignature(input, other.signature)],
      ['a random signature', withSignature(input, randomBytes(256))],
    ];
    expect(other.signature.equals(signature)).toBe(false);
    for (const [name, token] of cases) {
      expect(`${name}: ${await verdict(verifierOf(issuer), token)}`).toBe(`${name}: 401 signature_invalid`);
    }
  });

  it('rejects a genuine signature from another key published under the same kid', async () => {
    const token = await signToken(ring.attacker, goodClaims(issuer), { header: { kid: ring.rs256.kid } });
    expect(await verdict(verifierOf(issuer), token)).toBe('401 signature_invalid');
  });
});

describe('SG-07 RSA key sizes', () => {
  it('never verifies with a key above 16384 bits, even with a genuine signature', async () => {
    const big = handMadeRsaKey(16400);
    expect(big.bits).toBeGreaterThan(16384);
    const server = await startSecurityIssuer([]);
    try {
      server.keys = [{ ...big.jwk, kid: 'huge', alg: 'RS256' }, ring.es256.jwk];
      const input = `${b64url({ alg: 'RS256', kid: 'huge' })}.${b64url(goodClaims(server))}`;
      expect(await verdict(verifierOf(server), withSignature(input, big.signRs256(input)))).toBe('401 key_not_found');
    } finally {
      await server.close();
    }
  });

  it.each<[string, number, string]>([
    ['rejects', 2000, '401 key_not_found'],
    ['rejects', 8192, '401 key_not_found'],
  ])('%s a genuine signature of a 2048-bit key whose public exponent has %i bits', async (_verb, eBits, expected) => {
    const random = BigInt(`0x${randomBytes(eBits / 8).toString('hex')}`);
    const exponent = (random & ((1n << BigInt(eBits)) - 1n)) | 1n | (1n << BigInt(eBits - 1));
    const key = handMadeRsaKey(2048, { e: exponent, primeBits: 1024 });
    expect(key.bits).toBe(2048);
    const server = await startSecurityIssuer([]);
    try {
      server.keys = [{ ...key.jwk, kid: 'long-e', alg: 'RS256' }, ring.es256.jwk];
      const input = `${b64url({ alg: 'RS256', kid: 'long-e' })}.${b64url(goodClaims(server))}`;
      // Exponents of 256 bits or more are refused when the set is read (OpenSSL would refuse one longer
      // than the modulus anyway; jose accepts the 2000-bit one).
      expect(await verdict(verifierOf(server), withSignature(input, key.signRs256(input)))).toBe(expected);
      const forged = signJson({ alg: 'RS256', kid: 'long-e' }, goodClaims(server), ring.rs256);
      expect(await verdict(verifierOf(server), forged)).toBe('401 key_not_found');
    } finally {
      await server.close();
    }
  });
});
