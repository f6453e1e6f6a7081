/**
 * How an introspection request is made and authenticated, over real HTTP: the form and headers of RFC 7662
 * §2.1, `client_secret_basic` with RFC 6749 §2.3.1 form-encoding, `client_secret_post`, and
 * `private_key_jwt` assertions (RFC 7523) with RSA, EC and Ed25519 keys given as KeyObjects or JWKs,
 * checked by a recording endpoint and accepted by the test issuer's own introspection endpoint.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type IntrospectionOptions } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { startIntrospectionServer, type IntrospectionServer } from '../helpers/introspection-server.js';

let server: IntrospectionServer;
beforeAll(async () => {
  server = await startIntrospectionServer();
});
afterAll(() => server.close());

const opaque = (): string => randomBytes(64).toString('base64url');

async function recorded(introspection: Omit<IntrospectionOptions, 'endpoint'>): Promise<{ form: URLSearchParams; headers: Record<string, unknown>; token: string }> {
  const token = opaque();
  await createVerifier({ issuer: server.url, audience: 'api://receipts', introspection: { endpoint: server.endpoint, ...introspection } }).verify(token);
  const last = server.requests.at(-1)!;
  return { form: last.form, headers: last.headers, token };
}

describe('the introspection request', () => {
  it('POSTs token and token_type_hint as a form, asking for JSON', async () => {
    const { form, headers, token } = await recorded({ clientId: 'receipts-api', clientSecret: 's' });
    expect(server.requests.at(-1)!.method).toBe('POST');
    expect(headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(headers.accept).toBe('application/json');
    expect(form.get('token')).toBe(token);
    expect(form.get('token_type_hint')).toBe('access_token');
  });

  it('form-encodes the client id and secret before Base64 for client_secret_basic (RFC 6749 §2.3.1)', async () => {
    const { form, headers } = await recorded({ clientId: 'receipts api', clientSecret: 'p:ss%w+rd é&=' });
    const expected = Buffer.from('receipts+api:p%3Ass%25w%2Brd+%C3%A9%26%3D', 'utf8').toString('base64');
    expect(headers.authorization).toBe(`Basic ${expected}`);
    expect([...form.keys()].sort()).toEqual(['token', 'token_type_hint']);
  });

  it('sends client_id and client_secret in the form for client_secret_post, and no Authorization header', async () => {
    const { form, headers } = await recorded({ clientId: 'receipts-api', clientSecret: 'p:ss', clientAuth: 'client_secret_post' });
    expect(headers.authorization).toBeUndefined();
    expect(form.get('client_id')).toBe('receipts-api');
    expect(form.get('client_secret')).toBe('p:ss');
  });

  it('signs a fresh short-lived assertion for the issuer for private_key_jwt', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'rs-key-1' } as JWK;
    const before = Math.floor(Date.now() / 1000);
    const first = await recorded({ clientId: 'receipts-api', clientAuth: 'private_key_jwt', privateKey: jwk });
    const second = await recorded({ clientId: 'receipts-api', clientAuth: 'private_key_jwt', privateKey: jwk });
    expect(first.headers.authorization).toBeUndefined();
    expect(first.form.get('client_id')).toBe('receipts-api');
    expect(first.form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    const assertion = first.form.get('client_assertion')!;
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES384', typ: 'JWT', kid: 'rs-key-1' });
    const claims = decodeJwt(assertion);
    expect(claims).toMatchObject({ iss: 'receipts-api', sub: 'receipts-api', aud: server.url });
    expect(claims.exp! - claims.iat!).toBe(60);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJwt(second.form.get('client_assertion')!).jti).not.toBe(claims.jti);
  });
});

describe("authenticated at the test issuer's introspection endpoint", () => {
  let issuer: TestIssuer;
  const keys: [string, KeyObject, string][] = [];
  beforeAll(async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ed = generateKeyPairSync('ed25519');
    keys.push(['RSA', rsa.privateKey, 'RS256'], ['EC P-256', ec.privateKey, 'ES256'], ['Ed25519', ed.privateKey, 'EdDSA']);
    const jwks = { keys: [rsa, ec, ed].map((pair) => pair.publicKey.export({ format: 'jwk' }) as JWK) };
    issuer = await createTestIssuer({
      audience: 'api://receipts',
      clients: [
        { clientId: 'receipts-api', clientSecret: 'a secret: with % and +' },
        { clientId: 'receipts-api-jwt', jwks },
      ],
    });
  });
  afterAll(() => issuer.close());

  const verify = (introspection: IntrospectionOptions): Promise<unknown> =>
    createVerifier(issuer.verifierOptions({ introspection })).verify(issuer.mintOpaqueToken({ scope: 'receipts.read' })).then(
      (auth) => auth.scopes,
      (error: { status: number; reason: string }) => `${error.status} ${error.reason}`,
    );

  it.each(['client_secret_basic', 'client_secret_post'] as const)('is accepted with %s', async (clientAuth) => {
    expect(await verify({ clientId: 'receipts-api', clientSecret: 'a secret: with % and +', clientAuth })).toEqual(['receipts.read']);
  });

  it.each([0, 1, 2])('is accepted with private_key_jwt (key %i: RSA, EC, Ed25519), as a KeyObject and as a JWK', async (index) => {
    const [, privateKey] = keys[index]!;
    expect(await verify({ clientId: 'receipts-api-jwt', clientAuth: 'private_key_jwt', privateKey })).toEqual(['receipts.read']);
    const jwk = privateKey.export({ format: 'jwk' });
    expect(await verify({ clientId: 'receipts-api-jwt', clientAuth: 'private_key_jwt', privateKey: jwk })).toEqual(['receipts.read']);
  });

  it('answers 503, never 401, when the endpoint refuses the credentials', async () => {
    expect(await verify({ clientId: 'receipts-api', clientSecret: 'wrong' })).toBe('503 introspection_unavailable');
  });
});
