/**
 * Opaque tokens end to end with real parts: oidc-provider on 127.0.0.1 issues opaque client-credentials
 * access tokens and introspects them (`features.introspection`); a client obtains one with openid-client;
 * an Express API protected by bearer-guard with `{ issuer, audience, introspection: { clientId,
 * clientSecret } }` finds the introspection endpoint in the provider's metadata and answers.
 */
import { generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ResourceServerInfo } from 'oidc-provider';
import * as client from 'openid-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes, type IntrospectionOptions } from '../../src/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';

const RECEIPTS = 'https://receipts.example.test';
const LEDGER = 'https://ledger.example.test';

const RESOURCE_SERVERS: Record<string, ResourceServerInfo> = {
  [RECEIPTS]: { scope: 'receipts.read receipts.write', audience: 'api://receipts', accessTokenTTL: 600, accessTokenFormat: 'opaque' },
  [LEDGER]: { scope: 'ledger.read', audience: 'api://ledger', accessTokenTTL: 600, accessTokenFormat: 'opaque' },
};

const PAYMENTS = { client_id: 'payments', client_secret: 'payments-secret-0123456789' };
const API = { client_id: 'receipts-api', client_secret: 'receipts-api-secret-0123456789' };
const apiKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

let authServer: Server;
let issuer: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signing = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'provider-rs256' };
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  authServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handle(req, res);
  });
  await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`;
  const publicJwk = { ...(apiKey.publicKey.export({ format: 'jwk' }) as JsonWebKey), alg: 'ES256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      { ...PAYMENTS, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      { ...API, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] },
      {
        client_id: 'receipts-api-jwt',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES256',
        jwks: { keys: [publicJwk as never] },
        grant_types: ['client_credentials'],
        redirect_uris: [],
        response_types: [],
      },
    ],
    jwks: { keys: [signing] },
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Any authenticated client may introspect (the resource servers here); only the owner may revoke.
      introspection: { enabled: true, allowedPolicy: async () => true },
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, caller: { clientId: string }, token: { clientId?: string }) => caller.clientId === token.clientId },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RECEIPTS,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          const info = RESOURCE_SERVERS[resource];
          if (info === undefined) throw new Error('unknown resource');
          return info;
        },
      },
    },
  });
  handle = provider.callback();
});

afterAll(async () => {
  authServer.closeAllConnections();
  await new Promise<void>((resolve) => authServer.close(() => resolve()));
});

async function config(): Promise<client.Configuration> {
  return client.discovery(new URL(issuer), PAYMENTS.client_id, PAYMENTS.client_secret, undefined, { execute: [client.allowInsecureRequests] });
}

/** An opaque access token from the real token endpoint, through openid-client. */
async function obtainToken(scope: string, resource = RECEIPTS): Promise<string> {
  return (await client.clientCredentialsGrant(await config(), { scope, resource })).access_token;
}

function api(introspection: Partial<IntrospectionOptions> = {}): express.Express {
  const app = express();
  app.set('env', 'test');
  const auth = authenticate({
    issuer,
    audience: 'api://receipts',
    introspection: { clientId: API.client_id, clientSecret: API.client_secret, ...introspection } as IntrospectionOptions,
  });
  const show = (req: Request, res: Response) => {
    res.json({ format: req.auth?.format, clientId: req.auth?.clientId, scopes: req.auth?.scopes, audience: req.auth?.audience, isAppOnly: req.auth?.isAppOnly });
  };
  app.get('/receipts', auth, requireScopes('receipts.read'), show);
  app.post('/receipts', auth, requireScopes('receipts.write'), show);
  app.use(reasonErrorHandler);
  return app;
}

const introspections = (): number => hits.get('/token/introspection') ?? 0;

describe('opaque client-credentials tokens of oidc-provider', () => {
  it('answers 200 with the caller of a real opaque token, found through the discovered introspection endpoint', async () => {
    const token = await obtainToken('receipts.read');
    expect(token.split('.')).toHaveLength(1);
    const res = await request(api()).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ format: 'opaque', clientId: 'payments', scopes: ['receipts.read'], audience: ['api://receipts'], isAppOnly: true });
  });

  it('answers 403 insufficient_scope on a route that requires a scope the token lacks', async () => {
    const res = await request(api()).post('/receipts').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.write"',
    );
  });

  it('answers 401 audience_mismatch for an opaque token issued for another API', async () => {
    const res = await request(api()).get('/receipts').set('Authorization', `Bearer ${await obtainToken('ledger.read', LEDGER)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted"');
    expect(res.body).toEqual({ reason: 'audience_mismatch' });
  });

  it('answers 401 token_inactive once the token is revoked at the provider', async () => {
    const token = await obtainToken('receipts.read');
    const app = api({ cache: false });
    expect((await request(app).get('/receipts').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    await client.tokenRevocation(await config(), token);
    const res = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="The access token is not active"');
    expect(res.body).toEqual({ reason: 'token_inactive' });
  });

  it('introspects once for 30 concurrent requests and answers later ones from the cache', async () => {
    const token = await obtainToken('receipts.read');
    const app = api();
    const before = introspections();
    const answers = await Promise.all(Array.from({ length: 30 }, () => request(app).get('/receipts').set('Authorization', `Bearer ${token}`)));
    expect(answers.every((res) => res.status === 200)).toBe(true);
    await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(introspections() - before).toBe(1);
  });

  it.each([
    ['client_secret_post', { clientAuth: 'client_secret_post' as const }],
    ['private_key_jwt', { clientId: 'receipts-api-jwt', clientSecret: undefined, clientAuth: 'private_key_jwt' as const, privateKey: apiKey.privateKey }],
  ])('authenticates at the provider with %s', async (_name, introspection) => {
    const res = await request(api(introspection)).get('/receipts').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('payments');
  });
});
