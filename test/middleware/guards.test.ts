/**
 * The route guards over HTTP on every framework: requireScopes / requireRoles (match all or any),
 * requireScopesOrRoles, failing closed without an identity from authenticate(), the realm of 403s, and
 * configuration errors thrown when a guard is created.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  AuthenticationRequiredError,
  createVerifier,
  isAuthError,
  MissingTokenError,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  type AuthInfo,
  type ErrorMiddleware,
  type Middleware,
  type Verifier,
} from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const AUDIENCE = 'api://receipts';
const BARE = 'Bearer realm="api"';

function forbidden(kind: 'scope' | 'role' | 'scope or role', scope: string, realm = 'api'): string {
  return `Bearer realm="${realm}", error="insufficient_scope", error_description="The access token lacks a required ${kind}", scope="${scope}"`;
}

let server: IssuerServer;
let key: TestKey;
beforeAll(async () => {
  key = await createTestKey('ES256');
  server = await startIssuerServer({ keys: [key.jwk] });
});
afterAll(async () => server.close());

function bearer(claims: Record<string, unknown>): Promise<string> {
  return signToken(key, { iss: server.url, aud: AUDIENCE, client_id: 'payments', ...claims }).then((t) => `Bearer ${t}`);
}

describe.each(FRAMEWORKS)('$name', ({ build }) => {
  const seen: unknown[] = [];
  const record: ErrorMiddleware = (error, _req, _res, next) => {
    seen.push(error);
    next(error);
  };
  const app = () => {
    const auth = authenticate({ issuer: server.url, audience: AUDIENCE });
    const custom = authenticate({ issuer: server.url, audience: AUDIENCE, realm: 'receipts' });
    const forge: Middleware = (req, _res, next) => {
      (req as { auth?: unknown }).auth = { scopes: ['receipts.read'], roles: ['Receipts.Admin'] };
      next();
    };
    const forgeString: Middleware = (req, _res, next) => {
      (req as { auth?: unknown }).auth = 'receipts.read';
      next();
    };
    return build([
      { path: '/scope', chain: [auth, requireScopes('receipts.read')] },
      { path: '/scopes-all', chain: [auth, requireScopes(['receipts.read', 'receipts.write'])] },
      { path: '/scopes-any', chain: [auth, requireScopes(['receipts.read', 'receipts.write'], { match: 'any' })] },
      { path: '/role', chain: [auth, requireRoles('Receipts.Admin')] },
      { path: '/roles-all', chain: [auth, requireRoles(['Receipts.Admin', 'Receipts.Audit'])] },
      { path: '/roles-any', chain: [auth, requireRoles(['Receipts.Admin', 'Receipts.Audit'], { match: 'any' })] },
      { path: '/either', chain: [auth, requireScopesOrRoles({ scopes: ['receipts.read', 'receipts.list'], roles: ['Receipts.Admin'] })] },
      { path: '/either-roles-only', chain: [auth, requireScopesOrRoles({ roles: ['Receipts.Admin'] })] },
      { path: '/chained', chain: [auth, requireScopes('receipts.read'), requireRoles('Receipts.Admin')] },
      { path: '/duplicates', chain: [auth, requireScopes(['receipts.read', 'receipts.read', 'receipts.write'])] },
      { path: '/realm', chain: [custom, requireScopes('receipts.write')] },
      { path: '/no-auth', chain: [requireScopes('receipts.read')] },
      { path: '/no-auth-role', chain: [requireRoles('Receipts.Admin')] },
      { path: '/no-auth-either', chain: [requireScopesOrRoles({ scopes: ['receipts.read'] })] },
      { path: '/forged', chain: [forge, requireScopes('receipts.read')] },
      { path: '/forged-string', chain: [forgeString, requireRoles('Receipts.Admin')] },
      { path: '/role-spaced', chain: [auth, requireRoles('Receipts Admin')] },
      { path: '/role-accented', chain: [auth, requireRoles('Gérant')] },
      { path: '/roles-mixed', chain: [auth, requireRoles(['Receipts Admin', 'Receipts.Audit'])] },
      { path: '/either-spaced', chain: [auth, requireScopesOrRoles({ scopes: ['receipts.read'], roles: ['Receipts Admin'] })] },
      { path: '/either-same-name', chain: [auth, requireScopesOrRoles({ scopes: ['receipts.read'], roles: ['receipts.read'] })] },
      { path: '/no-auth-realm', chain: [requireScopes('receipts.read', { realm: 'receipts' })] },
      { path: '/no-auth-role-realm', chain: [requireRoles('Receipts.Admin', { match: 'any', realm: 'receipts' })] },
      { path: '/no-auth-either-realm', chain: [requireScopesOrRoles({ scopes: ['receipts.read'] }, { realm: 'receipts' })] },
      { path: '/forged-realm', chain: [forge, requireScopes('receipts.read', { realm: 'receipts' })] },
      { path: '/realm-option-with-identity', chain: [custom, requireScopes('receipts.write', { realm: 'elsewhere' })] },
    ], record);
  };
  let server1: ReturnType<typeof app>;
  beforeAll(() => {
    server1 = app();
  });

  const get = async (path: string, claims?: Record<string, unknown>) => {
    const req = request(server1).get(path);
    return claims === undefined ? req : req.set('Authorization', await bearer(claims));
  };

  describe('requireScopes', () => {
    it('answers 200 when the required scope is granted', async () => {
      const res = await get('/scope', { scope: 'receipts.read' });
      expect(res.status).toBe(200);
      expect(res.body.scopes).toEqual(['receipts.read']);
    });

    it('answers 403 insufficient_scope when the required scope is missing', async () => {
      const res = await get('/scope', { scope: 'receipts.write' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.read'));
    });

    it('answers 403 when the token grants no scope at all', async () => {
      const res = await get('/scope', {});
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.read'));
    });

    it('needs every scope by default and lists them all in the challenge', async () => {
      expect((await get('/scopes-all', { scope: 'receipts.read receipts.write' })).status).toBe(200);
      const res = await get('/scopes-all', { scope: 'receipts.write' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.read receipts.write'));
    });

    it('needs one scope with match "any" and still lists them all', async () => {
      expect((await get('/scopes-any', { scp: ['receipts.write'] })).status).toBe(200);
      const res = await get('/scopes-any', { scope: 'reports.read' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.read receipts.write'));
    });

    it('does not take a role for a scope', async () => {
      const res = await get('/scope', { roles: ['receipts.read'] });
      expect(res.status).toBe(403);
    });

    it('lists a value required twice only once', async () => {
      const res = await get('/duplicates', { scope: 'receipts.read' });
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.read receipts.write'));
    });
  });

  describe('requireRoles', () => {
    it('answers 200 when the required role is granted', async () => {
      expect((await get('/role', { roles: ['Receipts.Admin'] })).status).toBe(200);
      expect((await get('/role', { roles: 'Receipts.Admin' })).status).toBe(200);
    });

    it('answers 403 listing the required role when it is missing', async () => {
      const res = await get('/role', { roles: ['receipts.admin'], scope: 'Receipts.Admin' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('role', 'Receipts.Admin'));
    });

    it('needs every role by default', async () => {
      expect((await get('/roles-all', { roles: ['Receipts.Audit', 'Receipts.Admin'] })).status).toBe(200);
      const res = await get('/roles-all', { roles: ['Receipts.Admin'] });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('role', 'Receipts.Admin Receipts.Audit'));
    });

    it('needs one role with match "any"', async () => {
      expect((await get('/roles-any', { roles: ['Receipts.Audit'] })).status).toBe(200);
      const res = await get('/roles-any', { roles: ['Receipts.Viewer'] });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('role', 'Receipts.Admin Receipts.Audit'));
    });

    it('grants nothing for roles of odd types', async () => {
      const res = await get('/role', { roles: [{ name: 'Receipts.Admin' }, 1, null] });
      expect(res.status).toBe(403);
    });
  });

  describe('requireScopesOrRoles', () => {
    it('answers 200 with any listed scope', async () => {
      expect((await get('/either', { scope: 'receipts.list' })).status).toBe(200);
    });

    it('answers 200 with any listed role', async () => {
      expect((await get('/either', { roles: ['Receipts.Admin'] })).status).toBe(200);
      expect((await get('/either-roles-only', { roles: ['Receipts.Admin'] })).status).toBe(200);
    });

    it('answers 403 listing every scope and role when neither is granted', async () => {
      const res = await get('/either', { scope: 'reports.read', roles: ['Reports.Admin'] });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope or role', 'receipts.read receipts.list Receipts.Admin'));
    });

    it('answers 403 for a roles-only guard given the role as a scope', async () => {
      const res = await get('/either-roles-only', { scope: 'Receipts.Admin' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope or role', 'Receipts.Admin'));
    });
  });

  describe('roles that are not scope tokens', () => {
    it('answers 200 for a role with a space or a non-ASCII letter when it is granted', async () => {
      expect((await get('/role-spaced', { roles: ['Receipts Admin'] })).status).toBe(200);
      expect((await get('/role-accented', { roles: 'Gérant' })).status).toBe(200);
      expect((await get('/either-spaced', { roles: ['Receipts Admin'] })).status).toBe(200);
    });

    it('compares such roles exactly', async () => {
      expect((await get('/role-spaced', { roles: ['Receipts.Admin', 'Receipts  Admin'] })).status).toBe(403);
      expect((await get('/role-accented', { roles: ['Gerant', 'gérant'] })).status).toBe(403);
    });

    it('lists only the required values that are scope tokens in the challenge, and all of them on the error', async () => {
      seen.length = 0;
      const res = await get('/roles-mixed', { roles: ['Receipts Admin'] });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('role', 'Receipts.Audit'));
      expect(seen).toHaveLength(1);
      expect((seen[0] as { scope?: unknown }).scope).toEqual(['Receipts Admin', 'Receipts.Audit']);
    });

    it('leaves a role that is no scope token out of a scope-or-role challenge', async () => {
      const res = await get('/either-spaced', { roles: ['Receipts.Admin'] });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope or role', 'receipts.read'));
    });

    it('answers 403 without a scope attribute when no required value is a scope token', async () => {
      const res = await get('/role-accented', { roles: [] });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required role"',
      );
    });

    it('lists a value required both as a scope and as a role once in the challenge', async () => {
      const res = await get('/either-same-name', {});
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope or role', 'receipts.read'));
    });
  });

  describe('chains and realms', () => {
    it('runs chained guards in order and answers for the first that fails', async () => {
      expect((await get('/chained', { scope: 'receipts.read', roles: ['Receipts.Admin'] })).status).toBe(200);
      const noRole = await get('/chained', { scope: 'receipts.read' });
      expect(noRole.headers['www-authenticate']).toBe(forbidden('role', 'Receipts.Admin'));
      const noScope = await get('/chained', { roles: ['Receipts.Admin'] });
      expect(noScope.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.read'));
    });

    it('answers 403 in the realm of the verifier that authenticated the request', async () => {
      const res = await get('/realm', { scope: 'receipts.read' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.write', 'receipts'));
    });

    it('answers 403 in the realm of the verifier even when the guard names another realm', async () => {
      const res = await get('/realm-option-with-identity', { scope: 'receipts.read' });
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.write', 'receipts'));
    });

    it.each(['/no-auth-realm', '/no-auth-role-realm', '/no-auth-either-realm', '/forged-realm'])(
      'answers 401 in the realm of the guard option on %s, where no identity is present',
      async (path) => {
        const res = await get(path, { scope: 'receipts.read', roles: ['Receipts.Admin'] });
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="receipts"');
      },
    );

    it('answers 401 in the realm of the verifier when the token is missing', async () => {
      const res = await get('/realm');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="receipts"');
    });
  });

  describe('failing closed', () => {
    it.each(['/no-auth', '/no-auth-role', '/no-auth-either'])('answers 401 on %s, where no authenticate() runs', async (path) => {
      const res = await get(path, { scope: 'receipts.read', roles: ['Receipts.Admin'] });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
    });

    it.each(['/no-auth', '/no-auth-role', '/no-auth-either', '/forged'])(
      'passes an AuthenticationRequiredError, a kind of MissingTokenError, on %s',
      async (path) => {
        seen.length = 0;
        const res = await get(path);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe(BARE);
        expect(seen).toHaveLength(1);
        const error = seen[0];
        expect(error).toBeInstanceOf(AuthenticationRequiredError);
        expect(error).toBeInstanceOf(MissingTokenError);
        expect(isAuthError(error)).toBe(true);
        expect(error).toMatchObject({
          name: 'AuthenticationRequiredError',
          status: 401,
          statusCode: 401,
          code: 'ERR_MISSING_TOKEN',
          reason: 'authentication_required',
          error: undefined,
          headers: { 'WWW-Authenticate': BARE },
        });
      },
    );

    it('answers 401 when req.auth is a look-alike object set by other code', async () => {
      const res = await get('/forged');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
    });

    it('answers 401 when req.auth is a string', async () => {
      const res = await get('/forged-string');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
    });
  });
});

describe('custom verifiers', () => {
  const auth: AuthInfo = Object.freeze({
    token: 'opaque',
    format: 'opaque',
    header: {},
    payload: {},
    issuer: 'https://login.example.com/',
    audience: [AUDIENCE],
    clientId: 'payments',
    scopes: ['receipts.read'],
    roles: [],
    isAppOnly: true,
    expiresAt: new Date(Date.now() + 60_000),
  });

  it.each(FRAMEWORKS)('guards trust the identity a custom verifier returns on $name', async ({ build }) => {
    const verifier: Verifier = { verify: async () => auth };
    const guard = authenticate(verifier, { realm: 'custom' });
    const app = build([
      { path: '/read', chain: [guard, requireScopes('receipts.read')] },
      { path: '/write', chain: [guard, requireScopes('receipts.write')] },
    ]);
    const ok = await request(app).get('/read').set('Authorization', 'Bearer opaque');
    expect(ok.status).toBe(200);
    expect(ok.body.clientId).toBe('payments');
    const denied = await request(app).get('/write').set('Authorization', 'Bearer opaque');
    expect(denied.status).toBe(403);
    expect(denied.headers['www-authenticate']).toBe(forbidden('scope', 'receipts.write', 'custom'));
    const missing = await request(app).get('/read');
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="custom"');
  });

  it.each(FRAMEWORKS)('passes an unexpected verifier failure on as it is, not as a 401, on $name', async ({ build }) => {
    const failing: Verifier = { verify: () => Promise.reject(new Error('bug in a custom verifier')) };
    const throwing: Verifier = {
      verify: () => {
        throw new Error('synchronous bug');
      },
    };
    const app = build([
      { path: '/async', chain: [authenticate(failing)] },
      { path: '/sync', chain: [authenticate(throwing)] },
    ]);
    for (const path of ['/async', '/sync']) {
      const res = await request(app).get(path).set('Authorization', 'Bearer opaque');
      expect(res.status).toBe(500);
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });
});

describe('guard creation', () => {
  it.each([
    ['requireRoles with a space', () => requireRoles('Receipts Admin')],
    ['requireRoles with a non-ASCII letter', () => requireRoles(['Gérant', '管理者'])],
    ['requireScopesOrRoles with a spaced role', () => requireScopesOrRoles({ roles: ['Receipts Admin'] })],
    ['every option given', () => requireScopes('a', { match: 'any', realm: 'receipts' })],
    ['options left undefined', () => requireRoles('a', { match: undefined, realm: undefined })],
  ])('creates a guard for %s', (_name, create) => {
    expect(create().length).toBe(3);
  });

  it('makes three-parameter middleware, so Connect never takes them for error handlers', () => {
    expect(requireScopes('a').length).toBe(3);
    expect(requireRoles('a').length).toBe(3);
    expect(requireScopesOrRoles({ scopes: ['a'] }).length).toBe(3);
    expect(authenticate({ issuer: 'https://login.example.com/', audience: AUDIENCE }).length).toBe(3);
    expect(authenticate(createVerifier({ issuer: 'https://login.example.com/', audience: AUDIENCE })).length).toBe(3);
  });

  it.each<[string, () => unknown, RegExp]>([
    ['requireScopes with no scope', () => requireScopes([]), /requireScopes\(\) argument "scopes"/],
    ['requireScopes with a space-separated string', () => requireScopes('a b'), /for several scopes pass an array: \['a', 'b'\]/],
    ['requireScopes with a quote', () => requireScopes('a"b'), /requireScopes\(\) argument "scopes"/],
    ['requireScopes with a bad match', () => requireScopes('a', { match: 'some' as 'any' }), /requireScopes\(\) option "match"/],
    ['requireRoles with no role', () => requireRoles([]), /requireRoles\(\) argument "roles"/],
    ['requireRoles with a non-string', () => requireRoles([1 as unknown as string]), /requireRoles\(\) argument "roles"/],
    ['requireRoles with a bad match', () => requireRoles('a', { match: 'ALL' as 'all' }), /requireRoles\(\) option "match"/],
    ['requireScopesOrRoles with nothing', () => requireScopesOrRoles({}), /at least one scope or role/],
    ['requireScopesOrRoles with empty lists', () => requireScopesOrRoles({ scopes: [], roles: [] }), /at least one scope or role/],
    ['requireScopesOrRoles with a string for scopes', () => requireScopesOrRoles({ scopes: 'a b' as unknown as string[] }), /scopes/],
    ['requireScopesOrRoles with null', () => requireScopesOrRoles(null as never), /requireScopesOrRoles/],
    ['requireScopes with an unknown option', () => requireScopes('a', { mode: 'any' } as never), /requireScopes\(\) option "mode" is not a known option/],
    ['requireRoles with an unknown option', () => requireRoles('a', { matches: 'any' } as never), /requireRoles\(\) option "matches"/],
    ['requireScopesOrRoles with match', () => requireScopesOrRoles({ scopes: ['a'] }, { match: 'any' } as never), /requireScopesOrRoles\(\) option "match"/],
    ['requireScopesOrRoles with an unknown requirement', () => requireScopesOrRoles({ scopes: ['a'], role: ['B'] } as never), /requireScopesOrRoles\(\) argument "required.role"/],
    ['requireScopes with null options', () => requireScopes('a', null as never), /requireScopes\(\) option "options"/],
    ['requireRoles with array options', () => requireRoles('a', [] as never), /requireRoles\(\) option "options"/],
    ['requireScopes with an empty realm', () => requireScopes('a', { realm: '' }), /requireScopes\(\) option "realm"/],
    ['requireRoles with a quote in the realm', () => requireRoles('a', { realm: 'a"b' }), /requireRoles\(\) option "realm"/],
    ['requireScopesOrRoles with a non-string realm', () => requireScopesOrRoles({ roles: ['A'] }, { realm: 7 as never }), /requireScopesOrRoles\(\) option "realm"/],
    ['requireRoles with an empty role', () => requireRoles(''), /requireRoles\(\) argument "roles"/],
    ['requireRoles with a line feed', () => requireRoles('Receipts\nAdmin'), /requireRoles\(\) argument "roles"/],
    ['requireScopesOrRoles with a control character in a role', () => requireScopesOrRoles({ roles: ['Admin\u0000'] }), /roles/],
    ['requireScopesOrRoles with a space in a scope', () => requireScopesOrRoles({ scopes: ['receipts read'] }), /scopes/],
  ])('throws a TypeError for %s', (_name, create, message) => {
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });
});
