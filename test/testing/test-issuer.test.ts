import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, type AuthInfo } from '../../src/index.js';
import { createClientKey, createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

async function rejection(promise: Promise<unknown>): Promise<{ status: number; reason: string }> {
  try {
    await promise;
  } catch (error) {
    if (isAuthError(error)) return { status: error.status, reason: error.reason };
    throw error;
  }
  throw new Error('the promise resolved');
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('a running test issuer', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer({
      audience: 'api://receipts',
      clients: [
        { clientId: 'payment', clientSecret: 'p', scopes: ['receipts.write', 'receipts.read'] },
        { clientId: 'audit', clientSecret: 'a', scopes: ['receipts.read', 'audit.export'] },
      ],
    });
  });
  afterAll(() => issuer.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  it('listens on 127.0.0.1 and names its endpoints after its URL', () => {
    expect(issuer.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.tokenEndpoint).toBe(`${issuer.url}/token`);
    expect(issuer.jwksUri).toBe(`${issuer.url}/jwks`);
    expect(issuer.tenantId).toMatch(GUID);
  });

  it('serves the same metadata at the OpenID and RFC 8414 locations and counts both', async () => {
    issuer.resetCounters();
    const openid = await fetch(`${issuer.url}/.well-known/openid-configuration`);
    const oauth = await fetch(`${issuer.url}/.well-known/oauth-authorization-server`);
    expect(openid.status).toBe(200);
    expect(openid.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const document = (await openid.json()) as { scopes_supported: string[] };
    expect(await oauth.json()).toEqual(document);
    expect(document).toMatchObject({
      issuer: issuer.url,
      token_endpoint: issuer.tokenEndpoint,
      jwks_uri: issuer.jwksUri,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    });
    expect([...document.scopes_supported].sort()).toEqual(['audit.export', 'receipts.read', 'receipts.write']);
    expect(issuer.discoveryRequests).toBe(2);
    expect(issuer.jwksRequests).toBe(0);
  });

  it('serves every member RFC 8414 requires, truthfully for a client-credentials-only server', async () => {
    const document = (await (await fetch(`${issuer.url}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    // RFC 8414 §2: issuer and response_types_supported are REQUIRED; token_endpoint and jwks_uri are for this server.
    expect(document.issuer).toBe(issuer.url);
    expect(document.response_types_supported).toEqual([]);
    expect(document.token_endpoint).toBe(issuer.tokenEndpoint);
    expect(document.jwks_uri).toBe(issuer.jwksUri);
    // No grant uses the authorization endpoint: it is named (MCP clients require it) and refuses everything.
    expect(document.authorization_endpoint).toBe(`${issuer.url}/authorize`);
    const authorize = await fetch(`${issuer.url}/authorize?response_type=code&client_id=payment`);
    expect(authorize.status).toBe(400);
    expect(await authorize.json()).toMatchObject({ error: 'unsupported_response_type' });
    expect(document.grant_types_supported).toEqual(['client_credentials']);
    expect(document.token_endpoint_auth_signing_alg_values_supported).not.toContain('none');
    // Not an OpenID Provider: no ID tokens, so none of the members describing them is advertised.
    expect(document).not.toHaveProperty('subject_types_supported');
    expect(document).not.toHaveProperty('id_token_signing_alg_values_supported');
  });

  it.each(['oidc', 'oauth2'] as const)('is discovered by openid-client with the %s algorithm', async (algorithm) => {
    const config = await oidc.discovery(new URL(issuer.url), 'payment', undefined, oidc.ClientSecretBasic('p'), {
      algorithm,
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata()).toMatchObject({ issuer: issuer.url, token_endpoint: issuer.tokenEndpoint });
    const grant = await oidc.clientCredentialsGrant(config, { scope: 'receipts.read' });
    expect(grant.scope).toBe('receipts.read');
  });

  it('publishes only the public part of its signing key', async () => {
    issuer.resetCounters();
    const res = await fetch(issuer.jwksUri);
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: issuer.signingKid, alg: 'RS256', use: 'sig' });
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(issuer.jwks).toEqual({ keys });
    expect(issuer.jwksRequests).toBe(1);
  });

  it('answers 404 on unknown paths and 405 to writes on read-only endpoints', async () => {
    expect((await fetch(`${issuer.url}/userinfo`)).status).toBe(404);
    const post = await fetch(issuer.jwksUri, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('mints a valid RFC 9068 token by default', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-01T10:00:00Z'));
    const now = Date.parse('2031-05-01T10:00:00Z') / 1000;
    const token = await issuer.sign();
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.signingKid, typ: 'at+jwt' });
    const claims = decodeJwt(token);
    expect(claims).toEqual({
      iss: issuer.url,
      sub: 'test-client',
      aud: 'api://receipts',
      client_id: 'test-client',
      iat: now,
      exp: now + 3600,
      jti: expect.stringMatching(GUID),
    });
    expect(decodeJwt(await issuer.sign()).jti).not.toBe(claims.jti);
    const auth: AuthInfo = await createVerifier(issuer.verifierOptions({ requiredTokenType: 'at+jwt' })).verify(token);
    expect(auth).toMatchObject({ clientId: 'test-client', subject: 'test-client', isAppOnly: true, scopes: [] });
  });

  it('applies claims over the defaults and leaves out claims set to undefined', async () => {
    const token = await issuer.sign({ scope: 'receipts.read', sub: 'someone', jti: undefined, extra: { a: [1] } });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ scope: 'receipts.read', sub: 'someone', extra: { a: [1] } });
    expect(claims).not.toHaveProperty('jti');
  });

  it('writes a __proto__ claim as a plain claim without touching any prototype', async () => {
    const claims = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const payload = decodeJwt(await issuer.sign(claims));
    expect(Object.hasOwn(payload, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('mints tokens the verifier refuses: expired, not yet valid, without exp, for another audience', async () => {
    const verifier = createVerifier(issuer.verifierOptions());
    expect(await rejection(verifier.verify(await issuer.sign({}, { expiresIn: -120 })))).toEqual({ status: 401, reason: 'token_expired' });
    expect(await rejection(verifier.verify(await issuer.sign({}, { notBefore: 600 })))).toEqual({ status: 401, reason: 'token_not_yet_valid' });
    expect(await rejection(verifier.verify(await issuer.sign({}, { expiresIn: null })))).toEqual({ status: 401, reason: 'claim_missing' });
    expect(await rejection(verifier.verify(await issuer.sign({ aud: 'api://ledger' })))).toEqual({ status: 401, reason: 'audience_mismatch' });
  });

  it('sets exp and nbf relative to now in seconds', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-01T10:00:00Z'));
    const now = Date.parse('2031-05-01T10:00:00Z') / 1000;
    const claims = decodeJwt(await issuer.sign({}, { expiresIn: -30, notBefore: 20 }));
    expect(claims.exp).toBe(now - 30);
    expect(claims.nbf).toBe(now + 20);
  });

  it('applies header members and removes those set to undefined', async () => {
    const token = await issuer.sign({}, { header: { kid: undefined, typ: 'JWT', x5t: 'abc' } });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', typ: 'JWT', x5t: 'abc' });
  });

  it.each([
    [{ header: { alg: 'none' } }, 'option "header" cannot set "alg": use the "alg" option'],
    [{ expireIn: 5 }, 'option "expireIn" is not a known option'],
    [{ kid: 'nope' }, 'option "kid" names no published key'],
    [{ expiresIn: Number.NaN }, 'option "expiresIn" must be a finite number of seconds or null'],
    [{ preset: 'entra-v3' }, 'option "preset" must be one of "rfc9068", "entra-v1", "entra-v2", "openiddict", "b2c"'],
    [{ clientId: '' }, 'option "clientId" must be a non-empty string'],
    [[], 'option "options" must be an object'],
  ])('refuses the sign() options %j with a TypeError in the library\'s words', async (options, message) => {
    await expect(issuer.sign({}, options as never)).rejects.toThrow(new TypeError(`bearer-guard: sign() ${message}`));
  });

  it('refuses sign() claims that are not an object', async () => {
    await expect(issuer.sign([] as never)).rejects.toThrow(new TypeError('bearer-guard: sign() argument "claims" must be an object'));
  });

  it('returns verifier options merged with overrides, with the production key defaults', () => {
    expect(issuer.verifierOptions()).toEqual({ issuer: issuer.url, audience: 'api://receipts' });
    expect(issuer.verifierOptions({ realm: 'receipts', audience: 'x', keys: { maxAgeMs: 5 } })).toEqual({
      issuer: issuer.url,
      audience: 'x',
      realm: 'receipts',
      keys: { maxAgeMs: 5 },
    });
  });
});

describe('signing keys', () => {
  it('signs with a key of another algorithm on request and publishes it without changing the signing key', async () => {
    const issuer = await createTestIssuer();
    try {
      const signingKid = issuer.signingKid;
      const token = await issuer.sign({}, { alg: 'ES256' });
      const header = decodeProtectedHeader(token);
      expect(header.alg).toBe('ES256');
      expect(header.kid).not.toBe(signingKid);
      expect(issuer.signingKid).toBe(signingKid);
      expect(issuer.jwks.keys.map((key) => key.alg)).toEqual(['RS256', 'ES256']);
      await expect(createVerifier(issuer.verifierOptions()).verify(token)).resolves.toMatchObject({ clientId: 'test-client' });
      expect(decodeProtectedHeader(await issuer.sign({}, { alg: 'ES256' })).kid).toBe(header.kid);
      await expect(issuer.sign({}, { kid: signingKid, alg: 'ES256' })).rejects.toThrow(
        new TypeError('bearer-guard: sign() option "alg" differs from the algorithm of the key named by "kid"'),
      );
    } finally {
      await issuer.close();
    }
  });

  it('rotates to a new key, keeps the old one published, and the verifier needs exactly one refetch', async () => {
    const issuer = await createTestIssuer({ alg: 'ES256' });
    try {
      const verifier = createVerifier(issuer.verifierOptions());
      const oldKid = issuer.signingKid;
      const before = await issuer.sign();
      await verifier.verify(before);
      expect(issuer.jwksRequests).toBe(1);

      const newKid = await issuer.rotateKeys();
      expect(newKid).not.toBe(oldKid);
      expect(issuer.signingKid).toBe(newKid);
      expect(issuer.jwks.keys.map((key) => key.kid)).toEqual([newKid, oldKid]);

      await expect(verifier.verify(before)).resolves.toBeDefined();
      expect(issuer.jwksRequests).toBe(1);
      const after = await issuer.sign();
      expect(decodeProtectedHeader(after).kid).toBe(newKid);
      await expect(verifier.verify(after)).resolves.toBeDefined();
      expect(issuer.jwksRequests).toBe(2);
      await expect(verifier.verify(await issuer.sign({}, { kid: oldKid }))).resolves.toBeDefined();
      expect(issuer.jwksRequests).toBe(2);
    } finally {
      await issuer.close();
    }
  });

  it('withdraws the previous keys when keepPrevious is false, so their tokens stop verifying', async () => {
    const issuer = await createTestIssuer({ alg: 'EdDSA' });
    try {
      const verifier = createVerifier(issuer.verifierOptions());
      const oldKid = issuer.signingKid;
      const before = await issuer.sign();
      await verifier.verify(before);
      const newKid = await issuer.rotateKeys({ keepPrevious: false, alg: 'PS256' });
      expect(issuer.jwks.keys.map((key) => [key.kid, key.alg])).toEqual([[newKid, 'PS256']]);
      await expect(issuer.sign({}, { kid: oldKid })).rejects.toThrow(/names no published key/);
      await expect(verifier.verify(await issuer.sign())).resolves.toBeDefined();
      expect(await rejection(verifier.verify(before))).toEqual({ status: 401, reason: 'key_not_found' });
    } finally {
      await issuer.close();
    }
  });
});

describe('Entra ID presets', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer({ audience: 'api://receipts', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' });
  });
  afterAll(() => issuer.close());

  it('mints the app-only v2.0 shape with the issuer URL as iss', async () => {
    const token = await issuer.sign({ roles: ['Receipts.Admin'] }, { preset: 'entra-v2', clientId: 'b1c2d3e4-0000-4000-8000-000000000001' });
    expect(decodeProtectedHeader(token)).toMatchObject({ typ: 'JWT', alg: 'RS256' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: issuer.url,
      aud: 'api://receipts',
      azp: 'b1c2d3e4-0000-4000-8000-000000000001',
      azpacr: '1',
      idtyp: 'app',
      tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      ver: '2.0',
      roles: ['Receipts.Admin'],
    });
    expect(claims.oid).toMatch(GUID);
    expect(claims.sub).toBe(claims.oid);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims).not.toHaveProperty('client_id');
    expect(claims).not.toHaveProperty('appid');
    const auth = await createVerifier(issuer.verifierOptions({ profile: 'entra' })).verify(token);
    expect(auth).toMatchObject({
      clientId: 'b1c2d3e4-0000-4000-8000-000000000001',
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      roles: ['Receipts.Admin'],
      isAppOnly: true,
    });
  });

  it('mints the v1.0 shape with appid and idp', async () => {
    const claims = decodeJwt(await issuer.sign({}, { preset: 'entra-v1' }));
    expect(claims).toMatchObject({
      iss: issuer.url,
      appid: 'test-client',
      appidacr: '1',
      idp: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
      idtyp: 'app',
      ver: '1.0',
    });
    expect(claims).not.toHaveProperty('azp');
  });

  it('gives a client the same object id in every token and keeps an iss given by the caller', async () => {
    const iss = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0';
    const one = decodeJwt(await issuer.sign({ iss }, { preset: 'entra-v2' }));
    const two = decodeJwt(await issuer.sign({}, { preset: 'entra-v2' }));
    expect(one.iss).toBe(iss);
    expect(one.oid).toBe(two.oid);
    expect(one.uti).not.toBe(two.uti);
  });
});

describe('creating a test issuer', () => {
  it.each(['0.0.0.0', '::', '192.168.1.20', 'example.com'])('refuses the non-loopback host %s', async (host) => {
    await expect(createTestIssuer({ host })).rejects.toThrow(
      new TypeError(
        'bearer-guard: createTestIssuer() option "host" must be a loopback host (127.0.0.1, another 127.x.y.z, ::1, localhost): it is never for production',
      ),
    );
  });

  it('listens on localhost at the address it resolved to', async () => {
    const issuer = await createTestIssuer({ host: 'localhost' });
    try {
      expect(issuer.url).toMatch(/^http:\/\/(127\.0\.0\.1|\[::1\]):\d+$/);
      expect((await fetch(issuer.jwksUri)).status).toBe(200);
    } finally {
      await issuer.close();
    }
  });

  it.each([
    [{ alg: 'HS256' }, 'option "alg" must be an asymmetric JWS algorithm'],
    [{ tokenLifetime: 0 }, 'option "tokenLifetime" must be an integer >= 1 (seconds)'],
    [{ audience: 'api receipts' }, 'option "audience" must be a non-empty string of printable ASCII without spaces'],
    [{ port: 70000 }, 'option "port" must be an integer >= 0 and <= 65535'],
    [{ tenantId: '' }, 'option "tenantId" must be a non-empty string'],
    [{ https: 'yes' }, 'option "https" must be a boolean'],
    [{ audiences: ['a'] }, 'option "audiences" is not a known option'],
    [{ clients: {} }, 'option "clients" must be an array'],
    [{ entra: {} }, 'option "entra.clientId" is required'],
    [{ entra: { clientId: 'receipts' } }, 'option "entra.clientId" must be a GUID'],
    [{ entra: { clientId: '6e3f0a52-9a4c-4d1e-8f0b-1c2d3e4f5a6b', tenant: 'x' } }, 'option "entra.tenant" is not a known option'],
    [
      { entra: { clientId: '6e3f0a52-9a4c-4d1e-8f0b-1c2d3e4f5a6b' }, audience: 'api://receipts' },
      'option "audience" cannot be set in Entra tenant mode: tokens are for "entra.clientId"',
    ],
    [
      { entra: { clientId: '6e3f0a52-9a4c-4d1e-8f0b-1c2d3e4f5a6b', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' }, tenantId: '00000000-0000-4000-8000-000000000000' },
      'option "tenantId" differs from "entra.tenantId": give the tenant once',
    ],
  ])('refuses %j with a TypeError naming the option', async (options, message) => {
    await expect(createTestIssuer(options as never)).rejects.toThrow(new TypeError(`bearer-guard: createTestIssuer() ${message}`));
  });

  it.each([
    [{ clientId: 'c' }, '"clients[0].clientSecret" is required when "jwks" is not given'],
    [{ clientId: '', clientSecret: 's' }, '"clients[0].clientId" must be a non-empty printable ASCII string'],
    [{ clientId: 'c', clientSecret: 's', scopes: ['a"b'] }, '"clients[0].scopes" must be an array of scope tokens (RFC 6749 §3.3: no spaces, quotes or backslashes)'],
    [{ clientId: 'c', clientSecret: 's', authMethods: ['private_key_jwt'] }, '"clients[0].authMethods" lists private_key_jwt, which needs "jwks"'],
    [{ clientId: 'c', jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } }, '"clients[0].jwks" must hold public keys only'],
    [{ clientId: 'c', jwks: { keys: [] } }, '"clients[0].jwks" must be a JWK Set with at least one key'],
  ])('refuses the client registration %j', async (client, message) => {
    await expect(createTestIssuer({ clients: [client as never] })).rejects.toThrow(
      new TypeError(`bearer-guard: createTestIssuer() option ${message}`),
    );
  });

  it('names the faulty client by its place in the list', async () => {
    const clients = [{ clientId: 'a', clientSecret: 's' }, { clientId: 'b', clientSecret: 's', roles: [''] }];
    await expect(createTestIssuer({ clients })).rejects.toThrow(
      new TypeError('bearer-guard: createTestIssuer() option "clients[1].roles" must be an array of non-empty strings'),
    );
  });

  it('refuses bad addClient(), rotateKeys() and createClientKey() arguments in the library\'s words', async () => {
    const issuer = await createTestIssuer();
    try {
      expect(() => issuer.addClient({ clientId: 'c' } as never)).toThrow(
        new TypeError('bearer-guard: addClient() option "clientSecret" is required when "jwks" is not given'),
      );
      expect(() => issuer.addClient(null as never)).toThrow(new TypeError('bearer-guard: addClient() option "client" must be an object'));
      await expect(issuer.rotateKeys({ alg: 'HS256' as never })).rejects.toThrow(
        new TypeError('bearer-guard: rotateKeys() option "alg" must be an asymmetric JWS algorithm'),
      );
      await expect(issuer.rotateKeys({ keepPrevious: 'no' as never })).rejects.toThrow(
        new TypeError('bearer-guard: rotateKeys() option "keepPrevious" must be a boolean'),
      );
      await expect(issuer.rotateKeys({ keep: false } as never)).rejects.toThrow(
        new TypeError('bearer-guard: rotateKeys() option "keep" is not a known option'),
      );
      await expect(createClientKey('HS256' as never)).rejects.toThrow(
        new TypeError('bearer-guard: createClientKey() argument "alg" must be an asymmetric JWS algorithm'),
      );
    } finally {
      await issuer.close();
    }
  });

  it('refuses a second client with the same id', async () => {
    const issuer = await createTestIssuer({ clients: [{ clientId: 'c', clientSecret: 's' }] });
    try {
      expect(() => issuer.addClient({ clientId: 'c', clientSecret: 't' })).toThrow(
        new TypeError('bearer-guard: addClient() option "clientId" names a client already registered'),
      );
      issuer.addClient({ clientId: 'd', jwks: (await createClientKey()).jwks, scopes: ['x'] });
      const metadata = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
      expect(metadata.scopes_supported).toEqual(['x']);
    } finally {
      await issuer.close();
    }
  });

  it('stops answering once closed and may be closed twice', async () => {
    const issuer = await createTestIssuer();
    await issuer.close();
    await issuer.close();
    await expect(fetch(issuer.jwksUri)).rejects.toThrow();
  });
});
