/**
 * The Auth0, Okta, Keycloak, Amazon Cognito and RFC 9068 (OpenIddict, node-oidc-provider) presets over
 * real HTTP on every framework, with tokens of the shapes those issuers document, signed by a local key
 * set served in the metadata and key-set layout each issuer uses, with the preset's output unchanged:
 *
 * - Okta, OpenIddict, node-oidc-provider, Keycloak: the issuer itself lives on 127.0.0.1 and keys are found
 *   the way the preset finds them (Okta's `<issuer>/.well-known/oauth-authorization-server` → `/v1/keys`,
 *   OpenID discovery → the server's own `jwks_uri`, Keycloak's `…/protocol/openid-connect/certs`).
 * - Auth0 and Cognito: the preset derives `https://` URLs from the domain or pool, so the issuers keep their
 *   real strings and `keys.fetch` routes those hosts to 127.0.0.1 (see `support.ts`).
 */
import type { Server } from 'node:http';
import type { JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth0,
  authenticate,
  cognito,
  keycloak,
  okta,
  requireRoles,
  requireScopes,
  rfc9068,
  type VerifierOptions,
} from '../../src/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS, type AppFactory, type TestRoute } from '../helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';
import { routeHosts, startLayoutServer, type HostRouter, type LayoutServer } from './support.js';

const DESCRIPTIONS: Record<string, string> = {
  audience_mismatch: 'The access token audience is not accepted',
  issuer_mismatch: 'The access token could not be verified',
  token_type_invalid: 'The access token type is not accepted',
};

const nowSec = (): number => Math.floor(Date.now() / 1000);

function expectRejected(res: request.Response, reason: string): void {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ reason });
  expect(res.headers['www-authenticate']).toBe(
    `Bearer realm="api", error="invalid_token", error_description="${DESCRIPTIONS[reason]}"`,
  );
}

function expectForbidden(res: request.Response, reason: string, description: string, scope: string): void {
  expect(res.status).toBe(403);
  expect(res.body).toEqual({ reason });
  expect(res.headers['www-authenticate']).toBe(
    `Bearer realm="api", error="insufficient_scope", error_description="${description}", scope="${scope}"`,
  );
}

function apiFor(build: AppFactory, options: VerifierOptions, routes: (guard: TestRoute['chain'][number]) => TestRoute[]): Server {
  return build(routes(authenticate(options)), reasonErrorHandler);
}

function get(app: Server, path: string, token: string): request.Test {
  return request(app).get(path).set('Authorization', `Bearer ${token}`);
}

let key: TestKey;
beforeAll(async () => {
  key = await createTestKey('RS256');
});

describe('Auth0', () => {
  const DOMAIN = 'example.eu.auth0.com';
  const ISSUER = `https://${DOMAIN}/`;
  const API = 'https://receipts.example.com';
  const M2M_CLIENT = 'Xy3pQ9rT2vW8zB1nM4kL7hJ6gF5dS0aE';
  const SPA_CLIENT = 'aB9cD8eF7gH6iJ5kL4mN3oP2qR1sT0uV';
  let server: LayoutServer;
  let router: HostRouter;
  beforeAll(async () => {
    server = await startLayoutServer(() => ({ '/.well-known/jwks.json': { keys: [key.jwk] } }));
    router = routeHosts({ [DOMAIN]: server.url });
  });
  afterAll(() => server.close());

  const options = (extra: Partial<Parameters<typeof auth0>[0]> = {}): VerifierOptions => ({
    ...auth0({ domain: DOMAIN, audience: API, ...extra }),
    keys: { fetch: router.fetch },
  });

  /** A client-credentials token with RBAC "Add Permissions in the Access Token" on. */
  const m2m = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: ISSUER,
    sub: `${M2M_CLIENT}@clients`,
    aud: API,
    scope: 'read:receipts',
    gty: 'client-credentials',
    azp: M2M_CLIENT,
    permissions: ['read:receipts', 'write:receipts'],
    ...overrides,
  });

  const routes = (guard: TestRoute['chain'][number]): TestRoute[] => [
    { path: '/receipts', chain: [guard, requireScopes('read:receipts')] },
    { path: '/receipts/write', chain: [guard, requireScopes('write:receipts')] },
    { path: '/admin', chain: [guard, requireRoles('admin')] },
  ];

  describe.each(FRAMEWORKS)('$name', ({ build }) => {
    it('accepts a client-credentials token: azp is the caller, scope and permissions are its scopes, isAppOnly from gty', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts', await signToken(key, m2m(), { header: { typ: 'JWT' } }));
      expect(res.status).toBe(200);
      expect(router.requested).toContain(`https://${DOMAIN}/.well-known/jwks.json`);
      expect(res.body).toEqual({
        clientId: M2M_CLIENT,
        tenantId: null,
        scopes: ['read:receipts', 'write:receipts'],
        roles: [],
        subject: `${M2M_CLIENT}@clients`,
        isAppOnly: true,
      });
    });

    it('grants a scope present only in the RBAC permissions claim', async () => {
      const token = await signToken(key, m2m({ scope: '', permissions: ['write:receipts'] }));
      const app = apiFor(build, options(), routes);
      expect((await get(app, '/receipts/write', token)).status).toBe(200);
      expectForbidden(await get(app, '/receipts', token), 'scope_missing', 'The access token lacks a required scope', 'read:receipts');
    });

    it('accepts a user token whose aud is an array with the userinfo audience', async () => {
      const token = await signToken(key, {
        iss: ISSUER,
        sub: 'auth0|64f1c2d3e4a5b6c7d8e9f0a1',
        aud: [API, `https://${DOMAIN}/userinfo`],
        azp: SPA_CLIENT,
        scope: 'openid profile email read:receipts',
        permissions: ['read:receipts'],
      });
      const res = await get(apiFor(build, options(), routes), '/receipts', token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: SPA_CLIENT, subject: 'auth0|64f1c2d3e4a5b6c7d8e9f0a1', isAppOnly: false });
    });

    it('accepts a token of the Auth0 RFC 9068 profile (typ at+jwt, client_id)', async () => {
      const token = await signToken(
        key,
        { iss: ISSUER, sub: `${M2M_CLIENT}@clients`, aud: API, client_id: M2M_CLIENT, scope: 'read:receipts', jti: 'a1b2c3d4' },
        { header: { typ: 'at+jwt' } },
      );
      const res = await get(apiFor(build, options(), routes), '/receipts', token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: M2M_CLIENT, isAppOnly: true });
    });

    it('answers 401 issuer_mismatch for an issuer without its trailing slash', async () => {
      const token = await signToken(key, m2m({ iss: `https://${DOMAIN}` }));
      expectRejected(await get(apiFor(build, options(), routes), '/receipts', token), 'issuer_mismatch');
    });

    it('reads roles from the namespaced claim an Action writes', async () => {
      const app = apiFor(build, options({ rolesClaim: 'https://receipts.example.com/roles' }), routes);
      const admin = await signToken(key, m2m({ 'https://receipts.example.com/roles': ['admin'] }));
      const res = await get(app, '/admin', admin);
      expect(res.status).toBe(200);
      expect(res.body.roles).toEqual(['admin']);
      expectForbidden(await get(app, '/admin', await signToken(key, m2m())), 'role_missing', 'The access token lacks a required role', 'admin');
    });
  });
});

describe('Okta', () => {
  const CLIENT = '0oa8f3k2lmXyZ1AbC5d7';
  const METADATA_PATH = '/oauth2/default/.well-known/oauth-authorization-server';
  const KEYS_PATH = '/oauth2/default/v1/keys';
  /** The org: `http://127.0.0.1:<port>`; the custom authorization server's issuer is `<org>/oauth2/default`. */
  let server: LayoutServer;
  let issuer: string;
  beforeAll(async () => {
    // A custom authorization server publishes RFC 8414 metadata under its issuer, keys at `<issuer>/v1/keys`.
    server = await startLayoutServer((org) => ({
      [METADATA_PATH]: {
        issuer: `${org}/oauth2/default`,
        authorization_endpoint: `${org}/oauth2/default/v1/authorize`,
        token_endpoint: `${org}/oauth2/default/v1/token`,
        jwks_uri: `${org}${KEYS_PATH}`,
        response_types_supported: ['code', 'token'],
        grant_types_supported: ['authorization_code', 'client_credentials', 'refresh_token'],
      },
      [KEYS_PATH]: { keys: [key.jwk] },
    }));
    issuer = `${server.url}/oauth2/default`;
  });
  afterAll(() => server.close());

  const options = (): VerifierOptions => okta({ issuer, audience: 'api://default' });
  const routes = (guard: TestRoute['chain'][number]): TestRoute[] => [
    { path: '/receipts', chain: [guard, requireScopes('receipts:read')] },
    { path: '/receipts/write', chain: [guard, requireScopes('receipts:write')] },
  ];
  const clientCredentials = (overrides: JWTPayload = {}): JWTPayload => ({
    ver: 1,
    jti: 'AT.qH8wL0a1rX3cVn5bT2yU7iO9pE4sD6fG8hJ1kL3zX5c',
    iss: issuer,
    aud: 'api://default',
    cid: CLIENT,
    scp: ['receipts:read'],
    sub: CLIENT,
    ...overrides,
  });

  describe.each(FRAMEWORKS)('$name', ({ build }) => {
    it('accepts a client-credentials token: scp array as scopes, cid as the caller, isAppOnly from sub', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts', await signToken(key, clientCredentials()));
      expect(res.status).toBe(200);
      expect(server.hits.get(METADATA_PATH)).toBeGreaterThan(0);
      expect(server.hits.get(KEYS_PATH)).toBeGreaterThan(0);
      expect(res.body).toEqual({
        clientId: CLIENT,
        tenantId: null,
        scopes: ['receipts:read'],
        roles: [],
        subject: CLIENT,
        isAppOnly: true,
      });
    });

    it('accepts a user token and reports isAppOnly false', async () => {
      const token = await signToken(
        key,
        clientCredentials({ sub: 'ada@example.com', uid: '00u1a2b3c4d5e6f7g8h9', scp: ['openid', 'receipts:read'], auth_time: nowSec() }),
      );
      const res = await get(apiFor(build, options(), routes), '/receipts', token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: CLIENT, subject: 'ada@example.com', isAppOnly: false });
    });

    it('answers 403 insufficient_scope when the scp array lacks the scope', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts/write', await signToken(key, clientCredentials()));
      expectForbidden(res, 'scope_missing', 'The access token lacks a required scope', 'receipts:write');
    });

    it('answers 401 issuer_mismatch for a token of the org authorization server', async () => {
      const token = await signToken(key, clientCredentials({ iss: server.url }));
      expectRejected(await get(apiFor(build, options(), routes), '/receipts', token), 'issuer_mismatch');
    });

    it('reads groups as roles when extended by spreading its claims, keeping cid as the caller', async () => {
      const preset = okta({ issuer, audience: 'api://default' });
      const extended = { ...preset, claims: { ...preset.claims, roles: ['groups'] } };
      const app = build([{ path: '/admin', chain: [authenticate(extended), requireRoles('Receipts Admins')] }], reasonErrorHandler);
      const token = await signToken(key, clientCredentials({ sub: 'ada@example.com', groups: ['Everyone', 'Receipts Admins'] }));
      const res = await get(app, '/admin', token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: CLIENT, roles: ['Everyone', 'Receipts Admins'] });
    });

    it('reads cid only through the preset\'s claims: profile "okta" alone adds no claim location', async () => {
      const handWritten: VerifierOptions = { profile: 'okta', issuer, audience: 'api://default' };
      const res = await get(apiFor(build, handWritten, routes), '/receipts', await signToken(key, clientCredentials()));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: null, scopes: ['receipts:read'], isAppOnly: false });
    });
  });
});

describe('Keycloak', () => {
  let server: IssuerServer;
  let issuer: string;
  beforeAll(async () => {
    server = await startIssuerServer({ jwksPath: '/realms/shop/protocol/openid-connect/certs', keys: [key.jwk] });
    issuer = `${server.url}/realms/shop`;
  });
  afterAll(() => server.close());

  const options = (): VerifierOptions =>
    keycloak({ url: server.url, realm: 'shop', audience: 'receipts-api', clientRoles: ['receipts-api', 'billing.v2'] });
  const routes = (guard: TestRoute['chain'][number]): TestRoute[] => [
    { path: '/receipts', chain: [guard, requireRoles('receipts.write')] },
    { path: '/account', chain: [guard, requireRoles('manage-account')] },
  ];
  /** A service-account (client-credentials) access token with an audience mapper for `receipts-api`. */
  const serviceAccount = (overrides: JWTPayload = {}): JWTPayload => ({
    jti: 'trrtcc:2f0c1d3e-4b5a-4968-8776-a5b4c3d2e1f0',
    iss: issuer,
    aud: ['receipts-api', 'account'],
    sub: '4c1f8e2a-9b3d-4e7f-a6c5-0d2b1e3f4a5c',
    typ: 'Bearer',
    azp: 'payments',
    acr: '1',
    'allowed-origins': ['/*'],
    realm_access: { roles: ['default-roles-shop', 'offline_access', 'uma_authorization'] },
    resource_access: {
      'receipts-api': { roles: ['receipts.write'] },
      'billing.v2': { roles: ['invoices.read'] },
      account: { roles: ['manage-account', 'view-profile'] },
    },
    scope: 'profile email',
    clientHost: '10.0.0.12',
    email_verified: false,
    preferred_username: 'service-account-payments',
    clientAddress: '10.0.0.12',
    client_id: 'payments',
    ...overrides,
  });

  describe.each(FRAMEWORKS)('$name', ({ build }) => {
    it('accepts a service-account token: realm roles plus the listed clients\' roles, azp/client_id as the caller', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts', await signToken(key, serviceAccount(), { header: { typ: 'JWT' } }));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        clientId: 'payments',
        tenantId: null,
        scopes: ['profile', 'email'],
        roles: ['default-roles-shop', 'offline_access', 'uma_authorization', 'receipts.write', 'invoices.read'],
        subject: '4c1f8e2a-9b3d-4e7f-a6c5-0d2b1e3f4a5c',
        isAppOnly: true,
      });
    });

    it('does not count the roles of clients that are not listed', async () => {
      const res = await get(apiFor(build, options(), routes), '/account', await signToken(key, serviceAccount()));
      expectForbidden(res, 'role_missing', 'The access token lacks a required role', 'manage-account');
    });

    it('accepts a user token and reports isAppOnly false', async () => {
      const token = await signToken(
        key,
        serviceAccount({ azp: 'shop-frontend', client_id: undefined, preferred_username: 'ada', sid: 'b2c3d4e5' }),
      );
      const res = await get(apiFor(build, options(), routes), '/receipts', token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: 'shop-frontend', isAppOnly: false });
    });

    it('answers 401 token_type_invalid for an ID token, whatever its audience', async () => {
      const app = apiFor(build, options(), routes);
      const idToken = serviceAccount({ typ: 'ID', aud: 'payments', nonce: 'n-0S6_WzA2Mj', auth_time: nowSec(), at_hash: 'x1Y2z3' });
      expectRejected(await get(app, '/receipts', await signToken(key, idToken)), 'token_type_invalid');
      expectRejected(await get(app, '/receipts', await signToken(key, { ...idToken, aud: 'receipts-api' })), 'token_type_invalid');
    });

    it('answers 401 token_type_invalid for a token without the Bearer typ claim', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts', await signToken(key, serviceAccount({ typ: undefined })));
      expectRejected(res, 'token_type_invalid');
    });

    it('answers 401 audience_mismatch for an access token without an audience mapper', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts', await signToken(key, serviceAccount({ aud: 'account' })));
      expectRejected(res, 'audience_mismatch');
    });

    it('keeps its client roles and its Bearer typ requirement when extended by spreading claims and requiredClaims', async () => {
      const preset = keycloak({ url: server.url, realm: 'shop', audience: 'receipts-api', clientRoles: ['receipts-api'] });
      const extended: VerifierOptions = {
        ...preset,
        claims: { ...preset.claims, roles: [...preset.claims.roles, 'groups'] },
        requiredClaims: { ...preset.requiredClaims, acr: '1' },
      };
      const app = apiFor(build, extended, (guard) => [
        { path: '/receipts', chain: [guard, requireRoles('receipts.write')] },
        { path: '/groups', chain: [guard, requireRoles('/accountants')] },
      ]);
      const token = await signToken(key, serviceAccount({ groups: ['/accountants'] }));
      expect((await get(app, '/receipts', token)).status).toBe(200);
      expect((await get(app, '/groups', token)).status).toBe(200);
      expectRejected(await get(app, '/receipts', await signToken(key, serviceAccount({ typ: 'ID', groups: ['/accountants'] }))), 'token_type_invalid');
    });
  });
});

describe('Amazon Cognito', () => {
  const REGION = 'eu-west-1';
  const POOL = 'eu-west-1_AbCdEf123';
  const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
  const CLIENT = '5p1q2r3s4t5u6v7w8x9y0zexample';
  let server: LayoutServer;
  let router: HostRouter;
  beforeAll(async () => {
    server = await startLayoutServer(() => ({ [`/${POOL}/.well-known/jwks.json`]: { keys: [key.jwk] } }));
    router = routeHosts({ [`cognito-idp.${REGION}.amazonaws.com`]: server.url });
  });
  afterAll(() => server.close());

  const options = (): VerifierOptions => ({
    ...cognito({ region: REGION, userPoolId: POOL, clientIds: [CLIENT] }),
    keys: { fetch: router.fetch },
  });
  const routes = (guard: TestRoute['chain'][number]): TestRoute[] => [
    { path: '/receipts', chain: [guard] },
    { path: '/receipts/write', chain: [guard, requireScopes('receipts/write')] },
  ];
  /** A client-credentials access token: no `aud`, the app client in `client_id` and `sub`. */
  const clientCredentials = (overrides: JWTPayload = {}): JWTPayload => ({
    sub: CLIENT,
    token_use: 'access',
    scope: 'receipts/read receipts/write',
    auth_time: nowSec(),
    iss: ISSUER,
    version: 2,
    jti: '5d1c2b3a-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
    client_id: CLIENT,
    ...overrides,
  });

  describe.each(FRAMEWORKS)('$name', ({ build }) => {
    it('accepts a client-credentials token without aud, checking client_id instead', async () => {
      const res = await get(apiFor(build, options(), routes), '/receipts/write', await signToken(key, clientCredentials()));
      expect(router.requested).toContain(`${ISSUER}/.well-known/jwks.json`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        clientId: CLIENT,
        tenantId: null,
        scopes: ['receipts/read', 'receipts/write'],
        roles: [],
        subject: CLIENT,
        isAppOnly: true,
      });
    });

    it('accepts a user access token and reads its groups as roles', async () => {
      const token = await signToken(
        key,
        clientCredentials({
          sub: '7b2c4d6e-8f0a-4b1c-9d3e-5f7a9b1c3d5e',
          'cognito:groups': ['accountants'],
          origin_jti: 'b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e',
          event_id: 'c2d3e4f5-a6b7-4c8d-9e0f-1a2b3c4d5e6f',
          scope: 'aws.cognito.signin.user.admin',
          username: 'ada',
        }),
      );
      const res = await get(apiFor(build, options(), routes), '/receipts', token);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ roles: ['accountants'], isAppOnly: false });
    });

    it('answers 401 audience_mismatch for an app client that is not listed', async () => {
      const token = await signToken(key, clientCredentials({ client_id: 'othercl1ent', sub: 'othercl1ent' }));
      expectRejected(await get(apiFor(build, options(), routes), '/receipts', token), 'audience_mismatch');
    });

    it('answers 401 token_type_invalid for an ID token', async () => {
      const idToken = {
        sub: '7b2c4d6e-8f0a-4b1c-9d3e-5f7a9b1c3d5e',
        aud: CLIENT,
        email_verified: true,
        token_use: 'id',
        auth_time: nowSec(),
        iss: ISSUER,
        'cognito:username': 'ada',
        email: 'ada@example.com',
      };
      expectRejected(await get(apiFor(build, options(), routes), '/receipts', await signToken(key, idToken)), 'token_type_invalid');
    });

    it('answers 401 token_type_invalid for a token without aud whose token_use is id', async () => {
      // Passes the client_id check that replaces aud: only token_use tells it is not an access token.
      const token = await signToken(key, clientCredentials({ token_use: 'id', 'cognito:username': 'ada', email: 'ada@example.com' }));
      expectRejected(await get(apiFor(build, options(), routes), '/receipts', token), 'token_type_invalid');
    });

    it('answers 401 audience_mismatch for an access token that carries an aud', async () => {
      const token = await signToken(key, clientCredentials({ aud: CLIENT }));
      expectRejected(await get(apiFor(build, options(), routes), '/receipts', token), 'audience_mismatch');
    });
  });
});

describe('RFC 9068 issuers: node-oidc-provider and OpenIddict', () => {
  /**
   * One host, two issuers in their own layouts: OpenIddict at the root (issuer with its trailing slash,
   * keys at `/.well-known/jwks`) and node-oidc-provider mounted under `/oidc` (keys at `<issuer>/jwks`). Each
   * publishes OpenID discovery metadata under its issuer.
   */
  let server: LayoutServer;
  let openIddictIssuer: string;
  let oidcProviderIssuer: string;
  beforeAll(async () => {
    server = await startLayoutServer((url) => ({
      '/.well-known/openid-configuration': {
        issuer: `${url}/`,
        jwks_uri: `${url}/.well-known/jwks`,
        token_endpoint: `${url}/connect/token`,
        grant_types_supported: ['client_credentials'],
      },
      '/.well-known/jwks': { keys: [key.jwk] },
      '/oidc/.well-known/openid-configuration': {
        issuer: `${url}/oidc`,
        jwks_uri: `${url}/oidc/jwks`,
        token_endpoint: `${url}/oidc/token`,
        grant_types_supported: ['client_credentials'],
      },
      '/oidc/jwks': { keys: [key.jwk] },
    }));
    openIddictIssuer = `${server.url}/`;
    oidcProviderIssuer = `${server.url}/oidc`;
  });
  afterAll(() => server.close());

  const routes = (guard: TestRoute['chain'][number]): TestRoute[] => [
    { path: '/receipts', chain: [guard, requireScopes('receipts:read')] },
  ];
  /** node-oidc-provider's JWT access-token format for a client-credentials grant. */
  const oidcProvider = (): JWTPayload => ({
    jti: 'q3xJ0kP1vT8mZ2cR6bW4n',
    sub: 'payments',
    scope: 'receipts:read',
    client_id: 'payments',
    iss: oidcProviderIssuer,
    aud: 'receipts-api',
  });
  /** OpenIddict with access-token encryption disabled. */
  const openIddict = (): JWTPayload => ({
    iss: openIddictIssuer,
    aud: 'receipts-api',
    scope: 'receipts:read',
    jti: '0f9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c',
    sub: 'payments',
    oi_prst: 'payments',
    client_id: 'payments',
    oi_tkn_id: 'b7c6d5e4-f3a2-4b1c-8d0e-9f8a7b6c5d4e',
  });
  const issuers = {
    'node-oidc-provider': { issuer: () => oidcProviderIssuer, keys: '/oidc/jwks', shape: oidcProvider },
    OpenIddict: { issuer: () => openIddictIssuer, keys: '/.well-known/jwks', shape: openIddict },
  };
  const options = (name: keyof typeof issuers): VerifierOptions => rfc9068({ issuer: issuers[name].issuer(), audience: 'receipts-api' });

  describe.each(FRAMEWORKS)('$name', ({ build }) => {
    it.each(['node-oidc-provider', 'OpenIddict'] as const)(
      'accepts a %s at+jwt token, its keys found through its discovery metadata, and reads client_id and scope',
      async (name) => {
        const { keys, shape } = issuers[name];
        const res = await get(apiFor(build, options(name), routes), '/receipts', await signToken(key, shape(), { header: { typ: 'at+jwt' } }));
        expect(res.status).toBe(200);
        expect(server.hits.get(keys)).toBeGreaterThan(0);
        expect(res.body).toEqual({
          clientId: 'payments',
          tenantId: null,
          scopes: ['receipts:read'],
          roles: [],
          subject: 'payments',
          isAppOnly: true,
        });
      },
    );

    it('answers 401 issuer_mismatch for a token of the other issuer on the same host', async () => {
      const token = await signToken(key, openIddict(), { header: { typ: 'at+jwt' } });
      expectRejected(await get(apiFor(build, options('node-oidc-provider'), routes), '/receipts', token), 'issuer_mismatch');
    });

    it('accepts the media-type spelling application/at+jwt', async () => {
      const token = await signToken(key, oidcProvider(), { header: { typ: 'application/at+jwt' } });
      expect((await get(apiFor(build, options('node-oidc-provider'), routes), '/receipts', token)).status).toBe(200);
    });

    it('answers 401 token_type_invalid for a token typed JWT or untyped', async () => {
      const app = apiFor(build, options('node-oidc-provider'), routes);
      expectRejected(await get(app, '/receipts', await signToken(key, oidcProvider(), { header: { typ: 'JWT' } })), 'token_type_invalid');
      expectRejected(await get(app, '/receipts', await signToken(key, oidcProvider())), 'token_type_invalid');
    });
  });
});
