/**
 * Catalogue row SG-03, the length rule on its own: an ECDSA (IEEE P1363 `r || s`) or Ed25519 signature of
 * the wrong length is refused before any call into OpenSSL. OpenSSL would refuse it too, so an answer alone
 * cannot show the rule; `crypto.verify` is wrapped here to count the calls that reach it.
 */
import * as nodeCrypto from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey } from '../helpers/keys.js';
import {
  b64text,
  createKeyRing,
  goodClaims,
  jwsSignature,
  privateKeyOf,
  signToken,
  startSecurityIssuer,
  verdict,
  verifierOf,
  type TestKey,
} from './support.js';

const calls = vi.hoisted(() => ({ verify: 0 }));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof nodeCrypto>();
  const verify: typeof actual.verify = ((...args: Parameters<typeof actual.verify>) => {
    calls.verify += 1;
    return (actual.verify as (...rest: unknown[]) => unknown)(...args);
  }) as typeof actual.verify;
  return { ...actual, default: { ...actual, verify }, verify };
});

let keys: Record<'ES256' | 'ES384' | 'ES512' | 'Ed25519' | 'RS256' | 'PS256', TestKey>;
let issuer: IssuerServer;

beforeAll(async () => {
  const ring = await createKeyRing();
  keys = {
    ES256: ring.es256,
    ES384: ring.es384,
    ES512: ring.es512,
    Ed25519: await createTestKey('Ed25519'),
    RS256: ring.rs256,
    PS256: ring.ps256,
  };
  issuer = await startSecurityIssuer(Object.values(keys));
});
afterAll(async () => issuer.close());
beforeEach(() => {
  calls.verify = 0;
});

/** A genuine token of `key` with its signature bytes replaced by `change(signature)`. */
async function resigned(key: TestKey, change: (signature: Buffer) => Buffer): Promise<string> {
  const token = await signToken(key, goodClaims(issuer));
  const at = token.lastIndexOf('.');
  return `${token.slice(0, at)}.${change(Buffer.from(token.slice(at + 1), 'base64url')).toString('base64url')}`;
}

describe('SG-03 exact signature lengths', () => {
  it.each(['ES256', 'ES384', 'ES512', 'Ed25519'] as const)('verifies a genuine %s signature with one call into OpenSSL', async (alg) => {
    expect(await verdict(verifierOf(issuer), await signToken(keys[alg], goodClaims(issuer)))).toBe('ok');
    expect(calls.verify).toBe(1);
  });

  it.each(['ES256', 'ES384', 'ES512', 'Ed25519'] as const)(
    'rejects a %s signature one byte too long or too short without calling OpenSSL',
    async (alg) => {
      const verifier = verifierOf(issuer);
      const changes: [string, (signature: Buffer) => Buffer][] = [
        ['a leading zero byte', (s) => Buffer.concat([Buffer.alloc(1), s])],
        ['a trailing zero byte', (s) => Buffer.concat([s, Buffer.alloc(1)])],
        ['its last byte cut', (s) => s.subarray(0, -1)],
        ['its first byte cut', (s) => s.subarray(1)],
      ];
      for (const [name, change] of changes) {
        const token = await resigned(keys[alg], change);
        calls.verify = 0;
        expect(`${name}: ${await verdict(verifier, token)}`).toBe(`${name}: 401 signature_invalid`);
        expect(`${name}: ${calls.verify} calls`).toBe(`${name}: 0 calls`);
      }
    },
  );
});

describe('SG-03 RSA signatures of exactly the modulus length', () => {
  it('rejects a genuine PS256 signature stripped of its leading zero byte, which OpenSSL alone would accept', async () => {
    // RSASSA-PSS is randomised: about one signature in 256 starts with a zero byte. Sign until one does.
    const input = `${b64text(JSON.stringify({ alg: 'PS256', kid: keys.PS256.kid }))}.${b64text(JSON.stringify(goodClaims(issuer)))}`;
    let signature = jwsSignature('PS256', privateKeyOf(keys.PS256), input);
    for (let attempt = 0; signature[0] !== 0 && attempt < 5000; attempt++) {
      signature = jwsSignature('PS256', privateKeyOf(keys.PS256), input);
    }
    expect(signature[0]).toBe(0);
    const verifier = verifierOf(issuer);
    expect(await verdict(verifier, `${input}.${signature.toString('base64url')}`)).toBe('ok');
    calls.verify = 0;
    expect(await verdict(verifier, `${input}.${signature.subarray(1).toString('base64url')}`)).toBe('401 signature_invalid');
    expect(calls.verify).toBe(0);
  });

  it.each(['RS256', 'PS256'] as const)('rejects a %s signature one byte too long or too short without calling OpenSSL', async (alg) => {
    const verifier = verifierOf(issuer);
    for (const change of [(s: Buffer) => Buffer.concat([Buffer.alloc(1), s]), (s: Buffer) => s.subarray(1)]) {
      const token = await resigned(keys[alg], change);
      calls.verify = 0;
      expect(await verdict(verifier, token)).toBe('401 signature_invalid');
      expect(calls.verify).toBe(0);
    }
  });
});
