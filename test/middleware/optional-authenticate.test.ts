/**
 * `authenticate(options, { optional: true })` over HTTP on every framework (Express 5, Express 4, Connect,
 * Fastify, the web-standard entry): a request without credentials goes on without an identity; one with
 * credentials is judged as always (an invalid token is never ignored, RFC 6750 §3.1); guards downstream
 * answer 401 without the warning meant for a forgotten `authenticate()`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isAuthError, type VerifierOptions } from '../../src/index.js';
import { ADAPTERS, type AdapterRoute } from '../helpers/adapters.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const AUDIENCE = 'api://receipts';
const BARE = 'Bearer realm="api"';
const NO_IDENTITY = { clientId: null, tenantId: null, scopes: null, roles: null, subject: null, isAppOnly: null };

let issuer: IssuerServer;
let key: TestKey;
let other: TestKey;
let deadPort: number;
beforeAll(async () => {
  [key, other] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
  issuer = await startIssuerServer({ keys: [key.jwk] });
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  deadPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => issuer.close());

function warningsAboutAuthenticate(spy: { mock: { calls: unknown[][] } }): unknown[] {
  return spy.mock.calls.filter((call) => (call[1] as { code?: string } | undefined)?.code === 'BEARER_GUARD_NO_AUTHENTICATE');
}

describe.each(ADAPTERS)('$name', ({ build, kit }) => {
  let app: Server;
  const reasons: string[] = [];
  let warnings: ReturnType<typeof vi.spyOn>;

  const token = (claims: Record<string, unknown> = {}, signer = key, expiresIn = 300): Promise<string> =>
    signToken(signer, { iss: issuer.url, aud: AUDIENCE, client_id: 'payments', ...claims }, { expiresIn });

  beforeAll(async () => {
    const options: VerifierOptions = { issuer: issuer.url, audience: AUDIENCE };
    const optional = kit.authenticate(options, { optional: true });
    const routes: AdapterRoute[] = [
      { path: '/maybe', chain: [optional] },
      { path: '/maybe-query', chain: [kit.authenticate(options, { optional: true, tokenLocations: ['header', 'query'] })] },
      { path: '/maybe-guarded', chain: [optional, kit.requireScopes('receipts.read')] },
      {
        path: '/maybe-down',
        chain: [kit.authenticate({ ...options, jwksUri: `http://127.0.0.1:${deadPort}/jwks` }, { optional: true })],
      },
    ];
    app = await build(routes, { kind: 'default', record: (error) => reasons.push(isAuthError(error) ? error.reason : 'fault') });
  });
  afterAll(async () => new Promise<void>((resolve) => app.close(() => resolve())));
  beforeEach(() => {
    reasons.length = 0;
    warnings = vi.spyOn(process, 'emitWarning');
  });
  afterEach(() => warnings.mockRestore());

  it('lets a request without credentials through without an identity', async () => {
    const res = await request(app).get('/maybe');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(NO_IDENTITY);
    expect(reasons).toEqual([]);
  });

  it('lets a request with another scheme through without an identity (no Bearer credentials)', async () => {
    const res = await request(app).get('/maybe').set('Authorization', 'Basic cGF5bWVudHM6c2VjcmV0');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(NO_IDENTITY);
  });

  it('attaches the identity of a valid token', async () => {
    const res = await request(app).get('/maybe').set('Authorization', `Bearer ${await token()}`);
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('payments');
  });

  it('answers 401 invalid_token to an expired token instead of ignoring it', async () => {
    const res = await request(app).get('/maybe').set('Authorization', `Bearer ${await token({}, key, -3600)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    );
    expect(reasons).toEqual(['token_expired']);
  });

  it('answers 401 invalid_token to a token signed by an unknown key', async () => {
    const res = await request(app).get('/maybe').set('Authorization', `Bearer ${await token({}, other)}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"',
    );
    expect(reasons).toEqual(['key_not_found']);
  });

  it('answers 400 invalid_request to a malformed Authorization header', async () => {
    const res = await request(app).get('/maybe').set('Authorization', 'Bearer a$b');
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_request", error_description="The Authorization header is malformed"',
    );
    expect(reasons).toEqual(['authorization_malformed']);
  });

  it('answers 400 invalid_request to a token sent in the header and the query', async () => {
    const sent = await token();
    const res = await request(app).get(`/maybe-query?access_token=${sent}`).set('Authorization', `Bearer ${sent}`);
    expect(res.status).toBe(400);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_request", error_description="The access token was sent in more than one way"',
    );
    expect(reasons).toEqual(['token_multiple']);
  });

  it('answers 503 with Retry-After to a token whose keys cannot be fetched, never letting it through', async () => {
    const res = await request(app).get('/maybe-down').set('Authorization', `Bearer ${await token()}`);
    expect(res.status).toBe(503);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    expect(reasons).toEqual(['jwks_unavailable']);
  });

  it('lets a guard downstream answer 401 with a bare challenge, without warning about authenticate()', async () => {
    const res = await request(app).get('/maybe-guarded');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(BARE);
    expect(reasons).toEqual(['authentication_required']);
    expect(warningsAboutAuthenticate(warnings)).toEqual([]);
  });

  it('lets a guard downstream judge a valid token: 200 with the scope, 403 without', async () => {
    const granted = await request(app).get('/maybe-guarded').set('Authorization', `Bearer ${await token({ scope: 'receipts.read' })}`);
    expect(granted.status).toBe(200);
    const refused = await request(app).get('/maybe-guarded').set('Authorization', `Bearer ${await token({ scope: 'other' })}`);
    expect(refused.status).toBe(403);
    expect(refused.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.read"',
    );
    expect(reasons).toEqual(['scope_missing']);
  });

});

describe.each(ADAPTERS.filter((adapter) => adapter.warnsWithoutAuthenticate))('$name, a guard without authenticate()', ({ build, kit }) => {
  it('warns once, which optional authentication never does', async () => {
    const app = await build([{ path: '/guard-alone', chain: [kit.requireScopes('receipts.read')] }], { kind: 'default', record: () => undefined });
    const warnings = vi.spyOn(process, 'emitWarning');
    try {
      const res = await request(app).get('/guard-alone');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expect(warningsAboutAuthenticate(warnings)).toHaveLength(1);
      await request(app).get('/guard-alone');
      expect(warningsAboutAuthenticate(warnings)).toHaveLength(1);
    } finally {
      warnings.mockRestore();
      await new Promise<void>((resolve) => app.close(() => resolve()));
    }
  });
});
