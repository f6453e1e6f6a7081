/**
 * `publicKeys`: verification keys given in the configuration, as JWKs, a JWK Set, KeyObjects or PEM (SPKI
 * or certificate). No network request at all; the hygiene of fetched key sets; `kid` matching as in a JWK
 * Set, plus a key without `kid` matching any `kid` when it is the only key for the token's algorithm;
 * exclusive with `jwksUri`.
 */
import { createSecretKey, generateKeyPairSync, KeyObject } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, type PublicKeys, type VerifierOptions } from '../../../src/index.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import { selfSignedCertificate } from '../../security/x509.js';

const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'api://receipts';

let rsa: TestKey;
let rsaSecond: TestKey;
let ec: TestKey;
beforeAll(async () => {
  [rsa, rsaSecond, ec] = await Promise.all([createTestKey('RS256'), createTestKey('RS256'), createTestKey('ES256')]);
});

const mint = (key: TestKey, header: Record<string, unknown> = {}, noKid = false): Promise<string> =>
  signToken(key, { iss: ISSUER, aud: AUDIENCE, client_id: 'payments' }, { header, noKid });

const spki = (key: TestKey): string => KeyObject.from(key.publicKey).export({ type: 'spki', format: 'pem' }) as string;

function certificate(key: TestKey): string {
  const der = selfSignedCertificate(KeyObject.from(key.publicKey), KeyObject.from(key.privateKey), 'login.example.com');
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

function verifierWith(publicKeys: PublicKeys, extra: Partial<VerifierOptions> = {}) {
  return createVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeys, cache: false, ...extra });
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
}

describe('publicKeys: the forms a key may take', () => {
  it('verifies with JWKs and makes no network request at all', async () => {
    const fetch = vi.fn(globalThis.fetch);
    const verifier = verifierWith([rsa.jwk, ec.jwk], { keys: { fetch } });
    expect(await outcome(verifier.verify(await mint(rsa)))).toBe('accepted');
    expect(await outcome(verifier.verify(await mint(ec)))).toBe('accepted');
    await verifier.ready();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('verifies with a JWK Set', async () => {
    expect(await outcome(verifierWith({ keys: [rsa.jwk, ec.jwk] }).verify(await mint(ec)))).toBe('accepted');
  });

  it('verifies with a KeyObject', async () => {
    expect(await outcome(verifierWith([KeyObject.from(ec.publicKey)]).verify(await mint(ec)))).toBe('accepted');
  });

  it('verifies with a PEM public key (SPKI)', async () => {
    expect(await outcome(verifierWith([spki(rsa)]).verify(await mint(rsa)))).toBe('accepted');
  });

  it('verifies with a PEM certificate, taking only its public key', async () => {
    expect(await outcome(verifierWith([certificate(rsa)]).verify(await mint(rsa)))).toBe('accepted');
    expect(await outcome(verifierWith([certificate(rsa)]).verify(await mint(rsaSecond)))).toBe('401 signature_invalid');
  });

  it('accepts an issuer that is not a URL, and a {tenantid} template, since nothing is discovered', async () => {
    const urn = createVerifier({ issuer: 'urn:example:issuer', audience: AUDIENCE, publicKeys: [ec.jwk] });
    const token = await signToken(ec, { iss: 'urn:example:issuer', aud: AUDIENCE });
    expect(await outcome(urn.verify(token))).toBe('accepted');
    const template = createVerifier({ issuer: 'https://login.example.com/{tenantid}/v2.0', audience: AUDIENCE, publicKeys: [ec.jwk] });
    const tenantToken = await signToken(ec, { iss: 'https://login.example.com/t1/v2.0', tid: 't1', aud: AUDIENCE });
    expect(await outcome(template.verify(tenantToken))).toBe('accepted');
  });

  it('reports the keys in status() as usable, never fetched', () => {
    const status = verifierWith([rsa.jwk, spki(ec)]).status();
    expect(status.ok).toBe(true);
    expect(status.issuers).toEqual([
      {
        issuer: ISSUER,
        ok: true,
        jwks: { url: 'publicKeys', servingStale: false, usable: true, keyCount: 2, kids: [rsa.kid, '#1'] },
      },
    ]);
  });

  it('serves a verified token from the cache', async () => {
    const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [ec.jwk] });
    const token = await mint(ec);
    const first = await verifier.verify(token);
    await verifier.verify(token);
    expect(await verifier.verify(token)).toBe(await verifier.verify(token));
    expect(first.clientId).toBe('payments');
  });
});

describe('publicKeys: kid matching', () => {
  it('picks the key a token names, and refuses a kid of no key', async () => {
    const verifier = verifierWith([rsa.jwk, rsaSecond.jwk]);
    expect(await outcome(verifier.verify(await mint(rsaSecond)))).toBe('accepted');
    expect(await outcome(verifier.verify(await mint(rsa, { kid: 'unknown' })))).toBe('401 key_not_found');
  });

  it('matches a key without kid (a PEM) to a token whatever its kid when it is the only key for the algorithm', async () => {
    const verifier = verifierWith([spki(rsa), ec.jwk]);
    expect(await outcome(verifier.verify(await mint(rsa, { kid: 'rotated-2024' })))).toBe('accepted');
    expect(await outcome(verifier.verify(await mint(rsa, {}, true)))).toBe('accepted');
  });

  it('does not match a key without kid to an unknown kid when another key fits the algorithm', async () => {
    const verifier = verifierWith([spki(rsa), rsaSecond.jwk]);
    expect(await outcome(verifier.verify(await mint(rsaSecond)))).toBe('accepted');
    expect(await outcome(verifier.verify(await mint(rsa, { kid: 'rotated-2024' })))).toBe('401 key_not_found');
    expect(await outcome(verifier.verify(await mint(rsa, {}, true)))).toBe('401 key_ambiguous');
  });

  it('never uses a key for an algorithm it does not fit', async () => {
    const verifier = verifierWith([spki(rsa)]);
    expect(await outcome(verifier.verify(await mint(ec, {}, true)))).toBe('401 key_not_found');
  });
});

describe('publicKeys: configuration errors', () => {
  const { privateKey: rsaPrivate } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
  const cases: [string, () => unknown, string][] = [
    ['a JWK with private members', () => [{ ...rsa.jwk, d: 'AQAB' }], 'option "publicKeys[0]" holds private key members'],
    ['a symmetric JWK', () => [{ kty: 'oct', k: 'c2VjcmV0' }], 'option "publicKeys[0]" is a symmetric key'],
    ['an RSA key of 1024 bits', () => [small], 'option "publicKeys[0]" is not a usable public signing key'],
    ['an encryption key', () => [rsa.jwk, { ...ec.jwk, use: 'enc' }], 'option "publicKeys[1]" is not a usable public signing key'],
    ['a key without verify in key_ops', () => [{ ...ec.jwk, key_ops: ['encrypt'] }], 'option "publicKeys[0]" is not a usable'],
    ['a JWK whose alg is HS256', () => ({ keys: [{ ...ec.jwk, alg: 'HS256' }] }), 'option "publicKeys.keys[0]" is not a usable'],
    ['a private KeyObject', () => [rsaPrivate], 'option "publicKeys[0]" is a private key'],
    ['a secret KeyObject', () => [createSecretKey(Buffer.alloc(32, 1))], 'option "publicKeys[0]" is a symmetric key'],
    ['a PEM private key', () => [rsaPrivate.export({ type: 'pkcs8', format: 'pem' })], 'option "publicKeys[0]" holds a private key'],
    ['two PEM blocks', () => [`${spki(rsa)}${spki(rsaSecond)}`], 'option "publicKeys[0]" must hold exactly one PEM block'],
    ['text that is not PEM', () => ['not a key'], 'option "publicKeys[0]" must hold exactly one PEM block'],
    ['a broken PEM', () => ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'], 'option "publicKeys[0]" is not a valid PEM public key'],
    ['a number', () => [42], 'option "publicKeys[0]" must be a JWK, a KeyObject or a PEM string'],
    ['an empty list', () => [], 'option "publicKeys" must hold 1 to 1000 keys'],
    ['a string', () => 'not a list', 'option "publicKeys" must be an array'],
  ];

  it.each(cases)('throws a TypeError naming the key for %s', (_name, keys, message) => {
    expect(() => verifierWith(keys() as PublicKeys)).toThrow(TypeError);
    expect(() => verifierWith(keys() as PublicKeys)).toThrow(message);
  });

  it('throws a TypeError when jwksUri is given too', () => {
    expect(() => verifierWith([ec.jwk], { jwksUri: 'https://login.example.com/jwks' })).toThrow(
      'bearer-guard: option "publicKeys" excludes "jwksUri": give one source of keys',
    );
  });
});
