/**
 * Catalogue family "keys" (KY-01 to KY-05, SG-07 small keys): what a JWK Set served over HTTP may hold and
 * which of its members can ever verify a token. Symmetric, private, encryption-only, small, mislabelled and
 * malformed members are never used; a token that names no kid is verified only when exactly one key fits;
 * two keys under one kid are never chosen between; and a key of one issuer never verifies another's token.
 */
import { createHmac, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import type { JWK } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError, KeysUnavailableError } from '../../src/index.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  b64url,
  createKeyRing,
  goodClaims,
  signJson,
  signToken,
  startSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
} from './support.js';

let ring: KeyRing;
let issuer: IssuerServer;

beforeAll(async () => {
  ring = await createKeyRing();
});
beforeEach(async () => {
  issuer = await startSecurityIssuer([]);
});
afterEach(async () => issuer.close());

/** A token over good claims signed by a raw private key under `alg`, naming `kid` (if given). */
function signWith(privateKey: KeyObject, alg: 'RS256' | 'ES256', kid: string | undefined): string {
  const input = `${b64url({ alg, ...(kid === undefined ? {} : { kid }) })}.${b64url(goodClaims(issuer))}`;
  const signature =
    alg === 'ES256'
      ? cryptoSign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' })
      : cryptoSign('sha256', Buffer.from(input), privateKey);
  return `${input}.${signature.toString('base64url')}`;
}

describe('KY-01 tokens without kid', () => {
  it('accepts a token without kid when exactly one published key fits its algorithm', async () => {
    issuer.keys = [ring.rs256.jwk, ring.es256.jwk, ring.eddsa.jwk];
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer), { noKid: true }))).toBe('ok');
  });

  it('rejects a token without kid as key_ambiguous when several published keys fit, even if one would verify', async () => {
    issuer.keys = [ring.rs256.jwk, ring.attacker.jwk];
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer), { noKid: true }))).toBe(
      '401 key_ambiguous',
    );
  });

  it('uses a published key without kid only for tokens without kid', async () => {
    const { kid: _kid, ...withoutKid } = ring.rs256.jwk;
    issuer.keys = [withoutKid, ring.es256.jwk];
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer), { noKid: true }))).toBe('ok');
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer)))).toBe('401 key_not_found');
  });
});

describe('KY-02 duplicate kids', () => {
  it('never chooses between two different keys published under one kid: both signers get key_ambiguous', async () => {
    issuer.keys = [ring.rs256.jwk, { ...ring.attacker.jwk, kid: ring.rs256.kid }];
    for (const signer of [ring.rs256, ring.attacker]) {
      const token = await signToken(signer, goodClaims(issuer), { header: { kid: ring.rs256.kid } });
      expect(await verdict(verifierOf(issuer), token)).toBe('401 key_ambiguous');
    }
  });

  it('treats one key listed twice verbatim as one key', async () => {
    issuer.keys = [ring.rs256.jwk, ring.rs256.jwk];
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer)))).toBe('ok');
  });

  it('lets the one key of a duplicated kid that fits the algorithm verify', async () => {
    issuer.keys = [ring.rs256.jwk, { ...ring.es256.jwk, kid: ring.rs256.kid }];
    const es = await signToken(ring.es256, goodClaims(issuer), { header: { kid: ring.rs256.kid } });
    expect(await verdict(verifierOf(issuer), es)).toBe('ok');
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer)))).toBe('ok');
  });
});

describe('KY-03 unusable, private and symmetric members', () => {
  it.each<[string, () => JWK]>([
    ['published for encryption (use "enc")', () => ({ ...ring.rs256.jwk, use: 'enc' })],
    ['limited to encryption (key_ops ["encrypt"])', () => ({ ...ring.rs256.jwk, key_ops: ['encrypt'] })],
    ['limited to signing (key_ops ["sign"])', () => ({ ...ring.rs256.jwk, key_ops: ['sign'] })],
    ['also declared for encryption (key_ops ["verify", "encrypt"])', () => ({ ...ring.rs256.jwk, key_ops: ['verify', 'encrypt'] })],
    ['also declared for signing (key_ops ["sign", "verify"])', () => ({ ...ring.rs256.jwk, key_ops: ['sign', 'verify'] })],
    ['also declared for key wrapping (key_ops ["wrapKey", "verify"])', () => ({ ...ring.rs256.jwk, key_ops: ['wrapKey', 'verify'] })],
    ['with an empty key_ops', () => ({ ...ring.rs256.jwk, key_ops: [] })],
    ['labelled for another algorithm (alg PS256)', () => ({ ...ring.rs256.jwk, alg: 'PS256' })],
    ['labelled with an encryption algorithm (alg RSA-OAEP)', () => ({ ...ring.rs256.jwk, alg: 'RSA-OAEP' })],
  ])('never verifies with a key %s', async (_name, member) => {
    issuer.keys = [member(), ring.es256.jwk];
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer)))).toBe('401 key_not_found');
    expect(await verdict(verifierOf(issuer), await signToken(ring.es256, goodClaims(issuer)))).toBe('ok');
  });

  it('never verifies with a member that exposes private parameters', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    issuer.keys = [{ ...pair.privateKey.export({ format: 'jwk' }), kid: 'leaked', alg: 'ES256' }, ring.rs256.jwk];
    expect(await verdict(verifierOf(issuer), signWith(pair.privateKey, 'ES256', 'leaked'))).toBe('401 key_not_found');
  });

  it('never verifies with a P-384 key named by an ES256 token', async () => {
    issuer.keys = [{ ...ring.es384.jwk, kid: 'p384', alg: undefined } as JWK];
    const token = signJson({ alg: 'ES256', kid: 'p384' }, goodClaims(issuer), ring.es256);
    expect(await verdict(verifierOf(issuer), token)).toBe('401 key_not_found');
  });

  it('refuses HS256 outright and never turns an oct member into a verification key', async () => {
    const secret = Buffer.from('a secret the issuer should never have published');
    issuer.keys = [{ kty: 'oct', k: secret.toString('base64url'), kid: 'shared', alg: 'HS256' }, ring.rs256.jwk];
    const hs = `${b64url({ alg: 'HS256', kid: 'shared' })}.${b64url(goodClaims(issuer))}`;
    expect(await verdict(verifierOf(issuer), `${hs}.${createHmac('sha256', secret).update(hs).digest('base64url')}`)).toBe(
      '401 algorithm_not_allowed',
    );
    // An RS256 token naming the oct member: the member is not a key at all.
    const rs = await signToken(ring.rs256, goodClaims(issuer), { header: { kid: 'shared' } });
    expect(await verdict(verifierOf(issuer), rs)).toBe('401 key_not_found');
  });

  it.each([1024, 2040])('never verifies with a %i-bit RSA key, even with a genuine signature', async (bits) => {
    const pair = generateKeyPairSync('rsa', { modulusLength: bits });
    issuer.keys = [{ ...pair.publicKey.export({ format: 'jwk' }), kid: 'small', alg: 'RS256' }, ring.es256.jwk];
    expect(await verdict(verifierOf(issuer), signWith(pair.privateKey, 'RS256', 'small'))).toBe('401 key_not_found');
  });
});

describe('KY-04 malformed members and sets', () => {
  it('skips malformed members and keeps using the well-formed ones', async () => {
    issuer.keys = [
      { ...ring.attacker.jwk, kid: 1 } as unknown as JWK,
      { ...ring.attacker.jwk, use: 1 } as unknown as JWK,
      { ...ring.attacker.jwk, alg: {} } as unknown as JWK,
      { ...ring.attacker.jwk, key_ops: 'verify' } as unknown as JWK,
      { kty: 'RSA', e: 'AQAB', kid: 'no-n' },
      { kty: 'RSA', n: ring.attacker.jwk.n, kid: 'no-e' } as JWK,
      'a string' as unknown as JWK,
      null as unknown as JWK,
      ring.rs256.jwk,
    ];
    expect(await verdict(verifierOf(issuer), await signToken(ring.rs256, goodClaims(issuer)))).toBe('ok');
    expect(await verdict(verifierOf(issuer), await signToken(ring.attacker, goodClaims(issuer)))).toBe('401 key_not_found');
  });

  it.each<[string, string]>([
    ['keys is an object', '{"keys":{"kid":"x"}}'],
    ['keys is missing', '{"kid":"x"}'],
    ['the document is an array', '[{"kty":"RSA"}]'],
    ['no member is usable', '{"keys":[{"kty":"oct","k":"c2VjcmV0"},{"kty":"RSA","kid":"x"}]}'],
  ])('answers 503 jwks_unavailable, never 401, when %s and nothing is cached', async (_name, body) => {
    issuer.jwks = { kind: 'body', body };
    const verifier = verifierOf(issuer);
    const error = await verifier.verify(await signToken(ring.rs256, goodClaims(issuer))).then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(KeysUnavailableError);
    expect(isAuthError(error) && `${error.status} ${error.reason}`).toBe('503 jwks_unavailable');
  });
});

describe('KY-05 a key of another issuer', () => {
  let other: IssuerServer;
  beforeEach(async () => {
    other = await startSecurityIssuer([ring.attacker]);
    issuer.keys = [ring.rs256.jwk];
  });
  afterEach(async () => other.close());

  it("rejects a token that claims issuer A but is signed with issuer B's key, however it names the key", async () => {
    const verifier = createVerifier({ issuer: [issuer.url, other.url], audience: AUDIENCE, cache: false });
    const claimsOfA = goodClaims(issuer);
    const byBsKid = await signToken(ring.attacker, claimsOfA);
    const byAsKid = await signToken(ring.attacker, claimsOfA, { header: { kid: ring.rs256.kid } });
    const noKid = await signToken(ring.attacker, claimsOfA, { noKid: true });
    expect(await verdict(verifier, byBsKid)).toBe('401 key_not_found');
    expect(await verdict(verifier, byAsKid)).toBe('401 signature_invalid');
    expect(await verdict(verifier, noKid)).toBe('401 signature_invalid');
    expect(other.jwksHits() + other.discoveryHits()).toBe(0);
    // Control: the same key is good for B's own tokens.
    expect(await verdict(verifier, await signToken(ring.attacker, goodClaims(other)))).toBe('ok');
  });

  it("rejects issuer B's key published under the kid issuer A uses", async () => {
    other.keys = [{ ...ring.attacker.jwk, kid: ring.rs256.kid }];
    const verifier = createVerifier({ issuer: [issuer.url, other.url], audience: AUDIENCE, cache: false });
    const token = await signToken(ring.attacker, goodClaims(issuer), { header: { kid: ring.rs256.kid } });
    expect(await verdict(verifier, token)).toBe('401 signature_invalid');
    expect(await verdict(verifier, await signToken(ring.attacker, goodClaims(other), { header: { kid: ring.rs256.kid } }))).toBe('ok');
  });
});
