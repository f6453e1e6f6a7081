import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { BASIC_CHALLENGE, JWT_BEARER_ASSERTION } from '../../src/testing/client-auth.js';
import { createClientKey, createTestIssuer, type TestClientKey, type TestIssuer } from '../../src/testing/index.js';

interface TokenAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B). */
function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;
}

let issuer: TestIssuer;
let adminKey: TestClientKey;

async function post(body: Record<string, string> | string, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  const res = await fetch(issuer.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: typeof body === 'string' ? body : new URLSearchParams(body).toString(),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

async function assertion(key: CryptoKey, claims: JWTPayload, alg = 'ES256'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: 'admin', sub: 'admin', aud: issuer.url, iat: now, exp: now + 60, jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg })
    .sign(key);
}

function expectError(answer: TokenAnswer, status: number, error: string): void {
  expect(answer.status).toBe(status);
  expect(answer.body.error).toBe(error);
  expect(typeof answer.body.error_description).toBe('string');
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
}

beforeAll(async () => {
  adminKey = await createClientKey();
  issuer = await createTestIssuer({
    audience: 'api://receipts',
    tokenLifetime: 900,
    clients: [
      { clientId: 'payment', clientSecret: 'pay secret:1', scopes: ['receipts.write', 'receipts.read'] },
      { clientId: 'admin', jwks: adminKey.jwks, scopes: ['receipts.read'], roles: ['Receipts.Admin', 'Receipts.Audit'] },
      { clientId: 'post-only', clientSecret: 'p', authMethods: ['client_secret_post'], audience: 'api://ledger' },
      { clientId: 'tagged', clientSecret: 't', claims: { tenant: 'north', client_id: undefined } },
    ],
  });
});
afterAll(() => issuer.close());
afterEach(() => {
  vi.useRealTimers();
});

describe('client_secret_basic', () => {
  it('issues an RFC 9068 access token with every allowed scope when none is requested', async () => {
    const answer = await post({ grant_type: 'client_credentials' }, { authorization: basic('payment', 'pay secret:1') });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      scope: 'receipts.write receipts.read',
    });
    const token = answer.body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.signingKid, typ: 'at+jwt' });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: issuer.url,
      sub: 'payment',
      aud: 'api://receipts',
      client_id: 'payment',
      scope: 'receipts.write receipts.read',
      iat: expect.any(Number),
      exp: (claims.iat as number) + 900,
      jti: expect.any(String),
    });
    await expect(createVerifier(issuer.verifierOptions()).verify(token)).resolves.toMatchObject({
      clientId: 'payment',
      scopes: ['receipts.write', 'receipts.read'],
    });
  });

  it('answers 401 invalid_client with a Basic challenge to a wrong secret', async () => {
    const answer = await post({ grant_type: 'client_credentials' }, { authorization: basic('payment', 'wrong') });
    expectError(answer, 401, 'invalid_client');
    expect(answer.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
  });

  it('answers 401 invalid_client with a Basic challenge to an unknown client and to malformed credentials', async () => {
    for (const authorization of [basic('nobody', 'x'), 'Basic !!!', `Basic ${Buffer.from('no-colon').toString('base64')}`]) {
      const answer = await post({ grant_type: 'client_credentials' }, { authorization });
      expectError(answer, 401, 'invalid_client');
      expect(answer.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
    }
  });

  it.each([
    ['the Basic scheme and no credentials', 'Basic'],
    ['the Basic scheme and only spaces', 'Basic   '],
    ['another scheme', 'Bearer abc'],
    ['an unknown scheme', 'Digest username="payment"'],
    ['nothing in it', ''],
  ])('answers 401 invalid_client with a Basic challenge to an Authorization header with %s', async (_name, authorization) => {
    const answer = await post({ grant_type: 'client_credentials' }, { authorization });
    expectError(answer, 401, 'invalid_client');
    expect(answer.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
  });

  it('answers a bad Authorization header with the Basic challenge even when the body holds a secret', async () => {
    const answer = await post(
      { grant_type: 'client_credentials', client_id: 'payment', client_secret: 'pay secret:1' },
      { authorization: 'Bearer abc' },
    );
    expectError(answer, 401, 'invalid_client');
    expect(answer.headers.get('www-authenticate')).toBe(BASIC_CHALLENGE);
  });

  it('refuses a client registered for client_secret_post only', async () => {
    const answer = await post({ grant_type: 'client_credentials' }, { authorization: basic('post-only', 'p') });
    expectError(answer, 401, 'invalid_client');
  });

  it('refuses a client_id parameter that differs from the Basic credentials', async () => {
    const answer = await post({ grant_type: 'client_credentials', client_id: 'admin' }, { authorization: basic('payment', 'pay secret:1') });
    expectError(answer, 401, 'invalid_client');
  });
});

describe('client_secret_post', () => {
  it('issues a token for the client audience without a WWW-Authenticate on failure', async () => {
    const ok = await post({ grant_type: 'client_credentials', client_id: 'post-only', client_secret: 'p' });
    expect(ok.status).toBe(200);
    expect(ok.body).not.toHaveProperty('scope');
    const claims = decodeJwt(ok.body.access_token as string);
    expect(claims.aud).toBe('api://ledger');
    expect(claims).not.toHaveProperty('scope');

    const bad = await post({ grant_type: 'client_credentials', client_id: 'post-only', client_secret: 'q' });
    expectError(bad, 401, 'invalid_client');
    expect(bad.headers.get('www-authenticate')).toBeNull();
  });

  it('answers invalid_client without a client_id', async () => {
    expectError(await post({ grant_type: 'client_credentials', client_secret: 'p' }), 401, 'invalid_client');
  });

  it('applies the client registration claims last', async () => {
    const answer = await post({ grant_type: 'client_credentials', client_id: 'tagged', client_secret: 't' });
    const claims = decodeJwt(answer.body.access_token as string);
    expect(claims.tenant).toBe('north');
    expect(claims).not.toHaveProperty('client_id');
  });
});

describe('private_key_jwt', () => {
  it('issues a token with the client roles for an assertion whose aud is the issuer', async () => {
    const answer = await post({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await assertion(adminKey.privateKey, {}),
    });
    expect(answer.status).toBe(200);
    const claims = decodeJwt(answer.body.access_token as string);
    expect(claims).toMatchObject({ sub: 'admin', client_id: 'admin', roles: ['Receipts.Admin', 'Receipts.Audit'], scope: 'receipts.read' });
  });

  it('accepts the token endpoint as aud and a matching client_id parameter', async () => {
    const answer = await post({
      grant_type: 'client_credentials',
      client_id: 'admin',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await assertion(adminKey.privateKey, { aud: issuer.tokenEndpoint }),
    });
    expect(answer.status).toBe(200);
  });

  it('refuses an assertion used twice', async () => {
    const body = {
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await assertion(adminKey.privateKey, {}),
    };
    expect((await post(body)).status).toBe(200);
    const replay = await post(body);
    expectError(replay, 401, 'invalid_client');
    expect(replay.body.error_description).toBe('The client assertion was already used');
  });

  it('refuses a replay that arrives after exp but within the clock tolerance', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const body = {
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await assertion(adminKey.privateKey, { exp: Math.floor(Date.now() / 1000) + 1 }),
    };
    expect((await post(body)).status).toBe(200);
    vi.setSystemTime(Date.now() + 3_000);
    const replay = await post(body);
    expectError(replay, 401, 'invalid_client');
    expect(replay.body.error_description).toBe('The client assertion was already used');
  });

  it.each([
    ['a number', 5],
    ['an empty string', ''],
  ])('refuses an assertion whose jti is %s as malformed', async (_name, jti) => {
    const answer = await post({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await assertion(adminKey.privateKey, { jti: jti as string }),
    });
    expectError(answer, 401, 'invalid_client');
    expect(answer.body.error_description).toBe('The jti of the client assertion must be a non-empty string');
  });

  it.each([
    ['signed by another key', async () => assertion((await generateKeyPair('ES256')).privateKey, {})],
    ['for another audience', async () => assertion(adminKey.privateKey, { aud: 'https://elsewhere.example' })],
    ['expired', async () => assertion(adminKey.privateKey, { exp: Math.floor(Date.now() / 1000) - 120 })],
    ['with iss different from sub', async () => assertion(adminKey.privateKey, { iss: 'payment' })],
    ['without jti', async () => assertion(adminKey.privateKey, { jti: undefined })],
    ['that is not a JWT', async () => 'not-a-jwt'],
  ])('answers 401 invalid_client to an assertion %s', async (_name, make) => {
    const answer = await post({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await make(),
    });
    expectError(answer, 401, 'invalid_client');
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });

  it('refuses a secret client that sends an assertion', async () => {
    const answer = await post({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: await assertion(adminKey.privateKey, { iss: 'payment', sub: 'payment' }),
    });
    expectError(answer, 401, 'invalid_client');
  });

  it('answers invalid_request to another assertion type or a missing assertion', async () => {
    const other = await post({ grant_type: 'client_credentials', client_assertion_type: 'urn:example:saml', client_assertion: 'x' });
    expectError(other, 400, 'invalid_request');
    const missing = await post({ grant_type: 'client_credentials', client_assertion_type: JWT_BEARER_ASSERTION });
    expectError(missing, 400, 'invalid_request');
  });
});

describe('request checks', () => {
  it('answers 401 invalid_client when the client does not authenticate', async () => {
    expectError(await post({ grant_type: 'client_credentials', client_id: 'payment' }), 401, 'invalid_client');
  });

  it('answers 400 invalid_request when two authentication methods are used', async () => {
    const answer = await post(
      { grant_type: 'client_credentials', client_id: 'payment', client_secret: 'pay secret:1' },
      { authorization: basic('payment', 'pay secret:1') },
    );
    expectError(answer, 400, 'invalid_request');
  });

  it('answers 400 unsupported_grant_type to another grant and invalid_request without one', async () => {
    const auth = { authorization: basic('payment', 'pay secret:1') };
    expectError(await post({ grant_type: 'authorization_code', code: 'x' }, auth), 400, 'unsupported_grant_type');
    expectError(await post({ grant_type: 'password', username: 'u', password: 'p' }, auth), 400, 'unsupported_grant_type');
    expectError(await post({ scope: 'receipts.read' }, auth), 400, 'invalid_request');
  });

  it('answers 400 invalid_request to a repeated parameter, a JSON body and a GET', async () => {
    const auth = { authorization: basic('payment', 'pay secret:1') };
    expectError(await post('grant_type=client_credentials&scope=a&scope=b', auth), 400, 'invalid_request');
    expectError(await post(JSON.stringify({ grant_type: 'client_credentials' }), { ...auth, 'content-type': 'application/json' }), 400, 'invalid_request');
    const get = await fetch(issuer.tokenEndpoint);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('answers 400 invalid_request to a body over 64 KiB', async () => {
    const answer = await post(`grant_type=client_credentials&pad=${'x'.repeat(70 * 1024)}`, {
      authorization: basic('payment', 'pay secret:1'),
    });
    expectError(answer, 400, 'invalid_request');
  });

  it('grants a subset of the allowed scopes, deduplicated', async () => {
    const answer = await post({ grant_type: 'client_credentials', scope: 'receipts.read  receipts.read' }, { authorization: basic('payment', 'pay secret:1') });
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('receipts.read');
    expect(decodeJwt(answer.body.access_token as string).scope).toBe('receipts.read');
  });

  it('answers 400 invalid_scope to a scope the client may not request, and to a malformed or empty scope', async () => {
    const auth = { authorization: basic('payment', 'pay secret:1') };
    for (const scope of ['receipts.read receipts.delete', 'a"b', '', ' ']) {
      expectError(await post({ grant_type: 'client_credentials', scope }, auth), 400, 'invalid_scope');
    }
  });

  it('counts every token request and only issued tokens as issued', async () => {
    issuer.resetCounters();
    await post({ grant_type: 'client_credentials' }, { authorization: basic('payment', 'wrong') });
    await post({ grant_type: 'client_credentials' }, { authorization: basic('payment', 'pay secret:1') });
    expect(issuer.tokenRequests).toBe(2);
    expect(issuer.tokensIssued).toBe(1);
  });
});

describe('with openid-client', () => {
  const discover = (clientId: string, auth: oidc.ClientAuth): Promise<oidc.Configuration> =>
    oidc.discovery(new URL(issuer.url), clientId, undefined, auth, { execute: [oidc.allowInsecureRequests] });

  it.each([
    ['client_secret_basic', () => discover('payment', oidc.ClientSecretBasic('pay secret:1'))],
    ['client_secret_post', () => discover('payment', oidc.ClientSecretPost('pay secret:1'))],
    ['private_key_jwt', () => discover('admin', oidc.PrivateKeyJwt({ key: adminKey.privateKey, kid: adminKey.kid }))],
  ])('obtains a token the verifier accepts with %s', async (_method, configure) => {
    const config = await configure();
    const response = await oidc.clientCredentialsGrant(config, { scope: 'receipts.read' });
    expect(response.token_type).toBe('bearer');
    expect(response.expires_in).toBe(900);
    const auth = await createVerifier(issuer.verifierOptions()).verify(response.access_token);
    expect(auth.scopes).toEqual(['receipts.read']);
  });

  it('surfaces invalid_scope as an OAuth error response', async () => {
    const config = await discover('payment', oidc.ClientSecretPost('pay secret:1'));
    await expect(oidc.clientCredentialsGrant(config, { scope: 'receipts.delete' })).rejects.toMatchObject({
      error: 'invalid_scope',
      status: 400,
    });
  });
});
