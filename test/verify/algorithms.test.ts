/**
 * Algorithms: every supported asymmetric algorithm verifies; the allow-list is applied before any key is
 * fetched; unsecured (`none`) and symmetric (`HS*`) tokens never pass, whatever key material they use.
 */
import { createSecretKey, KeyObject } from 'node:crypto';
import { exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, DEFAULTS, InvalidTokenError, type AuthInfo } from '../../src/index.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { b64url, createTestKey, rawToken, signToken, type TestKey } from '../helpers/keys.js';

const AUDIENCE = 'api://receipts';
const ACCEPTED = [
  ['RS256'],
  ['RS384'],
  ['RS512'],
  ['PS256'],
  ['PS384'],
  ['PS512'],
  ['ES256'],
  ['ES384'],
  ['ES512'],
  ['EdDSA', { crv: 'Ed25519' }],
  ['Ed25519'],
] as const;

const keys = new Map<string, TestKey>();
let server: IssuerServer;

beforeAll(async () => {
  const created = await Promise.all(ACCEPTED.map(([alg, options]) => createTestKey(alg, options ?? {})));
  for (const key of created) keys.set(key.alg, key);
  server = await startIssuerServer({ keys: created.map((key) => key.jwk) });
});
afterAll(async () => server.close());

function keyFor(alg: string): TestKey {
  const key = keys.get(alg);
  if (key === undefined) throw new Error(`no test key for ${alg}`);
  return key;
}

function claims(issuer = server.url): Record<string, unknown> {
  return { iss: issuer, aud: AUDIENCE, client_id: 'payments' };
}

async function rejectionReason(promise: Promise<AuthInfo>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    return (error as InvalidTokenError).reason;
  }
  throw new Error('the token was accepted');
}

/** A fresh issuer (own URL, so own key stores) and a verifier of it, to count fetches from cold. */
async function coldIssuer(algorithms?: string[]) {
  const rs = keyFor('RS256');
  const cold = await startIssuerServer({ keys: [rs.jwk, keyFor('ES256').jwk] });
  const verifier = createVerifier({ issuer: cold.url, audience: AUDIENCE, ...(algorithms ? { algorithms } : {}) });
  return { cold, verifier, fetches: () => cold.jwksHits() + cold.discoveryHits() };
}

describe('supported algorithms', () => {
  it('allows every supported algorithm by default', () => {
    expect([...DEFAULTS.algorithms].sort()).toEqual(ACCEPTED.map(([alg]) => alg).sort());
  });

  it.each(ACCEPTED.map(([alg]) => [alg]))('accepts a %s token by default', async (alg) => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const auth = await verifier.verify(await signToken(keyFor(alg), claims()));
    expect(auth.header.alg).toBe(alg);
    expect(auth.clientId).toBe('payments');
  });

  it('accepts an algorithm named in a custom allow-list', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE, algorithms: ['ES256', 'EdDSA'] });
    await expect(verifier.verify(await signToken(keyFor('ES256'), claims()))).resolves.toBeDefined();
    await expect(verifier.verify(await signToken(keyFor('EdDSA'), claims()))).resolves.toBeDefined();
  });
});

describe('the allow-list', () => {
  it('rejects a token whose algorithm is not in the allow-list as algorithm_not_allowed, with zero key fetches', async () => {
    const { cold, verifier, fetches } = await coldIssuer(['RS256']);
    try {
      const token = await signToken(keyFor('ES256'), claims(cold.url));
      expect(await rejectionReason(verifier.verify(token))).toBe('algorithm_not_allowed');
      const pss = await signToken(keyFor('PS256'), claims(cold.url));
      expect(await rejectionReason(verifier.verify(pss))).toBe('algorithm_not_allowed');
      expect(fetches()).toBe(0);
      // The same verifier does fetch for an allowed algorithm: the counter is live.
      await expect(verifier.verify(await signToken(keyFor('RS256'), claims(cold.url)))).resolves.toBeDefined();
      expect(cold.jwksHits()).toBe(1);
    } finally {
      await cold.close();
    }
  });

  it('refuses a token that claims an algorithm its key is not published for', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const rsa = keyFor('RS256');
    // A PS256 signature made with the very RSA key that the JWKS publishes for RS256 only.
    const token = await new SignJWT({ ...claims(), exp: Math.floor(Date.now() / 1000) + 300 })
      .setProtectedHeader({ alg: 'PS256', kid: rsa.kid })
      .sign(KeyObject.from(rsa.privateKey));
    expect(await rejectionReason(verifier.verify(token))).toBe('key_not_found');
  });

  it('refuses a token that names an EC key but claims RS256', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const token = await signToken(keyFor('RS256'), claims(), { header: { kid: keyFor('ES256').kid } });
    expect(await rejectionReason(verifier.verify(token))).toBe('key_not_found');
  });
});

describe('unsecured and symmetric tokens', () => {
  const payload = () => ({ ...claims(), exp: Math.floor(Date.now() / 1000) + 300 });

  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s with a signature, without fetching keys', async (alg) => {
    const { cold, verifier, fetches } = await coldIssuer();
    try {
      const token = rawToken({ alg, typ: 'JWT' }, { ...payload(), iss: cold.url }, b64url('signature'));
      expect(await rejectionReason(verifier.verify(token))).toBe('algorithm_not_allowed');
      expect(fetches()).toBe(0);
    } finally {
      await cold.close();
    }
  });

  it.each(['none', 'None', 'NONE', 'nOnE'])('rejects alg %s with an empty signature', async (alg) => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const token = `${b64url({ alg })}.${b64url(payload())}.`;
    expect(await rejectionReason(verifier.verify(token))).toBe('token_malformed');
  });

  it('rejects alg none carrying the kid and signature of a valid token', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const rs = keyFor('RS256');
    const signature = (await signToken(rs, claims())).split('.')[2]!;
    const token = rawToken({ alg: 'none', kid: rs.kid }, payload(), signature);
    expect(await rejectionReason(verifier.verify(token))).toBe('algorithm_not_allowed');
  });

  it.each(['HS256', 'HS384', 'HS512'])('rejects %s signed with a shared secret', async (alg) => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const token = await new SignJWT(payload())
      .setProtectedHeader({ alg, kid: keyFor('RS256').kid })
      .sign(createSecretKey(Buffer.from('a shared secret that is long enough for any HMAC')));
    expect(await rejectionReason(verifier.verify(token))).toBe('algorithm_not_allowed');
  });

  it('rejects HS256 keyed with the issuer public key (RSA/HMAC confusion)', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const rs = keyFor('RS256');
    const pem = await exportSPKI(rs.publicKey);
    for (const secret of [pem, pem.trim(), JSON.stringify(rs.jwk)]) {
      const token = await new SignJWT(payload())
        .setProtectedHeader({ alg: 'HS256', kid: rs.kid })
        .sign(createSecretKey(Buffer.from(secret)));
      expect(await rejectionReason(verifier.verify(token))).toBe('algorithm_not_allowed');
    }
  });

  it.each<[string, unknown]>([
    ['missing', undefined],
    ['null', null],
    ['an array', ['RS256']],
    ['an object', {}],
  ])('rejects a header whose alg is %s as header_invalid', async (_name, alg) => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    const header = alg === undefined ? { kid: 'k' } : { alg, kid: 'k' };
    expect(await rejectionReason(verifier.verify(rawToken(header, payload())))).toBe('header_invalid');
  });

  it('rejects an alg with trailing whitespace as not allowed', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE });
    expect(await rejectionReason(verifier.verify(rawToken({ alg: 'RS256 ' }, payload())))).toBe('algorithm_not_allowed');
  });
});
