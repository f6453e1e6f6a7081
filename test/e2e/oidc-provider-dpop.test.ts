/**
 * DPoP end to end with real parts: oidc-provider (DPoP on) issues a DPoP-bound JWT access token through the
 * client-credentials grant to openid-client, whose own DPoP handle then calls an Express API protected by
 * bearer-guard over real HTTP — also when the API asks for nonces, which openid-client answers by retrying.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes } from '../../src/index.js';

const RESOURCE = 'https://receipts.example.test';
const CLIENT = { client_id: 'payments', client_secret: 'payments-secret-0123456789' };

let authServer: Server;
let apiServer: Server;
let issuer: string;
let api: string;

async function startAuthorizationServer(): Promise<void> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), alg: 'ES256', use: 'sig', kid: 'provider-es256' };
  let handle: ReturnType<Provider['callback']> | undefined;
  authServer = createServer((req, res) => handle?.(req, res));
  await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [{ ...CLIENT, grant_types: ['client_credentials'], redirect_uris: [], response_types: [], id_token_signed_response_alg: 'ES256' }],
    jwks: { keys: [signingKey] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      dPoP: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'receipts.read',
          audience: 'api://receipts',
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  handle = provider.callback();
}

async function startApi(): Promise<void> {
  const app = express();
  app.set('env', 'test');
  const options = { issuer, audience: 'api://receipts' };
  const show = (req: Request, res: Response) => res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes });
  app.get('/receipts', authenticate({ ...options, dpop: {} }), requireScopes('receipts.read'), show);
  app.get('/nonce', authenticate({ ...options, dpop: { nonce: true } }), show);
  app.get('/required', authenticate({ ...options, dpop: { required: true } }), show);
  apiServer = createServer(app);
  await new Promise<void>((resolve) => apiServer.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(apiServer.address() as AddressInfo).port}`;
}

let config: client.Configuration;
let dpop: client.DPoPHandle;
let token: string;

beforeAll(async () => {
  await startAuthorizationServer();
  await startApi();
  config = await client.discovery(new URL(issuer), CLIENT.client_id, CLIENT.client_secret, undefined, {
    execute: [client.allowInsecureRequests],
  });
  dpop = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
  const tokens = await client.clientCredentialsGrant(config, { scope: 'receipts.read', resource: RESOURCE }, { DPoP: dpop });
  expect(tokens.token_type.toLowerCase()).toBe('dpop');
  token = tokens.access_token;
});

afterAll(async () => {
  for (const server of [apiServer, authServer]) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const call = (path: string, handle: client.DPoPHandle = dpop): Promise<globalThis.Response> =>
  client.fetchProtectedResource(config, token, new URL(`${api}${path}`), 'GET', undefined, undefined, { DPoP: handle });

describe('a DPoP-bound token from oidc-provider, presented by openid-client', () => {
  it('carries cnf.jkt, the thumbprint of the client DPoP key', () => {
    expect(decodeJwt(token).cnf).toEqual({ jkt: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  });

  it('answers 200 to requests made with the client DPoP handle', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await call('/receipts');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ clientId: 'payments', scopes: ['receipts.read'] });
    }
    expect((await call('/required')).status).toBe(200);
  });

  it('answers 200 where the API requires nonces: openid-client retries with the DPoP-Nonce it is given', async () => {
    const res = await call('/nonce');
    expect(res.status).toBe(200);
    expect((await call('/nonce')).status).toBe(200);
  });

  it('answers 401 when the token is sent as a plain Bearer token, or with a proof of another key', async () => {
    const bearer = await fetch(`${api}/receipts`, { headers: { authorization: `Bearer ${token}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const stranger = client.getDPoPHandle(config, await client.randomDPoPKeyPair('ES256'));
    const res = await call('/receipts', stranger).catch((error: unknown) => error);
    const status = res instanceof Response ? res.status : (res as { status?: number }).status;
    expect(status).toBe(401);
  });
});
