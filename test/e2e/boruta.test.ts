/**
 * A Boruta-shaped deployment end to end over real HTTP: an authorization server that behaves like Boruta
 * where bearer-guard can see it (its metadata names no `introspection_endpoint`; `POST /oauth/token` issues
 * opaque client-credentials tokens of 64 random bytes in base64url, 86 characters; `POST /oauth/introspect`
 * wants client authentication and answers `active`, `client_id`, `username`, `scope`, `sub`, `iss`, `exp`,
 * `iat`, with `null` for a missing user; `POST /oauth/revoke`), a client that gets its token with
 * openid-client, and an Express API configured as the README's Boruta recipe says.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import * as oidc from 'openid-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes, type IntrospectionOptions, type VerifierOptions } from '../../src/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';

const CLIENTS: Record<string, string> = { payments: 'payments-secret', 'receipts-api': 'receipts-api-secret' };

interface Granted {
  client: string;
  scope: string;
  exp: number;
  iat: number;
}

let server: Server;
let url: string;
/** What `iss` the server writes: its URL, unless set to Boruta's own default, "boruta". */
let issuerSetting: string | undefined;
/** Include the client's private key in introspection answers, as Boruta's internal response struct holds it. */
let leakPrivateKey = false;
const tokens = new Map<string, Granted>();
let introspections = 0;

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(value));
}

/** The authenticated client (Basic or form credentials), or `undefined`. */
function client(req: IncomingMessage, form: URLSearchParams): string | undefined {
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
  const [id, secret] = basic
    ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')))
    : [form.get('client_id'), form.get('client_secret')];
  return id !== undefined && id !== null && CLIENTS[id] !== undefined && CLIENTS[id] === secret ? id : undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
    json(res, 200, {
      issuer: url,
      authorization_endpoint: `${url}/oauth/authorize`,
      token_endpoint: `${url}/oauth/token`,
      userinfo_endpoint: `${url}/oauth/userinfo`,
      jwks_uri: `${url}/openid/jwks`,
      response_types_supported: ['code', 'token'],
      subject_types_supported: ['public'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    return;
  }
  const form = await readForm(req);
  const caller = client(req, form);
  if (caller === undefined) return json(res, 401, { error: 'invalid_client', error_description: 'Invalid client_id or client_secret.' });
  if (path === '/oauth/token' && form.get('grant_type') === 'client_credentials') {
    const token = randomBytes(64).toString('base64url');
    const iat = Math.floor(Date.now() / 1000);
    tokens.set(token, { client: caller, scope: form.get('scope') ?? '', iat, exp: iat + 3600 });
    return json(res, 200, { token_type: 'bearer', access_token: token, expires_in: 3600 });
  }
  if (path === '/oauth/introspect') {
    introspections += 1;
    const granted = tokens.get(form.get('token') ?? '');
    if (granted === undefined || granted.exp <= Date.now() / 1000) return json(res, 200, { active: false });
    return json(res, 200, {
      active: true,
      client_id: granted.client,
      username: null,
      scope: granted.scope,
      sub: null,
      iss: issuerSetting ?? url,
      exp: granted.exp,
      iat: granted.iat,
      ...(leakPrivateKey ? { private_key: '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA' } : {}),
    });
  }
  if (path === '/oauth/revoke') {
    tokens.delete(form.get('token') ?? '');
    res.writeHead(200).end();
    return;
  }
  json(res, 404, { error: 'not_found' });
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function obtainToken(scope: string): Promise<string> {
  const config = await oidc.discovery(new URL(url), 'payments', CLIENTS.payments, undefined, { execute: [oidc.allowInsecureRequests] });
  return (await oidc.clientCredentialsGrant(config, { scope })).access_token;
}

/** The README recipe: Boruta's issuer, its introspection endpoint (its metadata names none), the API's client. */
function recipe(introspection: Partial<IntrospectionOptions> = {}): VerifierOptions {
  return {
    issuer: url,
    audience: 'receipts-api',
    introspection: { endpoint: `${url}/oauth/introspect`, clientId: 'receipts-api', clientSecret: CLIENTS['receipts-api']!, ...introspection },
  };
}

function api(options: VerifierOptions): express.Express {
  const app = express();
  app.get('/receipts', authenticate(options), requireScopes('receipts.read'), (req, res) => {
    res.json({ format: req.auth?.format, clientId: req.auth?.clientId, scopes: req.auth?.scopes, subject: req.auth?.subject ?? null, isAppOnly: req.auth?.isAppOnly, payload: req.auth?.payload });
  });
  app.use(reasonErrorHandler);
  return app;
}

describe('a Boruta-shaped opaque token', () => {
  it('is 86 URL-safe characters, and the API answers 200 with its caller after one introspection', async () => {
    const token = await obtainToken('receipts.read receipts.write');
    expect(token).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const app = api(recipe());
    introspections = 0;
    const first = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    const again = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ format: 'opaque', clientId: 'payments', scopes: ['receipts.read', 'receipts.write'], subject: null, isAppOnly: true });
    expect(first.body.payload).toMatchObject({ active: true, client_id: 'payments', username: null, sub: null, iss: url });
    expect(again.status).toBe(200);
    expect(introspections).toBe(1);
  });

  it('never lets a private_key of the answer through to req.auth', async () => {
    leakPrivateKey = true;
    try {
      const res = await request(api(recipe())).get('/receipts').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
      expect(res.status).toBe(200);
      expect(res.body.payload).not.toHaveProperty('private_key');
      expect(res.text).not.toContain('PRIVATE KEY');
    } finally {
      leakPrivateKey = false;
    }
  });

  it('answers 401 token_inactive once Boruta revokes it', async () => {
    const token = await obtainToken('receipts.read');
    const app = api(recipe({ cache: false }));
    expect((await request(app).get('/receipts').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    await fetch(`${url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: 'payments', client_secret: CLIENTS.payments! }),
    });
    const res = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'token_inactive' });
  });
});

describe('the Boruta troubleshooting rows', () => {
  it('answers 503 introspection_unavailable without introspection.endpoint: Boruta publishes none', async () => {
    const res = await request(api(recipe({ endpoint: undefined }))).get('/receipts').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toEqual({ reason: 'introspection_unavailable' });
  });

  it('answers 401 issuer_mismatch when Boruta keeps its default issuer setting, "boruta"', async () => {
    issuerSetting = 'boruta';
    try {
      const res = await request(api(recipe())).get('/receipts').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ reason: 'issuer_mismatch' });
    } finally {
      issuerSetting = undefined;
    }
  });

  it('answers 503, never 401, when the API client secret is wrong', async () => {
    const res = await request(api(recipe({ clientSecret: 'wrong' }))).get('/receipts').set('Authorization', `Bearer ${await obtainToken('receipts.read')}`);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ reason: 'introspection_unavailable' });
  });
});
