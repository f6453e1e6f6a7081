/**
 * The Fastify plugin on its own terms, over real HTTP (the response table runs its route hooks with every
 * other framework in `test/responses.test.ts`): `request.auth`, the plugin's hook for a whole context,
 * encapsulation, Fastify's error conventions (its default error body, with the challenge or `Retry-After`
 * headers), option errors at registration, and no runtime import of Fastify itself.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { authErrorHandler, authenticate, bearerGuard, requireScopes } from '../../src/adapters/fastify/index.js';
import type { VerifierOptions } from '../../src/index.js';
import { createDpopKey } from '../../src/testing/index.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'api://receipts';

let key: TestKey;
let options: VerifierOptions;
beforeAll(async () => {
  key = await createTestKey('ES256');
  options = { issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] };
});

const bearer = async (claims: Record<string, unknown> = {}, expiresIn = 300) =>
  `Bearer ${await signToken(key, { iss: ISSUER, aud: AUDIENCE, client_id: 'payments', ...claims }, { expiresIn })}`;

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function started(setup: (app: FastifyInstance) => Promise<void> | void): Promise<FastifyInstance> {
  const app = Fastify();
  apps.push(app);
  await setup(app);
  await app.ready();
  return app;
}

describe('the bearerGuard plugin', () => {
  it('authenticates every route of the app and decorates request.auth', async () => {
    const app = await started(async (app) => {
      await app.register(bearerGuard, { verifier: options });
      app.get('/receipts', { preHandler: requireScopes('receipts.read') }, async (req) => ({ caller: req.auth?.clientId }));
    });
    const ok = await request(app.server).get('/receipts').set('Authorization', await bearer({ scope: 'receipts.read' }));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ caller: 'payments' });
    const refused = await request(app.server).get('/receipts').set('Authorization', await bearer({ scope: 'other' }));
    expect(refused.status).toBe(403);
  });

  it("answers with Fastify's default error body, the challenge in WWW-Authenticate", async () => {
    const app = await started(async (app) => {
      await app.register(bearerGuard, { verifier: options });
      app.get('/receipts', async () => ({ ok: true }));
    });
    const res = await request(app.server).get('/receipts').set('Authorization', await bearer({}, -3600));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="The access token expired"');
    expect(res.body).toEqual({ statusCode: 401, code: 'ERR_INVALID_TOKEN', error: 'Unauthorized', message: 'The access token expired' });
    const none = await request(app.server).get('/receipts');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(none.body).toEqual({ statusCode: 401, code: 'ERR_MISSING_TOKEN', error: 'Unauthorized', message: 'Authentication required' });
  });

  it("answers 503 with Retry-After through Fastify's error handling when keys cannot be fetched", async () => {
    const app = await started(async (app) => {
      await app.register(bearerGuard, { verifier: { issuer: ISSUER, audience: AUDIENCE, jwksUri: 'http://127.0.0.1:9/jwks', keys: { timeoutMs: 500 } } });
      app.get('/receipts', async () => ({ ok: true }));
    });
    const res = await request(app.server).get('/receipts').set('Authorization', await bearer());
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toMatchObject({ statusCode: 503, code: 'ERR_KEYS_UNAVAILABLE' });
  });

  it('protects only the encapsulated context it is registered in', async () => {
    const app = await started(async (app) => {
      app.get('/health', async () => ({ up: true }));
      await app.register(async (api) => {
        await api.register(bearerGuard, { verifier: options });
        api.get('/api/receipts', async (req) => ({ caller: req.auth?.clientId }));
      });
    });
    expect((await request(app.server).get('/health')).status).toBe(200);
    expect((await request(app.server).get('/api/receipts')).status).toBe(401);
    expect((await request(app.server).get('/api/receipts').set('Authorization', await bearer())).body).toEqual({ caller: 'payments' });
  });

  it('only decorates request.auth without a verifier, for routes that authenticate themselves', async () => {
    const app = await started(async (app) => {
      await app.register(bearerGuard);
      app.get('/open', async (req) => ({ auth: req.auth ?? null }));
      app.get('/closed', { preHandler: authenticate(options) }, async (req) => ({ caller: req.auth?.clientId }));
    });
    expect((await request(app.server).get('/open')).body).toEqual({ auth: null });
    expect((await request(app.server).get('/closed')).status).toBe(401);
    expect((await request(app.server).get('/closed').set('Authorization', await bearer())).body).toEqual({ caller: 'payments' });
  });

  it('lets requests without credentials through with optional, and a guard answer 401 for them', async () => {
    const app = await started(async (app) => {
      await app.register(bearerGuard, { verifier: options, optional: true });
      app.get('/feed', async (req) => ({ caller: req.auth?.clientId ?? null }));
      app.get('/mine', { preHandler: requireScopes('receipts.read') }, async () => ({ ok: true }));
    });
    expect((await request(app.server).get('/feed')).body).toEqual({ caller: null });
    expect((await request(app.server).get('/feed').set('Authorization', await bearer())).body).toEqual({ caller: 'payments' });
    expect((await request(app.server).get('/feed').set('Authorization', await bearer({}, -3600))).status).toBe(401);
    const guarded = await request(app.server).get('/mine');
    expect(guarded.status).toBe(401);
    expect(guarded.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('refuses in onRequest, before a body is parsed; sees a form-body token in preValidation', async () => {
    const app = await started(async (app) => {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      });
      await app.register(async (early) => {
        await early.register(bearerGuard, { verifier: options });
        early.post('/early', async () => ({ ok: true }));
      });
      await app.register(async (late) => {
        await late.register(bearerGuard, { verifier: options, tokenLocations: ['header', 'body'] });
        late.post('/late', async (req) => ({ caller: req.auth?.clientId }));
      });
    });
    const broken = await request(app.server).post('/early').set('Content-Type', 'application/json').send('{not json');
    expect(broken.status).toBe(401);
    const form = await request(app.server).post('/late').type('form').send({ access_token: (await bearer()).slice('Bearer '.length) });
    expect(form.status).toBe(200);
    expect(form.body).toEqual({ caller: 'payments' });
  });

  it('answers bearer-guard errors as JSON through authErrorHandler() and leaves others to Fastify', async () => {
    const app = await started(async (app) => {
      app.setErrorHandler(authErrorHandler());
      await app.register(bearerGuard, { verifier: options });
      app.get('/receipts', async () => ({ ok: true }));
      app.get('/boom', async () => {
        throw new Error('database down');
      });
    });
    const res = await request(app.server).get('/receipts');
    expect(res.status).toBe(401);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
    const boom = await request(app.server).get('/boom').set('Authorization', await bearer());
    expect(boom.status).toBe(500);
    expect(boom.body).toMatchObject({ statusCode: 500, message: 'database down' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown option', { verifier: {}, optinal: true }, 'bearer-guard: bearer-guard/fastify plugin option "optinal" is not a known option'],
    ['onRequest with a body location', { hook: 'onRequest', tokenLocations: ['body'], verifier: {} }, 'option "hook" cannot be "onRequest" with a body token location'],
    ['an unknown hook', { hook: 'onSend', verifier: {} }, 'option "hook" must be one of'],
    ['authentication options without a verifier', { optional: true }, 'option "verifier" is required'],
  ])('refuses %s at registration with a TypeError', async (_name, given, message) => {
    const app = Fastify();
    apps.push(app);
    const opts = { ...given, ...(given.verifier === undefined ? {} : { verifier: options }) };
    await expect(app.register(bearerGuard, opts as never)).rejects.toThrow(message);
  });

  it('never imports fastify at runtime: only types', async () => {
    const dir = fileURLToPath(new URL('../../src/adapters/fastify/', import.meta.url));
    for (const name of await readdir(dir)) {
      const source = await readFile(join(dir, name), 'utf8');
      expect(source).not.toMatch(/import\s+(?!type\b)[^;]*from\s+'fastify'/);
      expect(source).not.toMatch(/import\(\s*'fastify'\s*\)|require\(\s*'fastify'\s*\)/);
    }
  });
});

describe('DPoP nonces through the plugin', () => {
  it('answers use_dpop_nonce with a DPoP-Nonce header, then 200 with the current nonce to the retry', async () => {
    const dpopKey = await createDpopKey();
    const app = await started(async (app) => {
      const nonce = { ttlSec: 60, secret: 'a shared nonce secret of at least 32 characters' };
      await app.register(bearerGuard, { verifier: { ...options, dpop: { nonce } } });
      app.get('/receipts', async (req) => ({ caller: req.auth?.clientId }));
    });
    const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/receipts`;
    const bound = await signToken(key, { iss: ISSUER, aud: AUDIENCE, client_id: 'payments', cnf: dpopKey.cnf });
    const first = await fetch(url, { headers: await dpopKey.headers(bound, { method: 'GET', url }) });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toContain('error="use_dpop_nonce"');
    const nonce = first.headers.get('dpop-nonce')!;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const retry = await fetch(url, { headers: await dpopKey.headers(bound, { method: 'GET', url, nonce }) });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ caller: 'payments' });
    expect(retry.headers.get('dpop-nonce')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
