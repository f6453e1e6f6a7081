import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError } from '../../../src/index.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import { startUniqueIssuer } from './support.js';
import { b64url, createTestKey, signToken, type TestKey } from '../../helpers/keys.js';

const AUDIENCE = 'api://hygiene';

let good: TestKey;
let attacker: TestKey;
let issuer: IssuerServer;
let lure: IssuerServer;
beforeAll(async () => {
  [good, attacker] = await Promise.all([createTestKey('RS256'), createTestKey('RS256')]);
});
beforeEach(async () => {
  [issuer, lure] = await Promise.all([
    startUniqueIssuer({ keys: [good.jwk] }),
    startUniqueIssuer({ keys: [attacker.jwk] }),
  ]);
});
afterEach(async () => {
  await Promise.all([issuer.close(), lure.close()]);
});

async function outcome(token: string): Promise<string> {
  const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, cache: false });
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
}

const claims = (): Record<string, unknown> => ({ iss: issuer.url, aud: AUDIENCE, sub: 'svc' });
/** Claims for tokens built by hand (jose refuses to sign with the unfit keys these tests need). */
const expiring = (): Record<string, unknown> => ({ ...claims(), exp: Math.floor(Date.now() / 1000) + 300 });

describe('keys are never taken from the token', () => {
  it('accepts the genuine token (control)', async () => {
    expect(await outcome(await signToken(good, claims()))).toBe('ok');
  });

  it('ignores an embedded jwk that carries the signing key, under the genuine kid', async () => {
    const token = await signToken(attacker, claims(), { header: { kid: good.kid, jwk: attacker.jwk } });
    expect(await outcome(token)).toBe('401 signature_invalid');
  });

  it('ignores an embedded jwk under a kid of its own', async () => {
    const token = await signToken(attacker, claims(), { header: { jwk: attacker.jwk } });
    expect(await outcome(token)).toBe('401 key_not_found');
  });

  it.each(['jku', 'x5u'])('never fetches the URL in %s', async (member) => {
    const token = await signToken(attacker, claims(), { header: { kid: attacker.kid, [member]: lure.jwksUri } });
    expect(await outcome(token)).toBe('401 key_not_found');
    expect(lure.hits.size).toBe(0);
  });

  it('ignores a certificate chain in x5c', async () => {
    const x5c = ['MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA'];
    const token = await signToken(attacker, claims(), { header: { kid: good.kid, x5c } });
    expect(await outcome(token)).toBe('401 signature_invalid');
  });
});

describe('unfit keys in the JWK Set are never used', () => {
  it('does not verify with a key published for encryption', async () => {
    issuer.keys = [{ ...good.jwk, use: 'enc' }, attacker.jwk];
    expect(await outcome(await signToken(good, claims()))).toBe('401 key_not_found');
  });

  it('does not verify a PS256 token with a key published for RS256', async () => {
    const ps = await createTestKey('PS256');
    issuer.keys = [{ ...ps.jwk, alg: 'RS256' }];
    expect(await outcome(await signToken(ps, claims()))).toBe('401 key_not_found');
  });

  it('does not use a key whose JWK exposes its private parts', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'leaked', alg: 'ES256' };
    issuer.keys = [jwk, good.jwk];
    const header = { alg: 'ES256', kid: 'leaked' };
    const input = `${b64url(header)}.${b64url(expiring())}`;
    const signature = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(await outcome(`${input}.${signature.toString('base64url')}`)).toBe('401 key_not_found');
  });

  it('does not verify with an RSA key under 2048 bits', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    issuer.keys = [{ ...publicKey.export({ format: 'jwk' }), kid: 'short', alg: 'RS256' }, good.jwk];
    const input = `${b64url({ alg: 'RS256', kid: 'short' })}.${b64url(expiring())}`;
    const signature = sign('sha256', Buffer.from(input), privateKey);
    expect(await outcome(`${input}.${signature.toString('base64url')}`)).toBe('401 key_not_found');
  });

  it('refuses an HS256 token even when the set publishes a symmetric key under its kid', async () => {
    issuer.keys = [{ kty: 'oct', k: b64url('shared-secret'), kid: 'hmac', alg: 'HS256' }, good.jwk];
    const input = `${b64url({ alg: 'HS256', kid: 'hmac' })}.${b64url(expiring())}`;
    expect(await outcome(`${input}.${b64url('whatever')}`)).toBe('401 algorithm_not_allowed');
    expect(issuer.jwksHits()).toBe(0);
  });
});
