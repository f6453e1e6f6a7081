/**
 * getAuth(req): the verified identity, typed, or the 401 of a request without one, over real HTTP on Express
 * 5, Express 4 and Connect.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, authErrorHandler, getAuth, AuthenticationRequiredError, type AuthInfo } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
});
afterAll(async () => {
  await issuer.close();
});

describe('getAuth', () => {
  it('returns the identity authenticate() attached, typed as AuthInfo', async () => {
    const express = (await import('express')).default;
    const app = express();
    app.use(authenticate(issuer.verifierOptions()));
    app.get('/', (req, res) => {
      const auth: AuthInfo = getAuth(req);
      res.json({ clientId: auth.clientId });
    });
    app.use(authErrorHandler());
    const token = await issuer.sign({}, { clientId: 'payments' });
    const response = await request(app).get('/').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ clientId: 'payments' });
  });

  it('answers 401 with a bare challenge when the route has no authenticate() before it', async () => {
    const express = (await import('express')).default;
    const app = express();
    app.get('/', (req, res) => {
      res.json({ clientId: getAuth(req).clientId });
    });
    app.use(authErrorHandler());
    const response = await request(app).get('/');
    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
  });

  it('refuses an identity bearer-guard did not verify', () => {
    expect(() => getAuth({ auth: { token: 'x', scopes: ['admin'], roles: [] } })).toThrow(AuthenticationRequiredError);
    expect(() => getAuth({})).toThrow(AuthenticationRequiredError);
  });
});
