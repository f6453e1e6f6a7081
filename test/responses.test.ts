/**
 * The RFC 6750 §3 response table, row by row, on Express 5, Express 4, Connect + node:http, Fastify
 * (`bearer-guard/fastify`) and the web-standard entry (`createWebAuthenticator`), each with its own public
 * API (`test/helpers/adapters.ts`), answered by each framework's own default answer (or by its JSON error
 * answer where stated: `authErrorHandler()`, the web entry's `Response`). Every row asserts the status, the
 * stable `reason` of the error that reached the handlers and the exact `WWW-Authenticate`.
 */
import { createServer, request as httpRequest, type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AuthenticationRequiredError,
  AuthError,
  authErrorHandler,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  MissingTokenError,
  type Middleware,
  type VerifierOptions,
} from '../src/index.js';
import { ADAPTERS, type AdapterRoute, type Step } from './helpers/adapters.js';
import { FRAMEWORKS } from './helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from './helpers/issuer-server.js';
import { createTestKey, rawToken, signToken, type TestKey } from './helpers/keys.js';

const AUDIENCE = 'api://receipts';
const BARE = 'Bearer realm="api"';

function invalidToken(description: string): string {
  return `Bearer realm="api", error="invalid_token", error_description="${description}"`;
}
function invalidRequest(description: string): string {
  return `Bearer realm="api", error="invalid_request", error_description="${description}"`;
}
function insufficient(description: string, scope: string): string {
  return `Bearer realm="api", error="insufficient_scope", error_description="${description}", scope="${scope}"`;
}

/** A port on 127.0.0.1 where nothing listens. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A request with header lines exactly as given (repeated names stay separate lines). */
function rawRequest(
  server: Server,
  path: string,
  headers: OutgoingHttpHeaders,
  options: { method?: string; body?: string } = {},
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

let key: TestKey;
let ecKey: TestKey;
let unpublishedKey: TestKey;
beforeAll(async () => {
  [key, ecKey, unpublishedKey] = await Promise.all([createTestKey('RS256'), createTestKey('ES256'), createTestKey('RS256')]);
});

describe.each(ADAPTERS)('$name', ({ build, kit, marksQueryAnswers }) => {
  const servers: IssuerServer[] = [];
  let issuer: IssuerServer;
  let app: Server;
  let jsonApp: Server;
  const reasons: string[] = [];
  const seen: unknown[] = [];

  /** Records every error that reaches the error handlers and its reason (they then answer as usual). */
  const recordReason = (error: unknown): void => {
    reasons.push(isAuthError(error) ? error.reason : 'not-an-auth-error');
    seen.push(error);
  };

  const valid = (claims: Record<string, unknown> = {}, signer: TestKey = key): Promise<string> =>
    signToken(signer, { iss: issuer.url, aud: AUDIENCE, client_id: 'payments', ...claims });

  /** A source of keys that fails as `configure` says, with its own issuer URL (so its own key store). */
  const failingSource = async (configure: (server: IssuerServer) => void): Promise<IssuerServer> => {
    const server = await startIssuerServer({ keys: [key.jwk] });
    configure(server);
    servers.push(server);
    return server;
  };

  const routes: AdapterRoute[] = [];
  const down: Record<string, IssuerServer> = {};

  beforeAll(async () => {
    issuer = await startIssuerServer({ keys: [key.jwk, ecKey.jwk] });
    servers.push(issuer);
    const options: VerifierOptions = { issuer: issuer.url, audience: AUDIENCE };
    const auth = kit.authenticate(options);
    const authenticate = kit.authenticate;
    const { requireRoles, requireScopes, requireScopesOrRoles } = kit;

    down.status = await failingSource((s) => (s.jwks = { kind: 'status', status: 500, body: 'upstream failed' }));
    down.timeout = await failingSource((s) => (s.jwks = { kind: 'hang' }));
    down.notJwks = await failingSource((s) => (s.jwks = { kind: 'body', body: '{"keys":{"kid":"x"}}' }));
    down.html = await failingSource((s) => (s.jwks = { kind: 'body', body: '<html>maintenance</html>', contentType: 'text/html' }));
    down.discovery = await failingSource((s) => (s.discovery = { kind: 'status', status: 502 }));
    down.rotating = await failingSource(() => undefined);
    const deadPort = await closedPort();
    const staticKeys = (server: IssuerServer, extra: Partial<VerifierOptions> = {}): Step =>
      authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: server.jwksUri, ...extra });

    routes.push(
      { path: '/protected', chain: [auth] },
      { path: '/query', chain: [authenticate(options, { tokenLocations: ['header', 'query'] })] },
      { method: 'POST', path: '/body', chain: [authenticate(options, { tokenLocations: ['header', 'body'] })] },
      { path: '/body-get', chain: [authenticate(options, { tokenLocations: ['header', 'body'] })] },
      { method: 'POST', path: '/header-only', chain: [auth] },
      { method: 'POST', path: '/everywhere', chain: [authenticate(options, { tokenLocations: ['header', 'query', 'body'] })] },
      { method: 'POST', path: '/json-body', chain: [kit.jsonBody, authenticate(options, { tokenLocations: ['header', 'body'] })] },
      { path: '/rs256-only', chain: [authenticate({ ...options, algorithms: ['RS256'] })] },
      { path: '/scopes', chain: [auth, requireScopes(['receipts.read', 'receipts.write'])] },
      { path: '/scopes-any', chain: [auth, requireScopes(['receipts.read', 'receipts.write'], { match: 'any' })] },
      { path: '/roles', chain: [auth, requireRoles(['Receipts.Admin', 'Receipts.Audit'])] },
      { path: '/either', chain: [auth, requireScopesOrRoles({ scopes: ['receipts.read'], roles: ['Receipts.Admin'] })] },
      { path: '/guard-alone', chain: [requireScopes('receipts.read')] },
      { path: '/guard-alone-realm', chain: [requireRoles('Receipts Admin', { realm: 'receipts' })] },
      { path: '/guard-after-forgery', chain: [kit.forgeAuth, requireScopes('receipts.read')] },
      {
        path: '/down/network',
        chain: [authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: `http://127.0.0.1:${deadPort}/jwks` })],
      },
      { path: '/down/status', chain: [staticKeys(down.status)] },
      { path: '/down/timeout', chain: [staticKeys(down.timeout, { keys: { timeoutMs: 150 } })] },
      { path: '/down/not-jwks', chain: [staticKeys(down.notJwks)] },
      { path: '/down/html', chain: [staticKeys(down.html)] },
      { path: '/down/discovery', chain: [authenticate({ issuer: down.discovery.url, audience: AUDIENCE })] },
      { path: '/down/unknown-kid', chain: [staticKeys(down.rotating, { keys: { cooldownMs: 0 } })] },
    );
    [app, jsonApp] = await Promise.all([build(routes, { kind: 'default', record: recordReason }), build(routes, { kind: 'json' })]);
  });

  afterAll(async () => {
    await Promise.all([app, jsonApp].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    await Promise.all(servers.map((s) => s.close()));
  });

  beforeEach(() => {
    reasons.length = 0;
    seen.length = 0;
  });

  /** Asserts that nothing in a response echoes `token`. */
  const expectNoEcho = (res: { text?: string; body?: unknown; headers: Record<string, unknown> }, token: string): void => {
    expect(JSON.stringify(res.headers)).not.toContain(token);
    expect(res.text ?? '').not.toContain(token);
  };

  describe('no credentials', () => {
    it('answers 401 with a bare challenge when no token is sent', async () => {
      const res = await request(app).get('/protected');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expect(reasons).toEqual(['token_missing']);
    });

    it('answers 401 with a bare challenge for another scheme', async () => {
      const res = await request(app).get('/protected').set('Authorization', 'Basic cGF5bWVudHM6c2VjcmV0');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expect(reasons).toEqual(['token_missing']);
    });

    it('answers 401 with a bare challenge when the token is in a location the route does not enable', async () => {
      const token = await valid();
      const query = await request(app).get(`/protected?access_token=${token}`);
      expect(query.status).toBe(401);
      expect(query.headers['www-authenticate']).toBe(BARE);
      expectNoEcho(query, token);
      const body = await request(app).post('/header-only').type('form').send({ access_token: token });
      expect(body.status).toBe(401);
      expect(body.headers['www-authenticate']).toBe(BARE);
      expectNoEcho(body, token);
      expect(reasons).toEqual(['token_missing', 'token_missing']);
    });

    it('does not take a token from a JSON body', async () => {
      const token = await valid();
      const res = await request(app).post('/json-body').send({ access_token: token });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expectNoEcho(res, token);
    });
  });

  describe('token present but invalid', () => {
    const cases: { name: string; path?: string; token: () => Promise<string>; reason: string; description: string }[] = [
      { name: 'is not a JWT', token: async () => 'not-a-jwt', reason: 'token_malformed', description: 'The access token is malformed' },
      {
        name: 'ends in "=" padding (legal b64token, illegal JWS)',
        token: async () => `${await valid()}==`,
        reason: 'token_malformed',
        description: 'The access token is malformed',
      },
      {
        name: 'is an encrypted JWT (five segments)',
        token: async () => 'eyJhbGciOiJSU0EtT0FFUCJ9.a2V5.aXY.Y2lwaGVy.dGFn',
        reason: 'token_encrypted',
        description: 'Encrypted access tokens are not accepted',
      },
      {
        name: 'has a signature made by another key',
        token: async () =>
          signToken(unpublishedKey, { iss: issuer.url, aud: AUDIENCE }, { header: { kid: key.kid } }),
        reason: 'signature_invalid',
        description: 'The access token could not be verified',
      },
      {
        name: 'has a tampered payload',
        token: async () => {
          const [header, , signature] = (await valid({ scope: 'receipts.read' })).split('.');
          const forged = Buffer.from(JSON.stringify({ iss: issuer.url, aud: AUDIENCE, scope: 'admin', exp: 4102444800 })).toString('base64url');
          return `${header}.${forged}.${signature}`;
        },
        reason: 'signature_invalid',
        description: 'The access token could not be verified',
      },
      {
        name: 'uses an algorithm outside the allow-list',
        path: '/rs256-only',
        token: () => valid({}, ecKey),
        reason: 'algorithm_not_allowed',
        description: 'The access token signing algorithm is not allowed',
      },
      {
        name: 'is unsecured (alg none)',
        token: async () => rawToken({ alg: 'none', typ: 'JWT' }, { iss: issuer.url, aud: AUDIENCE, exp: 4102444800 }),
        reason: 'algorithm_not_allowed',
        description: 'The access token signing algorithm is not allowed',
      },
      {
        name: 'comes from another issuer',
        token: () => valid({ iss: 'https://issuer.invalid' }),
        reason: 'issuer_mismatch',
        description: 'The access token could not be verified',
      },
      {
        name: 'is meant for another audience',
        token: () => valid({ aud: 'api://payroll' }),
        reason: 'audience_mismatch',
        description: 'The access token audience is not accepted',
      },
      {
        name: 'expired',
        token: () => signToken(key, { iss: issuer.url, aud: AUDIENCE }, { expiresIn: -3600 }),
        reason: 'token_expired',
        description: 'The access token expired',
      },
      {
        name: 'is not valid yet (nbf)',
        token: () => valid({ nbf: Math.floor(Date.now() / 1000) + 3600 }),
        reason: 'token_not_yet_valid',
        description: 'The access token is not yet valid',
      },
      {
        name: 'names an unknown key',
        token: () => signToken(unpublishedKey, { iss: issuer.url, aud: AUDIENCE }),
        reason: 'key_not_found',
        description: 'The access token could not be verified',
      },
    ];

    it.each(cases)('answers 401 invalid_token when the token $name', async ({ path, token: make, reason, description }) => {
      const token = await make();
      const res = await request(app)
        .get(path ?? '/protected')
        .set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(invalidToken(description));
      expect(reasons).toEqual([reason]);
      expectNoEcho(res, token);
    });

    it('fetches no keys for a token whose algorithm is outside the allow-list', async () => {
      const before = issuer.jwksHits() + issuer.discoveryHits();
      const res = await request(app).get('/rs256-only').set('Authorization', `Bearer ${await valid({}, ecKey)}`);
      expect(res.status).toBe(401);
      expect(issuer.jwksHits() + issuer.discoveryHits()).toBe(before);
    });
  });

  describe('malformed request', () => {
    const cases: { name: string; authorization: string; reason: string; description: string }[] = [
      { name: 'an empty Bearer', authorization: 'Bearer', reason: 'token_empty', description: 'The Bearer token is empty' },
      { name: 'an illegal character', authorization: 'Bearer a$b', reason: 'authorization_malformed', description: 'The Authorization header is malformed' },
      { name: 'a space inside the token', authorization: 'Bearer abc def', reason: 'authorization_malformed', description: 'The Authorization header is malformed' },
      { name: 'a comma inside the token', authorization: 'Bearer abc,def', reason: 'authorization_malformed', description: 'The Authorization header is malformed' },
      { name: 'a tab after the scheme', authorization: 'Bearer\tabc.def.ghi', reason: 'authorization_malformed', description: 'The Authorization header is malformed' },
      { name: 'padding at the start', authorization: 'Bearer =abc', reason: 'authorization_malformed', description: 'The Authorization header is malformed' },
    ];

    it.each(cases)('answers 400 invalid_request for $name', async ({ authorization, reason, description }) => {
      const res = await request(app).get('/protected').set('Authorization', authorization);
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(invalidRequest(description));
      expect(reasons).toEqual([reason]);
    });

    it('answers 400 invalid_request for a non-ASCII character in the token', async () => {
      const res = await rawRequest(app, '/protected', { authorization: 'Bearer abc\u00e9def' });
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(invalidRequest('The Authorization header is malformed'));
      expect(reasons).toEqual(['authorization_malformed']);
    });

    it('answers 400 invalid_request for two Authorization header lines', async () => {
      const token = await valid();
      const res = await rawRequest(app, '/protected', { Authorization: [`Bearer ${token}`, `Bearer ${token}`] });
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(invalidRequest('More than one Authorization header was sent'));
      expect(reasons).toEqual(['authorization_multiple']);
      expect(res.body).not.toContain(token);
    });

    const twice = invalidRequest('The access token was sent in more than one way');

    it('answers 400 invalid_request for a header token plus a query token, query not enabled', async () => {
      const token = await valid();
      const res = await request(app).get(`/protected?access_token=${token}`).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(twice);
      expect(reasons).toEqual(['token_multiple']);
      expectNoEcho(res, token);
    });

    it('answers 400 invalid_request for a header token plus a query token, query enabled', async () => {
      const token = await valid();
      const res = await request(app).get(`/query?access_token=${token}`).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(twice);
      expect(reasons).toEqual(['token_multiple']);
    });

    it('answers 400 invalid_request for a header token plus a form-body token, body not enabled', async () => {
      const token = await valid();
      const res = await request(app)
        .post('/header-only')
        .set('Authorization', `Bearer ${token}`)
        .type('form')
        .send({ access_token: token });
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(twice);
      expect(reasons).toEqual(['token_multiple']);
      expectNoEcho(res, token);
    });

    it('answers 400 invalid_request for a query token plus a form-body token, both enabled', async () => {
      const token = await valid();
      const res = await request(app).post(`/everywhere?access_token=${token}`).type('form').send({ access_token: token });
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(twice);
      expect(reasons).toEqual(['token_multiple']);
    });

    it('answers 400 invalid_request for a repeated access_token query parameter', async () => {
      const res = await request(app).get('/query?access_token=abc&access_token=def');
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(twice);
      expect(reasons).toEqual(['token_multiple']);
    });

    it('answers 400 invalid_request for a repeated access_token form parameter', async () => {
      const res = await request(app).post('/body').type('form').send('access_token=abc&access_token=def');
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(twice);
      expect(reasons).toEqual(['token_multiple']);
    });

    it.each(['access_token=', 'access_token[x]=abc', 'access_token[]=abc'])(
      'answers 400 invalid_request for the query parameter %s',
      async (query) => {
        const res = await request(app).get(`/query?${query}`);
        expect(res.status).toBe(400);
        expect(res.headers['www-authenticate']).toBe(invalidRequest('The access_token parameter is invalid'));
        expect(reasons).toEqual(['token_parameter_invalid']);
      },
    );
  });

  describe('valid token without a required grant', () => {
    it('answers 403 insufficient_scope listing every required scope when one is missing', async () => {
      const res = await request(app).get('/scopes').set('Authorization', `Bearer ${await valid({ scope: 'receipts.read' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        insufficient('The access token lacks a required scope', 'receipts.read receipts.write'),
      );
      expect(reasons).toEqual(['scope_missing']);
    });

    it('answers 403 insufficient_scope when none of the "any" scopes is granted', async () => {
      const res = await request(app).get('/scopes-any').set('Authorization', `Bearer ${await valid({ scope: 'reports.read' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        insufficient('The access token lacks a required scope', 'receipts.read receipts.write'),
      );
    });

    it('answers 403 insufficient_scope listing the required roles when a role is missing', async () => {
      const res = await request(app).get('/roles').set('Authorization', `Bearer ${await valid({ roles: ['Receipts.Admin'] })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        insufficient('The access token lacks a required role', 'Receipts.Admin Receipts.Audit'),
      );
      expect(reasons).toEqual(['role_missing']);
    });

    it('answers 403 insufficient_scope listing scopes and roles when neither is granted', async () => {
      const res = await request(app).get('/either').set('Authorization', `Bearer ${await valid({ scope: 'reports.read' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        insufficient('The access token lacks a required scope or role', 'receipts.read Receipts.Admin'),
      );
      expect(reasons).toEqual(['scope_or_role_missing']);
    });

    it('answers 200 when the granted scopes or roles satisfy the guard', async () => {
      const all = await request(app).get('/scopes').set('Authorization', `Bearer ${await valid({ scope: 'receipts.write receipts.read' })}`);
      expect(all.status).toBe(200);
      const any = await request(app).get('/scopes-any').set('Authorization', `Bearer ${await valid({ scope: 'receipts.write' })}`);
      expect(any.status).toBe(200);
      const roles = await request(app).get('/roles').set('Authorization', `Bearer ${await valid({ roles: ['Receipts.Audit', 'Receipts.Admin'] })}`);
      expect(roles.status).toBe(200);
      const either = await request(app).get('/either').set('Authorization', `Bearer ${await valid({ roles: ['Receipts.Admin'] })}`);
      expect(either.status).toBe(200);
      expect(either.body.roles).toEqual(['Receipts.Admin']);
      expect(reasons).toEqual([]);
    });
  });

  describe('a guard reached without authentication', () => {
    it('answers 401 with a bare challenge when no authenticate() ran before the guard', async () => {
      const res = await request(app).get('/guard-alone').set('Authorization', `Bearer ${await valid({ scope: 'receipts.read' })}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expect(reasons).toEqual(['authentication_required']);
      expect(seen[0]).toBeInstanceOf(AuthenticationRequiredError);
      expect(seen[0]).toBeInstanceOf(MissingTokenError);
    });

    it('answers 401 when earlier code put a look-alike object on req.auth', async () => {
      const res = await request(app).get('/guard-after-forgery');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expect(reasons).toEqual(['authentication_required']);
      expect(seen[0]).toBeInstanceOf(AuthenticationRequiredError);
    });

    it('answers 401 in the realm a guard names when no authenticate() ran before it', async () => {
      const res = await request(app).get('/guard-alone-realm');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="receipts"');
      expect(seen[0]).toBeInstanceOf(AuthenticationRequiredError);
    });
  });

  describe('issuer keys unreachable', () => {
    const cases: { name: string; path: string; reason: string }[] = [
      { name: 'the JWKS host refuses the connection', path: '/down/network', reason: 'jwks_unavailable' },
      { name: 'the JWKS endpoint answers 500', path: '/down/status', reason: 'jwks_unavailable' },
      { name: 'the JWKS endpoint never answers', path: '/down/timeout', reason: 'jwks_unavailable' },
      { name: 'the JWKS endpoint serves JSON that is not a JWK Set', path: '/down/not-jwks', reason: 'jwks_unavailable' },
      { name: 'the JWKS endpoint serves HTML', path: '/down/html', reason: 'jwks_unavailable' },
      { name: 'discovery answers 502', path: '/down/discovery', reason: 'metadata_unavailable' },
    ];

    it.each(cases)('answers 503 with Retry-After and no challenge when $name', async ({ path, reason }) => {
      const token = await signToken(key, {
        iss: path === '/down/discovery' ? down.discovery!.url : issuer.url,
        aud: AUDIENCE,
      });
      const res = await request(app).get(path).set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(reasons).toEqual([reason]);
      expectNoEcho(res, token);
    });

    it('answers 503, not 401, for an unknown kid whose refetch fails', async () => {
      const server = down.rotating!;
      const known = await signToken(key, { iss: issuer.url, aud: AUDIENCE });
      expect((await request(app).get('/down/unknown-kid').set('Authorization', `Bearer ${known}`)).status).toBe(200);
      server.jwks = { kind: 'status', status: 503 };
      const hitsBefore = server.jwksHits();
      const rotated = await signToken(unpublishedKey, { iss: issuer.url, aud: AUDIENCE });
      const res = await request(app).get('/down/unknown-kid').set('Authorization', `Bearer ${rotated}`);
      expect(res.status).toBe(503);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(reasons).toEqual(['jwks_unavailable']);
      expect(server.jwksHits()).toBe(hitsBefore + 1);
      // The cached key still serves tokens it fits.
      expect((await request(app).get('/down/unknown-kid').set('Authorization', `Bearer ${known}`)).status).toBe(200);
    });
  });

  describe('header syntax that is accepted', () => {
    it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('accepts the scheme spelled %s', async (scheme) => {
      const res = await request(app).get('/protected').set('Authorization', `${scheme} ${await valid()}`);
      expect(res.status).toBe(200);
      expect(res.body.clientId).toBe('payments');
    });

    it('accepts two spaces between the scheme and the token', async () => {
      const res = await request(app).get('/protected').set('Authorization', `Bearer  ${await valid()}`);
      expect(res.status).toBe(200);
    });
  });

  describe('token locations', () => {
    it('accepts a query token where enabled and marks the answer Cache-Control: private', async () => {
      const res = await request(app).get(`/query?access_token=${await valid()}`);
      expect(res.status).toBe(200);
      // The web entry does not build the success answer: the application marks it (documented).
      expect(res.headers['cache-control']).toBe(marksQueryAnswers ? 'private' : undefined);
      expect(res.body.clientId).toBe('payments');
    });

    it('does not mark header-token answers private', async () => {
      const res = await request(app).get('/query').set('Authorization', `Bearer ${await valid()}`);
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBeUndefined();
    });

    it('accepts a form-body token where enabled', async () => {
      const res = await request(app).post('/body').type('form').send({ access_token: await valid() });
      expect(res.status).toBe(200);
      expect(res.body.clientId).toBe('payments');
    });

    it('does not take a form-body token from a GET request', async () => {
      const body = `access_token=${await valid()}`;
      const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) };
      const post = await rawRequest(app, '/body', headers, { method: 'POST', body });
      expect(post.status).toBe(200);
      const get = await rawRequest(app, '/body-get', headers, { method: 'GET', body });
      expect(get.status).toBe(401);
      expect(get.headers['www-authenticate']).toBe(BARE);
      expect(reasons).toEqual(['token_missing']);
    });

    it('accepts a form-body token whose content type carries a charset', async () => {
      const res = await request(app)
        .post('/body')
        .set('Content-Type', 'application/x-www-form-urlencoded; charset=utf-8')
        .send(`access_token=${await valid()}`);
      expect(res.status).toBe(200);
    });

    it('accepts a header token on a route that also enables other locations', async () => {
      const res = await request(app).post('/everywhere').set('Authorization', `Bearer ${await valid()}`);
      expect(res.status).toBe(200);
    });
  });

  describe('authErrorHandler()', () => {
    it('renders a missing token as JSON with the bare challenge', async () => {
      const res = await request(jsonApp).get('/protected');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
    });

    it('renders an invalid token as JSON without echoing it', async () => {
      const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE }, { expiresIn: -3600 });
      const res = await request(jsonApp).get('/protected').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(invalidToken('The access token expired'));
      expect(res.body).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
      expectNoEcho(res, token);
    });

    it('renders a malformed request as JSON', async () => {
      const res = await request(jsonApp).get('/protected').set('Authorization', 'Bearer');
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: 'invalid_request', error_description: 'The Bearer token is empty' });
    });

    it('renders a missing scope as JSON with the scope challenge', async () => {
      const res = await request(jsonApp).get('/scopes').set('Authorization', `Bearer ${await valid()}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        insufficient('The access token lacks a required scope', 'receipts.read receipts.write'),
      );
      expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'The access token lacks a required scope' });
    });

    it('renders unreachable keys as JSON 503 with Retry-After', async () => {
      const token = await signToken(key, { iss: issuer.url, aud: AUDIENCE });
      const res = await request(jsonApp).get('/down/status').set('Authorization', `Bearer ${token}`);
      expect(res.status).toBe(503);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
      expect(res.body).toEqual({
        error: 'temporarily_unavailable',
        error_description: 'The token signing keys are temporarily unavailable',
      });
    });
  });
});

describe('authErrorHandler() with other errors', () => {
  it('passes errors that are not bearer-guard errors to the next handler', async () => {
    const boom: Middleware = (_req, _res, next) => next(new Error('database down'));
    const app = FRAMEWORKS[0]!.build([{ path: '/boom', chain: [boom] }], authErrorHandler());
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(res.headers['www-authenticate']).toBeUndefined();
  });
});

describe('the errors behind the table', () => {
  const errors = () => [
    new MissingTokenError(),
    new InvalidRequestError('token_multiple'),
    new InvalidTokenError('token_expired'),
    new InsufficientScopeError('scope_missing', { scope: ['receipts.read', 'receipts.write'] }),
    new KeysUnavailableError('jwks_unavailable', { retryAfterSeconds: 2.2 }),
  ];

  it('carries status, statusCode, code, expose and headers for the final handlers', () => {
    expect(
      errors().map((e) => ({ name: e.name, status: e.status, statusCode: e.statusCode, code: e.code, expose: e.expose, headers: e.headers })),
    ).toEqual([
      { name: 'MissingTokenError', status: 401, statusCode: 401, code: 'ERR_MISSING_TOKEN', expose: true, headers: { 'WWW-Authenticate': BARE } },
      {
        name: 'InvalidRequestError',
        status: 400,
        statusCode: 400,
        code: 'ERR_INVALID_REQUEST',
        expose: true,
        headers: { 'WWW-Authenticate': invalidRequest('The access token was sent in more than one way') },
      },
      {
        name: 'InvalidTokenError',
        status: 401,
        statusCode: 401,
        code: 'ERR_INVALID_TOKEN',
        expose: true,
        headers: { 'WWW-Authenticate': invalidToken('The access token expired') },
      },
      {
        name: 'InsufficientScopeError',
        status: 403,
        statusCode: 403,
        code: 'ERR_INSUFFICIENT_SCOPE',
        expose: true,
        headers: { 'WWW-Authenticate': insufficient('The access token lacks a required scope', 'receipts.read receipts.write') },
      },
      { name: 'KeysUnavailableError', status: 503, statusCode: 503, code: 'ERR_KEYS_UNAVAILABLE', expose: false, headers: { 'Retry-After': '3' } },
    ]);
  });

  it('makes the five classes siblings under AuthError, not a chain', () => {
    const all = errors();
    for (const error of all) {
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toBeInstanceOf(Error);
      expect(isAuthError(error)).toBe(true);
      const others = all.filter((other) => other.constructor !== error.constructor);
      for (const other of others) expect(error).not.toBeInstanceOf(other.constructor);
    }
  });

  it('uses the fixed description as the message', () => {
    for (const error of [...errors(), new AuthenticationRequiredError()]) expect(error.message).toBe(error.description);
  });

  it('makes AuthenticationRequiredError a kind of MissingTokenError with the same answer', () => {
    const error = new AuthenticationRequiredError();
    expect(error).toBeInstanceOf(MissingTokenError);
    expect(error).toBeInstanceOf(AuthError);
    expect(isAuthError(error)).toBe(true);
    expect({ name: error.name, status: error.status, statusCode: error.statusCode, code: error.code, expose: error.expose }).toEqual({
      name: 'AuthenticationRequiredError',
      status: 401,
      statusCode: 401,
      code: 'ERR_MISSING_TOKEN',
      expose: true,
    });
    expect(error.reason).toBe('authentication_required');
    expect(error.error).toBeUndefined();
    expect(error.headers).toEqual({ 'WWW-Authenticate': BARE });
    expect(new AuthenticationRequiredError({ realm: 'receipts' }).headers).toEqual({ 'WWW-Authenticate': 'Bearer realm="receipts"' });
    expect(new MissingTokenError()).not.toBeInstanceOf(AuthenticationRequiredError);
  });

  it('recognises an error of another copy of the package by its brand', () => {
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('bearer-guard.AuthError'), { get: () => true });
    expect(isAuthError(foreign)).toBe(true);
    expect(isAuthError(new Error('x'))).toBe(false);
    expect(isAuthError({ status: 401, reason: 'token_expired' })).toBe(false);
    expect(isAuthError(null)).toBe(false);
    expect(isAuthError('InvalidTokenError')).toBe(false);
  });

  it('puts the realm in every challenge and defaults Retry-After to 5 seconds', () => {
    expect(new InvalidTokenError('signature_invalid', { realm: 'receipts' }).headers['WWW-Authenticate']).toBe(
      'Bearer realm="receipts", error="invalid_token", error_description="The access token could not be verified"',
    );
    expect(new KeysUnavailableError('metadata_unavailable').headers).toEqual({ 'Retry-After': '5' });
    expect(new KeysUnavailableError('metadata_unavailable', { retryAfterSeconds: Number.NaN }).retryAfterSeconds).toBe(5);
    expect(new KeysUnavailableError('metadata_unavailable', { retryAfterSeconds: 0.01 }).retryAfterSeconds).toBe(1);
  });
});
