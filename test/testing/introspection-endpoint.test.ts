/**
 * The test issuer's introspection side: its endpoint (RFC 7662: client-authenticated, `active` answers),
 * opaque tokens in Boruta's shape minted directly or issued by the token endpoint to clients registered
 * for them, the revoke switch for opaque tokens and JWTs, the metadata naming the endpoint, and a verifier
 * configured with only `{ issuer, audience, introspection }` accepting its tokens end to end.
 */
import express from 'express';
import * as oidc from 'openid-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate, createVerifier } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

const RS_SECRET = 'receipts-api-secret';
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({
    audience: 'api://receipts',
    clients: [
      { clientId: 'receipts-api', clientSecret: RS_SECRET },
      { clientId: 'ledger', clientSecret: 'ledger-secret', scopes: ['receipts.read'], roles: ['Auditor'], tokenFormat: 'opaque' },
    ],
  });
});
afterAll(() => issuer.close());

async function introspect(token: string, auth: string | null = `Basic ${Buffer.from(`receipts-api:${RS_SECRET}`).toString('base64')}`): Promise<Response> {
  return fetch(issuer.introspectionEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(auth === null ? {} : { authorization: auth }) },
    body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
  });
}

describe('opaque tokens of the test issuer', () => {
  it('are 86 URL-safe characters, like Boruta', () => {
    const token = issuer.mintOpaqueToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(issuer.mintOpaqueToken()).not.toBe(token);
  });

  it('are answered active with the RFC 7662 members and the claims given', async () => {
    const before = Math.floor(Date.now() / 1000);
    const res = await introspect(issuer.mintOpaqueToken({ scope: 'receipts.read', roles: ['Auditor'] }, { clientId: 'billing', expiresIn: 600 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      active: true,
      iss: issuer.url,
      aud: 'api://receipts',
      client_id: 'billing',
      sub: 'billing',
      scope: 'receipts.read',
      roles: ['Auditor'],
      token_type: 'Bearer',
    });
    expect(body.exp).toBeGreaterThanOrEqual(before + 600);
    expect(body.exp).toBeLessThanOrEqual(before + 601);
  });

  it('leave out a member set to undefined, and exp with expiresIn: null', async () => {
    const body = (await (await introspect(issuer.mintOpaqueToken({ aud: undefined }, { expiresIn: null }))).json()) as Record<string, unknown>;
    expect(body.active).toBe(true);
    expect(body).not.toHaveProperty('aud');
    expect(body).not.toHaveProperty('exp');
  });

  it('are answered inactive once expired, once revoked, and when unknown', async () => {
    const revoked = issuer.mintOpaqueToken();
    issuer.revoke(revoked);
    for (const token of [issuer.mintOpaqueToken({}, { expiresIn: -1 }), revoked, 'x'.repeat(86)]) {
      expect(await (await introspect(token)).json()).toEqual({ active: false });
    }
  });

  it('refuse bad mint options with a TypeError', () => {
    expect(() => issuer.mintOpaqueToken({}, { expiresIn: Number.NaN })).toThrow('mintOpaqueToken() option "expiresIn"');
    expect(() => issuer.mintOpaqueToken({}, { clientId: '' })).toThrow('mintOpaqueToken() option "clientId"');
    expect(() => issuer.mintOpaqueToken([] as never)).toThrow('mintOpaqueToken() claims must be an object');
    expect(() => issuer.revoke('')).toThrow(TypeError);
  });
});

describe('the introspection endpoint', () => {
  it('is named in the metadata, with its authentication methods', async () => {
    const document = (await (await fetch(`${issuer.url}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(document).toMatchObject({
      introspection_endpoint: `${issuer.url}/introspect`,
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    });
    expect(issuer.introspectionEndpoint).toBe(`${issuer.url}/introspect`);
  });

  it('answers 401 invalid_client to a caller that does not authenticate, or with a wrong secret, and counts them', async () => {
    issuer.resetCounters();
    const anonymous = await introspect(issuer.mintOpaqueToken(), null);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'invalid_client' });
    const wrong = await introspect(issuer.mintOpaqueToken(), `Basic ${Buffer.from('receipts-api:nope').toString('base64')}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="test-issuer", charset="UTF-8"');
    expect(issuer.introspectionRequests).toBe(2);
  });

  it('answers 400 invalid_request without a token, and 405 to a GET', async () => {
    const missing = await fetch(issuer.introspectionEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`receipts-api:${RS_SECRET}`).toString('base64')}` },
      body: '',
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'invalid_request', error_description: 'Missing token' });
    const get = await fetch(issuer.introspectionEndpoint);
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error_description: 'The introspection endpoint only accepts POST' });
  });

  it('answers a JWT of its own active with its claims, and inactive once revoked', async () => {
    const jwt = await issuer.sign({ scope: 'receipts.read' });
    expect(await (await introspect(jwt)).json()).toMatchObject({ active: true, client_id: 'test-client', scope: 'receipts.read', iss: issuer.url });
    issuer.revoke(jwt);
    expect(await (await introspect(jwt)).json()).toEqual({ active: false });
    expect(await (await introspect(await issuer.sign({}, { expiresIn: -120 }))).json()).toEqual({ active: false });
  });
});

describe('a client registered for opaque tokens', () => {
  it('gets one from the token endpoint, which a verifier with introspection accepts', async () => {
    const config = await oidc.discovery(new URL(issuer.url), 'ledger', 'ledger-secret', undefined, { execute: [oidc.allowInsecureRequests] });
    const { access_token: token } = await oidc.clientCredentialsGrant(config, {});
    expect(token).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const verifier = createVerifier({ issuer: issuer.url, audience: 'api://receipts', introspection: { clientId: 'receipts-api', clientSecret: RS_SECRET } });
    const auth = await verifier.verify(token);
    expect(auth).toMatchObject({ format: 'opaque', clientId: 'ledger', scopes: ['receipts.read'], roles: ['Auditor'], isAppOnly: true });
  });

  it('refuses an unknown tokenFormat at registration', () => {
    expect(() => issuer.addClient({ clientId: 'x', clientSecret: 's', tokenFormat: 'jwe' as never })).toThrow('bearer-guard: addClient() option "tokenFormat" must be "jwt" or "opaque"');
  });
});

describe('the README example "Testing opaque tokens"', () => {
  it('answers 200 with the scopes of a minted opaque token, and 401 once revoked and its cached answer expired', async () => {
    const readmeIssuer = await createTestIssuer({
      audience: 'receipts-api',
      clients: [{ clientId: 'receipts-api', clientSecret: 'rs-secret' }],
    });
    try {
      const app = express().get('/receipts', authenticate(readmeIssuer.verifierOptions({
        introspection: { clientId: 'receipts-api', clientSecret: 'rs-secret' },
      })), (req, res) => res.json(req.auth?.scopes));
      const token = readmeIssuer.mintOpaqueToken({ scope: 'receipts.read' });
      const ok = await request(app).get('/receipts').auth(token, { type: 'bearer' });
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual(['receipts.read']);
      readmeIssuer.revoke(token);
      expect((await request(app).get('/receipts').auth(token, { type: 'bearer' })).status).toBe(200); // the cached answer
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 61_000);
      const revoked = await request(app).get('/receipts').auth(token, { type: 'bearer' });
      expect(revoked.status).toBe(401);
      expect(revoked.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="The access token is not active"');
    } finally {
      vi.useRealTimers();
      await readmeIssuer.close();
    }
  });
});
