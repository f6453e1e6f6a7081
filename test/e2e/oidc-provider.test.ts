/**
 * End to end with real parts: an authorization server (oidc-provider) on 127.0.0.1 issues JWT access tokens
 * through the client-credentials grant; clients obtain them with openid-client; an Express API protected
 * by bearer-guard, configured with only `{ issuer, audience }`, discovers the keys and answers. For a resource
 * server configured with `jwt.encrypt`, the provider issues encrypted JWT access tokens (a JWS inside a JWE);
 * an API holding the decryption keys accepts them.
 */
import { createSecretKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type ResourceServerInfo } from 'oidc-provider';
import * as client from 'openid-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes, type VerifierOptions } from '../../src/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';

const RECEIPTS = 'https://receipts.example.test';
const LEDGER = 'https://ledger.example.test';
const PAYROLL = 'https://payroll.example.test';
const LEGACY = 'https://legacy.example.test';
const VAULT = 'https://vault.example.test';
const VAULT_KW = 'https://vault-kw.example.test';
const SEALED = 'https://sealed.example.test';

/** The vault API's encryption keys: an RSA key pair (its public half given to the provider) and an AES key. */
const vaultRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const vaultAes = createSecretKey(randomBytes(32));

/** The resource servers the authorization server knows (RFC 8707 resource indicators). */
const RESOURCE_SERVERS: Record<string, ResourceServerInfo> = {
  [RECEIPTS]: {
    scope: 'receipts.read receipts.write',
    audience: 'api://receipts',
    accessTokenTTL: 600,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' } },
  },
  [LEDGER]: { scope: 'ledger.read', audience: 'api://ledger', accessTokenTTL: 600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } },
  [PAYROLL]: { scope: 'payroll.read', audience: 'api://payroll', accessTokenTTL: 600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } },
  [LEGACY]: { scope: 'legacy.read', audience: 'api://legacy', accessTokenTTL: 600, accessTokenFormat: 'opaque' },
  [VAULT]: {
    scope: 'vault.read',
    audience: 'api://vault',
    accessTokenTTL: 600,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'RS256' }, encrypt: { alg: 'RSA-OAEP', enc: 'A256CBC-HS512', key: vaultRsa.publicKey, kid: 'vault-enc-1' } },
  },
  [VAULT_KW]: {
    scope: 'vault.read',
    audience: 'api://vault',
    accessTokenTTL: 600,
    accessTokenFormat: 'jwt',
    jwt: { sign: { alg: 'ES256' }, encrypt: { alg: 'A256KW', enc: 'A256GCM', key: vaultAes } },
  },
  // Encrypted but not signed: the provider encrypts the claims themselves.
  [SEALED]: {
    scope: 'vault.read',
    audience: 'api://vault',
    accessTokenTTL: 600,
    accessTokenFormat: 'jwt',
    jwt: { encrypt: { alg: 'A256KW', enc: 'A256CBC-HS512', key: vaultAes } },
  },
};

const CLIENTS = [
  { client_id: 'payments', client_secret: 'payments-secret-0123456789' },
  { client_id: 'reports', client_secret: 'reports-secret-0123456789' },
];

let authServer: Server;
let issuer: string;
const hits = new Map<string, number>();
let api: express.Express;

async function startAuthorizationServer(): Promise<void> {
  const signingKeys = await Promise.all(
    (['RS256', 'ES256'] as const).map(async (alg) => {
      const { privateKey } = await generateKeyPair(alg, { extractable: true });
      return { ...(await exportJWK(privateKey)), alg, use: 'sig', kid: `provider-${alg.toLowerCase()}` };
    }),
  );
  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
  authServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    handle(req, res);
  });
  await new Promise<void>((resolve) => authServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(authServer.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: CLIENTS.map((c) => ({ ...c, grant_types: ['client_credentials'], redirect_uris: [], response_types: [] })),
    jwks: { keys: signingKeys },
    ttl: { ClientCredentials: 600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
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
}

/** An access token for `clientIndex` from the real token endpoint, through openid-client. */
async function obtainToken(scope: string, resource = RECEIPTS, clientIndex = 0): Promise<string> {
  const { client_id, client_secret } = CLIENTS[clientIndex]!;
  const config = await client.discovery(new URL(issuer), client_id, client_secret, undefined, {
    execute: [client.allowInsecureRequests],
  });
  const response = await client.clientCredentialsGrant(config, { scope, resource });
  expect(response.token_type.toLowerCase()).toBe('bearer');
  return response.access_token;
}

function buildApi(): express.Express {
  const app = express();
  app.set('env', 'test');
  const receipts: VerifierOptions = { issuer, audience: 'api://receipts' };
  const show = (req: Request, res: Response) => {
    res.json({ clientId: req.auth?.clientId, subject: req.auth?.subject, scopes: req.auth?.scopes, audience: req.auth?.audience });
  };
  const auth = authenticate(receipts);
  app.get('/receipts', auth, requireScopes('receipts.read'), show);
  app.post('/receipts', auth, requireScopes('receipts.write'), show);
  app.get('/strict', authenticate({ ...receipts, requiredTokenType: 'at+jwt' }), show);
  app.get('/payments-only', authenticate({ ...receipts, allowedClientIds: ['payments'] }), show);
  app.get('/ledger', authenticate({ issuer, audience: 'api://ledger' }), requireScopes('ledger.read'), show);
  const vault: VerifierOptions = { issuer, audience: 'api://vault', decryption: { keys: [vaultRsa.privateKey, vaultAes] } };
  const showVault = (req: Request, res: Response) => {
    res.json({ clientId: req.auth?.clientId, scopes: req.auth?.scopes, format: req.auth?.format, typ: req.auth?.header.typ });
  };
  app.get('/vault', authenticate(vault), requireScopes('vault.read'), showVault, reasonErrorHandler as unknown as ErrorRequestHandler);
  app.get('/vault-without-keys', authenticate({ issuer, audience: 'api://vault' }), show);
  return app;
}

beforeAll(async () => {
  await startAuthorizationServer();
  api = buildApi();
});

afterAll(async () => {
  authServer.closeAllConnections();
  await new Promise<void>((resolve) => authServer.close(() => resolve()));
});

describe('client credentials from oidc-provider to an Express API', () => {
  it('answers 200 with the client id and scopes of a real client-credentials token', async () => {
    const token = await obtainToken('receipts.read');
    const res = await request(api).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'payments', subject: 'payments', scopes: ['receipts.read'], audience: ['api://receipts'] });
  });

  it('answers 403 insufficient_scope on a route that requires a scope the token lacks', async () => {
    const token = await obtainToken('receipts.read');
    const res = await request(api).post('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.write"',
    );
  });

  it('answers 200 on that route once the client asks for the scope', async () => {
    const token = await obtainToken('receipts.read receipts.write');
    const res = await request(api).post('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['receipts.read', 'receipts.write']);
  });

  it('accepts the provider tokens in RFC 9068 mode (typ at+jwt)', async () => {
    const res = await request(api).get('/strict').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
    expect(res.status).toBe(200);
  });

  it('verifies an ES256 token for another API through the same discovered key set', async () => {
    const token = await obtainToken('ledger.read', LEDGER);
    const res = await request(api).get('/ledger').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: 'payments', scopes: ['ledger.read'], audience: ['api://ledger'] });
  });

  it('identifies each client and enforces allowedClientIds', async () => {
    const reports = await obtainToken('receipts.read', RECEIPTS, 1);
    const open = await request(api).get('/receipts').set('Authorization', `Bearer ${reports}`);
    expect(open.body.clientId).toBe('reports');
    const res = await request(api).get('/payments-only').set('Authorization', `Bearer ${reports}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The calling application is not allowed"',
    );
  });

  it('answers 401 invalid_token for a token issued for another resource', async () => {
    const token = await obtainToken('payroll.read', PAYROLL);
    const res = await request(api).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted"',
    );
  });

  it('answers 401 invalid_token for an opaque token of the same provider', async () => {
    const token = await obtainToken('legacy.read', LEGACY);
    expect(token.split('.')).toHaveLength(1);
    const res = await request(api).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is malformed"',
    );
  });

  it('answers 401 with a bare challenge without a token', async () => {
    const res = await request(api).get('/receipts');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('discovers the metadata once and fetches the key set once for many requests', async () => {
    const tokens = await Promise.all([obtainToken('receipts.read'), obtainToken('receipts.read', RECEIPTS, 1)]);
    // Fresh key options make a fresh key store, so the fetches below are this verifier's own.
    const guard = authenticate({ issuer, audience: 'api://receipts', keys: { maxAgeMs: 300_000 } });
    const app = express();
    app.get('/r', guard, (req, res) => res.json({ clientId: req.auth?.clientId }));
    const discoveryBefore = hits.get('/.well-known/openid-configuration') ?? 0;
    const jwksBefore = hits.get('/jwks') ?? 0;
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => request(app).get('/r').set('Authorization', `Bearer ${tokens[i % 2]}`)),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.body.clientId)).toEqual(['payments', 'reports', 'payments', 'reports', 'payments', 'reports']);
    expect((hits.get('/.well-known/openid-configuration') ?? 0) - discoveryBefore).toBe(1);
    expect((hits.get('/jwks') ?? 0) - jwksBefore).toBe(1);
  });
});

describe('encrypted JWT access tokens from oidc-provider to an Express API', () => {
  it('answers 200 for an encrypted token (RSA-OAEP, A256CBC-HS512) the provider issues through client credentials', async () => {
    const token = await obtainToken('vault.read', VAULT);
    expect(token.split('.')).toHaveLength(5);
    const res = await request(api).get('/vault').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'payments', scopes: ['vault.read'], format: 'jwe', typ: 'at+jwt' });
  });

  it('answers 200 for an A256KW-wrapped, A256GCM-encrypted token signed with ES256', async () => {
    const token = await obtainToken('vault.read', VAULT_KW, 1);
    const res = await request(api).get('/vault').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ clientId: 'reports', scopes: ['vault.read'], format: 'jwe', typ: 'at+jwt' });
  });

  it('answers 401 token_encrypted at an API without decryption keys', async () => {
    const res = await request(api).get('/vault-without-keys').set('Authorization', `Bearer ${await obtainToken('vault.read', VAULT)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="Encrypted access tokens are not accepted"',
    );
  });

  it('answers 401 with the uniform description for claims the provider encrypted without signing them', async () => {
    const token = await obtainToken('vault.read', SEALED);
    expect(token.split('.')).toHaveLength(5);
    const res = await request(api).get('/vault').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'encrypted_token_unsigned' });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"',
    );
  });
});
