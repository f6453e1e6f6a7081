/**
 * testing-with-supertest: testing your own protected routes with real tokens, no mocks. The test issuer
 * of `bearer-guard/testing` runs on 127.0.0.1, publishes its keys like a real issuer and mints tokens,
 * good or deliberately bad; supertest drives the app without opening a port. Written with node:test so it
 * runs as it is; with Vitest or Jest the body of each test stays the same.
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx --test examples/testing-with-supertest.ts    (or: npx tsx examples/testing-with-supertest.ts)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { authenticate, authErrorHandler, requireRoles, requireScopes } from 'bearer-guard/express';
import { createTestIssuer, type TestIssuer } from 'bearer-guard/testing';

let issuer: TestIssuer;
let app: express.Express;

before(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  app = express();
  app.use(authenticate(issuer.verifierOptions()));
  app.get('/receipts/:id', requireScopes('receipts.read'), (req, res) => {
    res.json({ id: req.params.id, caller: req.auth?.clientId });
  });
  app.delete('/receipts/:id', requireRoles('Receipts.Admin'), (_req, res) => {
    res.status(204).end();
  });
  app.use(authErrorHandler());
});
after(() => issuer.close());

test('a token with the scope reads a receipt', async () => {
  const token = await issuer.sign({ scope: 'receipts.read', client_id: 'payment' });
  const res = await request(app).get('/receipts/42').auth(token, { type: 'bearer' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { id: '42', caller: 'payment' });
});

test('a token without the app role cannot delete', async () => {
  const token = await issuer.sign({ scope: 'receipts.read' });
  const res = await request(app).delete('/receipts/42').auth(token, { type: 'bearer' });
  assert.equal(res.status, 403);
  assert.equal(
    res.headers['www-authenticate'],
    'Bearer realm="api", error="insufficient_scope", ' +
      'error_description="The access token lacks a required role", scope="Receipts.Admin"',
  );
});

test('an Entra ID style app-only token with the role deletes', async () => {
  const token = await issuer.sign({ roles: ['Receipts.Admin'] }, { preset: 'entra-v2' });
  const res = await request(app).delete('/receipts/42').auth(token, { type: 'bearer' });
  assert.equal(res.status, 204);
});

test('an expired token is refused', async () => {
  const token = await issuer.sign({ scope: 'receipts.read' }, { expiresIn: -120 });
  const res = await request(app).get('/receipts/42').auth(token, { type: 'bearer' });
  assert.equal(res.status, 401);
  assert.equal(res.body.error, 'invalid_token');
});

test('tokens signed with a new key are accepted after a key rotation', async () => {
  await issuer.rotateKeys();
  const token = await issuer.sign({ scope: 'receipts.read' });
  const res = await request(app).get('/receipts/42').auth(token, { type: 'bearer' });
  assert.equal(res.status, 200);
});

test('a client obtains its token from the token endpoint (client credentials)', async () => {
  issuer.addClient({ clientId: 'billing', clientSecret: 'billing-secret', scopes: ['receipts.read'] });
  const grant = await request(issuer.url)
    .post('/token')
    .auth('billing', 'billing-secret')
    .type('form')
    .send({ grant_type: 'client_credentials', scope: 'receipts.read' });
  assert.equal(grant.status, 200);
  const res = await request(app).get('/receipts/7').auth(grant.body.access_token, { type: 'bearer' });
  assert.deepEqual(res.body, { id: '7', caller: 'billing' });
});
