/**
 * `introspection.tokens: 'all'` against the test issuer: a JWT that passes local verification is confirmed
 * active by the introspection endpoint (one call, then the introspection cache), refused once revoked even
 * when the verified-token cache holds it (over HTTP on Express 5, Express 4 and Connect), and left alone
 * with the default `tokens: 'opaque'`.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createVerifier, type AuthInfo, type IntrospectionOptions } from '../../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../../src/testing/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';

const SECRET = 'rs-secret-never-shown-0123456789';
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts', clients: [{ clientId: 'receipts-api', clientSecret: SECRET }] });
});
afterAll(() => issuer.close());

const verifierFor = (introspection: Partial<IntrospectionOptions>) =>
  createVerifier(issuer.verifierOptions({ introspection: { clientId: 'receipts-api', clientSecret: SECRET, ...introspection } }));

describe("JWTs with introspection tokens: 'all'", () => {
  it('confirms a verified JWT with one call, keeps its own identity, and answers later requests from the cache', async () => {
    const verifier = verifierFor({ tokens: 'all' });
    const token = await issuer.sign({ scope: 'receipts.read' });
    issuer.resetCounters();
    const auth: AuthInfo = await verifier.verify(token);
    expect(auth).toMatchObject({ format: 'jws', clientId: 'test-client', scopes: ['receipts.read'] });
    expect(auth.header).toMatchObject({ alg: 'RS256' });
    await verifier.verify(token);
    await verifier.verify(token);
    expect(issuer.introspectionRequests).toBe(1);
  });

  it("leaves JWTs local with the default tokens: 'opaque': a revoked JWT still passes, and nothing is called", async () => {
    const verifier = verifierFor({});
    const token = await issuer.sign({ scope: 'receipts.read' });
    issuer.revoke(token);
    issuer.resetCounters();
    expect((await verifier.verify(token)).format).toBe('jws');
    expect(issuer.introspectionRequests).toBe(0);
  });
});

describe.each(FRAMEWORKS)("a revoked JWT with tokens: 'all' on $name", ({ build }) => {
  it('answers 401 token_inactive, even while the verified-token cache holds it', async () => {
    const verifier = verifierFor({ tokens: 'all', cache: false });
    const app = build([{ path: '/receipts', chain: [authenticate(verifier)] }], reasonErrorHandler);
    const token = await issuer.sign({ scope: 'receipts.read' });
    // Verified twice: the verified-token cache admits a token the second time it sees it.
    expect((await request(app).get('/receipts').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    expect((await request(app).get('/receipts').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    issuer.revoke(token);
    const res = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token", error_description="The access token is not active"');
    expect(res.body).toEqual({ reason: 'token_inactive' });
  });
});
