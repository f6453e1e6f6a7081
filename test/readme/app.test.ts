// README.md ("Use it") quotes the code below this header, importing 'bearer-guard/testing' by name;
// test/readme.test.ts keeps the two identical.

// app.test.ts
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { createApp } from './app.js';

let issuer: TestIssuer;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  app = createApp(issuer.verifierOptions());
});
afterAll(() => issuer.close());

it('answers 201 to a caller with the receipts.write scope', async () => {
  const token = await issuer.sign({ scope: 'receipts.write' }, { clientId: 'payments' });
  const res = await request(app).post('/receipts').auth(token, { type: 'bearer' });
  expect(res.status).toBe(201);
  expect(res.body).toEqual({ createdBy: 'payments' });
});

it('answers 401 as JSON, with the challenge, to a request without a token', async () => {
  const res = await request(app).post('/receipts');
  expect(res.status).toBe(401);
  expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  expect(res.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
});

it('answers 403 insufficient_scope to a caller without the Receipts.Admin role', async () => {
  const token = await issuer.sign({ scope: 'receipts.write' });
  const res = await request(app).delete('/receipts/42').auth(token, { type: 'bearer' });
  expect(res.status).toBe(403);
  expect(res.headers['www-authenticate']).toBe(
    'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required role", scope="Receipts.Admin"',
  );
});
