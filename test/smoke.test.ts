import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes } from '../src/index.js';
import { FRAMEWORKS } from './helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from './helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from './helpers/keys.js';

let server: IssuerServer;
let key: TestKey;
beforeAll(async () => {
  key = await createTestKey('RS256');
  server = await startIssuerServer({ keys: [key.jwk] });
});
afterAll(async () => server.close());

describe.each(FRAMEWORKS)('$name', ({ build }) => {
  it('answers 200 with a valid token and 403 without the scope', async () => {
    const guard = authenticate({ issuer: server.url, audience: 'api://receipts' });
    const app = build([
      { path: '/read', chain: [guard, requireScopes('receipts.read')] },
      { path: '/write', chain: [guard, requireScopes('receipts.write')] },
    ]);
    const token = await signToken(key, { iss: server.url, aud: 'api://receipts', scope: 'receipts.read', client_id: 'payments' });
    const ok = await request(app).get('/read').set('Authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body.clientId).toBe('payments');
    const forbidden = await request(app).get('/write').set('Authorization', `Bearer ${token}`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.write"',
    );
  });
});
