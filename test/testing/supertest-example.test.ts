// The README quotes this file, with the imports written as 'bearer-guard/express' and 'bearer-guard/testing';
// test/readme.test.ts keeps the two identical.
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authenticate, authErrorHandler, requireScopes } from '../../src/express.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

let issuer: TestIssuer;
let app: express.Express;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  app = express();
  app.get('/receipts/:id', authenticate(issuer.verifierOptions()), requireScopes('receipts.read'), (req, res) => {
    res.json({ id: req.params.id, caller: req.auth?.clientId });
  });
  app.use(authErrorHandler());
});
afterAll(() => issuer.close());

it('answers 200 to a token with the required scope', async () => {
  const token = await issuer.sign({ scope: 'receipts.read' });
  const res = await request(app).get('/receipts/42').auth(token, { type: 'bearer' });
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ id: '42', caller: 'test-client' });
});

it('answers 403 insufficient_scope to a token without it', async () => {
  const token = await issuer.sign({ scope: 'receipts.write' });
  const res = await request(app).get('/receipts/42').auth(token, { type: 'bearer' });
  expect(res.status).toBe(403);
  expect(res.headers['www-authenticate']).toBe(
    'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.read"',
  );
});

it('answers 401 invalid_token to an expired token', async () => {
  const token = await issuer.sign({ scope: 'receipts.read' }, { expiresIn: -300 });
  const res = await request(app).get('/receipts/42').auth(token, { type: 'bearer' });
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
});
