/**
 * Microsoft Entra ID over real HTTP on every framework: v1.0 and v2.0 tokens of the shapes Entra issues,
 * single- and multi-tenant, the signing keys' own `issuer` member, the tenant and client allow-lists,
 * app-only versus delegated callers, and the Entra-specific rejection reasons.
 *
 * Key sets are served the way Entra lays them out: `/<tenant>/discovery/v2.0/keys` (keys carrying that
 * tenant's issuer) and `/common/discovery/v2.0/keys` (keys carrying the `{tenantid}` template). The preset's
 * own output is used unchanged: its `https://login.microsoftonline.com/…` key-set URLs are fetched through
 * `keys.fetch` routed to a server on 127.0.0.1 (the preset derives HTTPS URLs, which a loopback test server
 * cannot answer). Issuers stay Entra's own strings.
 */
import type { Server } from 'node:http';
import type { JWK, JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  entraId,
  requireScopesOrRoles,
  type EntraIdOptions,
  type VerifierOptions,
} from '../../src/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS, type AppFactory } from '../helpers/frameworks.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';
import { routeHosts, startLayoutServer, type HostRouter, type LayoutServer } from './support.js';

const TENANT_A = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const TENANT_B = '2b7e9c41-6d3a-4f8e-a1c2-93d4e5f60718';
const TENANT_C = 'c0ffee00-1234-4abc-8def-0123456789ab';
/** The protected API's application (client) id. */
const API = '0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
/** The calling daemon's application (client) id. */
const DAEMON = 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d';
const OTHER_APP = '5e4d3c2b-1a0f-4e9d-8c7b-6a5f4e3d2c1b';
const SERVICE_PRINCIPAL = '3c9a1e7b-5d2f-4b8a-9e6c-1f0d2b3a4c5e';
const GRAPH = '00000003-0000-0000-c000-000000000000';
const TEMPLATE_ISSUER = 'https://login.microsoftonline.com/{tenantid}/v2.0';
/** The tenant of personal Microsoft accounts. */
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const TENANT_KEYS_PATH = `/${TENANT_A}/discovery/v2.0/keys`;
const COMMON_KEYS_PATH = '/common/discovery/v2.0/keys';

const v2Issuer = (tid: string): string => `https://login.microsoftonline.com/${tid}/v2.0`;
const v1Issuer = (tid: string): string => `https://sts.windows.net/${tid}/`;
const nowSec = (): number => Math.floor(Date.now() / 1000);

const CHALLENGE: Record<string, string> = {
  audience_mismatch: 'The access token audience is not accepted',
  client_not_allowed: 'The calling application is not allowed',
  foreign_resource_token: 'The access token was issued for another resource',
  key_issuer_mismatch: 'The access token signing key belongs to another issuer',
  tenant_mismatch: 'The access token could not be verified',
  tenant_not_allowed: 'The access token could not be verified',
  token_version_mismatch: 'The access token could not be verified',
  token_type_invalid: 'The access token type is not accepted',
};

/** A key as Entra publishes it: no `alg`, `x5t` equal to `kid`, optional `issuer`. */
function entraJwk(key: TestKey, issuer?: string): JWK {
  const { kty, n, e } = key.jwk;
  const jwk: Record<string, unknown> = { kty, use: 'sig', kid: key.kid, x5t: key.kid, n, e, cloud_instance_name: 'microsoftonline.com' };
  if (issuer !== undefined) jwk.issuer = issuer;
  return jwk as JWK;
}

/** A v2.0 client-credentials token (app permissions in `roles`, `idtyp` optional claim on). */
function appOnlyV2(tid: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    aud: API,
    iss: v2Issuer(tid),
    nbf: nowSec(),
    aio: 'k2BgYDgnvHxbN1H3Xw9dPpMo8fFMAQ==',
    azp: DAEMON,
    azpacr: '1',
    idtyp: 'app',
    oid: SERVICE_PRINCIPAL,
    rh: '0.AXQAPi3c8VtKbEyefwobLD1OXyo7DA0PH51NmLem9eTTwrEAAAA.',
    roles: ['Receipts.Read.All'],
    sub: SERVICE_PRINCIPAL,
    tid,
    uti: 'nHxY3s6pV0WqZ1uQ1T9cAA',
    ver: '2.0',
    ...overrides,
  };
}

/** A v1.0 client-credentials token: `appid`, App ID URI audience, no `idtyp` (optional claim off). */
function appOnlyV1(tid: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    aud: `api://${API}`,
    iss: v1Issuer(tid),
    nbf: nowSec(),
    aio: 'E2ZgYLj+1dn3xqL7k4X1uOcAAA==',
    appid: DAEMON,
    appidacr: '1',
    idp: v1Issuer(tid),
    oid: SERVICE_PRINCIPAL,
    rh: '0.AXQAPi3c8VtKbEyefwobLD1OXyo7DA0PH51NmLem9eTTwrEAAAA.',
    roles: ['Receipts.Read.All'],
    sub: SERVICE_PRINCIPAL,
    tid,
    uti: 'Zq4kP2bWbU6m2y0nX8QdAA',
    ver: '1.0',
    ...overrides,
  };
}

/** A v2.0 delegated token: a user signed in to the calling app, delegated scopes in `scp`. */
function delegatedV2(tid: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    aud: API,
    iss: v2Issuer(tid),
    nbf: nowSec(),
    aio: 'AVQAq/8XAAAA5m1Yz0x1vQ==',
    azp: DAEMON,
    azpacr: '0',
    name: 'Ada Lovelace',
    oid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    preferred_username: 'ada@contoso.example',
    rh: '0.AXQAPi3c8VtKbEyefwobLD1OXyo7DA0PH51NmLem9eTTwrEAAAA.',
    scp: 'Receipts.Read User.Read',
    sid: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    sub: 'q0Xk2V8b7sP1W4lYyZJ3d9mH5nR6tC2uE0aF8gI1jKo',
    tid,
    uti: 'bP1sQ8xLz0m3H2yT6uR4AA',
    ver: '2.0',
    ...overrides,
  };
}

/** Signs with Entra's header shape (`typ: JWT`; v1.0 tokens also carry `x5t`). */
function mint(key: TestKey, claims: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const x5t = claims.ver === '1.0' ? { x5t: key.kid } : {};
  return signToken(key, claims, { header: { typ: 'JWT', ...x5t, ...header } });
}

let entraKey: TestKey;
let tenantCKey: TestKey;
let legacyKey: TestKey;
let rogueKey: TestKey;
let cloud: LayoutServer;
let router: HostRouter;

beforeAll(async () => {
  entraKey = await createTestKey('RS256');
  tenantCKey = await createTestKey('RS256');
  legacyKey = await createTestKey('RS256');
  // Same `kid` as the real key, other material: what a Graph token's nonce-hashed signature looks like to us.
  rogueKey = await createTestKey('RS256', { kid: entraKey.kid });
  cloud = await startLayoutServer(() => ({
    [TENANT_KEYS_PATH]: { keys: [entraJwk(entraKey, v2Issuer(TENANT_A))] },
    [COMMON_KEYS_PATH]: {
      keys: [entraJwk(entraKey, TEMPLATE_ISSUER), entraJwk(tenantCKey, v2Issuer(TENANT_C)), entraJwk(legacyKey)],
    },
  }));
  router = routeHosts({ 'login.microsoftonline.com': cloud.url });
});

afterAll(() => cloud.close());

/** A single-tenant API; `keySet: 'common'` points it at the multi-tenant key set instead of its tenant's. */
function singleTenant(extra: Partial<EntraIdOptions> = {}, keySet: 'tenant' | 'common' = 'tenant'): VerifierOptions {
  const options = entraId({ tenantId: TENANT_A, clientId: API, ...extra });
  const jwksUri = keySet === 'common' ? { jwksUri: `https://login.microsoftonline.com${COMMON_KEYS_PATH}` } : {};
  return { ...options, ...jwksUri, keys: { fetch: router.fetch } };
}

function multiTenant(extra: Partial<EntraIdOptions> = {}, tenantId = 'organizations'): VerifierOptions {
  return { ...entraId({ tenantId, clientId: API, ...extra }), keys: { fetch: router.fetch } };
}

/** A v2.0 ID token of an app registration that is also the API: `aud` the API, `roles`, no `azp`/`appid`. */
function idTokenV2(tid: string, overrides: JWTPayload = {}): JWTPayload {
  return {
    aud: API,
    iss: v2Issuer(tid),
    nbf: nowSec(),
    nonce: 'n-0S6_WzA2Mj',
    oid: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
    preferred_username: 'ada@contoso.example',
    name: 'Ada Lovelace',
    roles: ['Receipts.Read.All'],
    sub: 'q0Xk2V8b7sP1W4lYyZJ3d9mH5nR6tC2uE0aF8gI1jKo',
    tid,
    uti: 'x2Lq8YbW0k6nS4tR9uV3AA',
    ver: '2.0',
    ...overrides,
  };
}

function apiFor(build: AppFactory, options: VerifierOptions): Server {
  const guard = authenticate(options);
  const readReceipts = requireScopesOrRoles({ scopes: ['Receipts.Read'], roles: ['Receipts.Read.All'] });
  return build([{ path: '/receipts', chain: [guard, readReceipts] }], reasonErrorHandler);
}

function call(app: Server, token: string): request.Test {
  return request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
}

function expectRejected(res: request.Response, reason: keyof typeof CHALLENGE & string): void {
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ reason });
  expect(res.headers['www-authenticate']).toBe(
    `Bearer realm="api", error="invalid_token", error_description="${CHALLENGE[reason]}"`,
  );
}

describe.each(FRAMEWORKS)('Entra ID on $name', ({ build }) => {
  describe('single-tenant API', () => {
    it('accepts a v2.0 app-only token and exposes the caller, tenant, roles and isAppOnly', async () => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, appOnlyV2(TENANT_A)));
      expect(res.status).toBe(200);
      expect(router.requested).toContain(`https://login.microsoftonline.com${TENANT_KEYS_PATH}`);
      expect(res.body).toEqual({
        clientId: DAEMON,
        tenantId: TENANT_A,
        scopes: [],
        roles: ['Receipts.Read.All'],
        subject: SERVICE_PRINCIPAL,
        isAppOnly: true,
      });
    });

    it('accepts a v1.0 app-only token, reading the caller from appid and isAppOnly from the absence of scp', async () => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, appOnlyV1(TENANT_A)));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ clientId: DAEMON, tenantId: TENANT_A, roles: ['Receipts.Read.All'], isAppOnly: true });
    });

    it.each([
      ['v2.0', 'the client id GUID', appOnlyV2, API],
      ['v2.0', 'the App ID URI', appOnlyV2, `api://${API}`],
      ['v1.0', 'the client id GUID', appOnlyV1, API],
      ['v1.0', 'the App ID URI', appOnlyV1, `api://${API}`],
    ])('accepts a %s token whose aud is %s', async (_version, _form, shape, aud) => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, shape(TENANT_A, { aud })));
      expect(res.status).toBe(200);
    });

    it('accepts a custom App ID URI and refuses the default one it replaces', async () => {
      const app = apiFor(build, singleTenant({ appIdUri: 'https://receipts.contoso.example' }));
      const custom = await call(app, await mint(entraKey, appOnlyV1(TENANT_A, { aud: 'https://receipts.contoso.example' })));
      expect(custom.status).toBe(200);
      expectRejected(await call(app, await mint(entraKey, appOnlyV1(TENANT_A))), 'audience_mismatch');
    });

    it('accepts a delegated token by its scope and reports isAppOnly false', async () => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, delegatedV2(TENANT_A)));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ scopes: ['Receipts.Read', 'User.Read'], roles: [], isAppOnly: false });
    });

    it('answers 403 insufficient_scope naming every accepted scope and role when an app token lacks the role', async () => {
      const token = await mint(entraKey, appOnlyV2(TENANT_A, { roles: ['Invoices.Read.All'] }));
      const res = await call(apiFor(build, singleTenant()), token);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ reason: 'scope_or_role_missing' });
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope or role", scope="Receipts.Read Receipts.Read.All"',
      );
    });

    it('answers 401 tenant_not_allowed for a token of another tenant', async () => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, appOnlyV2(TENANT_B)));
      expectRejected(res, 'tenant_not_allowed');
    });

    it('answers 401 token_version_mismatch for a v1.0 token sent to a v2.0-only API', async () => {
      const res = await call(apiFor(build, singleTenant({ acceptV1: false })), await mint(entraKey, appOnlyV1(TENANT_A)));
      expectRejected(res, 'token_version_mismatch');
    });

    it('answers 401 foreign_resource_token for a Microsoft Graph token, whatever failed first', async () => {
      const graph = appOnlyV1(TENANT_A, { aud: GRAPH, scp: 'User.Read', idtyp: 'user' });
      const app = apiFor(build, singleTenant());
      // Signed by a published key: only the audience is wrong.
      expectRejected(await call(app, await mint(entraKey, graph, { nonce: 'm8xWq0uPpE3zX2Jk' })), 'foreign_resource_token');
      // As Graph tokens really are: their signature does not verify outside Graph.
      expectRejected(await call(app, await mint(rogueKey, graph, { nonce: 'm8xWq0uPpE3zX2Jk' })), 'foreign_resource_token');
      // A v2.0-only API refuses it at the issuer check; the reason still names the real problem.
      const v2Only = apiFor(build, singleTenant({ acceptV1: false }));
      expectRejected(await call(v2Only, await mint(entraKey, graph)), 'foreign_resource_token');
    });

    it('answers 401 audience_mismatch for a token of another API of the same tenant', async () => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, appOnlyV2(TENANT_A, { aud: OTHER_APP })));
      expectRejected(res, 'audience_mismatch');
    });

    it('accepts only the allowed calling applications, by azp (v2.0) and appid (v1.0)', async () => {
      const app = apiFor(build, singleTenant({ allowedClientIds: [DAEMON.toUpperCase()] }));
      expect((await call(app, await mint(entraKey, appOnlyV2(TENANT_A)))).status).toBe(200);
      expect((await call(app, await mint(entraKey, appOnlyV1(TENANT_A)))).status).toBe(200);
      expectRejected(await call(app, await mint(entraKey, appOnlyV2(TENANT_A, { azp: OTHER_APP }))), 'client_not_allowed');
      expectRejected(await call(app, await mint(entraKey, appOnlyV1(TENANT_A, { appid: OTHER_APP }))), 'client_not_allowed');
    });

    it('takes the caller from azp or appid only, never from a client_id claim', async () => {
      const app = apiFor(build, singleTenant({ allowedClientIds: [DAEMON] }));
      const spoofed = await call(app, await mint(entraKey, appOnlyV2(TENANT_A, { azp: OTHER_APP, client_id: DAEMON })));
      expectRejected(spoofed, 'client_not_allowed');
      const extra = await call(app, await mint(entraKey, appOnlyV2(TENANT_A, { client_id: OTHER_APP })));
      expect(extra.status).toBe(200);
      expect(extra.body.clientId).toBe(DAEMON);
    });

    it('accepts a v1.0 token signed by a key published with the v2.0 issuer of the same tenant', async () => {
      // The tenant key set labels its keys `https://login.microsoftonline.com/<tenant>/v2.0` only.
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, appOnlyV1(TENANT_A)));
      expect(res.status).toBe(200);
    });

    it('answers 401 tenant_mismatch when a common-set key signs a token whose tid is not the tenant of its iss', async () => {
      const token = await mint(entraKey, appOnlyV2(TENANT_A, { tid: TENANT_B }));
      expectRejected(await call(apiFor(build, singleTenant({}, 'common')), token), 'tenant_mismatch');
    });

    it('answers 401 tenant_mismatch when the tid is not the configured tenant, even for a key of that tenant', async () => {
      // The tenant key set labels its key with exactly this `iss`; only `tid` disagrees.
      const app = apiFor(build, singleTenant());
      expectRejected(await call(app, await mint(entraKey, appOnlyV2(TENANT_A, { tid: TENANT_B }))), 'tenant_mismatch');
      expectRejected(await call(app, await mint(entraKey, appOnlyV1(TENANT_A, { tid: TENANT_B }))), 'tenant_mismatch');
      expectRejected(await call(app, await mint(entraKey, appOnlyV2(TENANT_A, { tid: undefined }))), 'tenant_mismatch');
    });

    it('answers 401 key_issuer_mismatch for a token signed by a key published for another tenant', async () => {
      const token = await mint(tenantCKey, appOnlyV2(TENANT_A));
      expectRejected(await call(apiFor(build, singleTenant({}, 'common')), token), 'key_issuer_mismatch');
    });

    it('answers 401 token_type_invalid for a v2.0 ID token whose aud is the API, though its roles would pass the guard', async () => {
      const app = apiFor(build, singleTenant());
      expectRejected(await call(app, await mint(entraKey, idTokenV2(TENANT_A))), 'token_type_invalid');
      // The same ID token issued to another application: refused for what it is, not for its audience.
      expectRejected(await call(app, await mint(entraKey, idTokenV2(TENANT_A, { aud: OTHER_APP }))), 'token_type_invalid');
    });

    it('answers 401 token_type_invalid for a v1.0 token without appid', async () => {
      const res = await call(apiFor(build, singleTenant()), await mint(entraKey, appOnlyV1(TENANT_A, { appid: undefined })));
      expectRejected(res, 'token_type_invalid');
    });
  });

  describe('multi-tenant API', () => {
    it('accepts tokens of any tenant whose iss matches its tid, v2.0 and v1.0', async () => {
      const app = apiFor(build, multiTenant());
      const fromB = await call(app, await mint(entraKey, appOnlyV2(TENANT_B)));
      expect(fromB.status).toBe(200);
      expect(fromB.body.tenantId).toBe(TENANT_B);
      const fromA = await call(app, await mint(entraKey, appOnlyV1(TENANT_A)));
      expect(fromA.status).toBe(200);
      expect(fromA.body.tenantId).toBe(TENANT_A);
    });

    it('answers 401 tenant_mismatch when the tenant in iss is not the tid', async () => {
      const app = apiFor(build, multiTenant());
      expectRejected(await call(app, await mint(entraKey, appOnlyV2(TENANT_A, { tid: TENANT_B }))), 'tenant_mismatch');
      expectRejected(await call(app, await mint(entraKey, appOnlyV1(TENANT_A, { tid: TENANT_B }))), 'tenant_mismatch');
    });

    it('answers 401 tenant_mismatch when the token has no tid', async () => {
      const res = await call(apiFor(build, multiTenant()), await mint(entraKey, appOnlyV2(TENANT_B, { tid: undefined })));
      expectRejected(res, 'tenant_mismatch');
    });

    it('accepts the allowed tenants only', async () => {
      const app = apiFor(build, multiTenant({ allowedTenants: [TENANT_A, TENANT_B.toUpperCase()] }));
      expect((await call(app, await mint(entraKey, appOnlyV2(TENANT_A)))).status).toBe(200);
      expect((await call(app, await mint(entraKey, appOnlyV1(TENANT_B)))).status).toBe(200);
      const other = await mint(entraKey, appOnlyV2('11111111-2222-4333-8444-555555555555'));
      expectRejected(await call(app, other), 'tenant_not_allowed');
    });

    it('answers 401 key_issuer_mismatch when a key published for one tenant signs a token of another', async () => {
      const res = await call(apiFor(build, multiTenant()), await mint(tenantCKey, appOnlyV2(TENANT_B)));
      expectRejected(res, 'key_issuer_mismatch');
    });

    it('accepts a token signed by the key published for its own tenant', async () => {
      const res = await call(apiFor(build, multiTenant()), await mint(tenantCKey, appOnlyV2(TENANT_C)));
      expect(res.status).toBe(200);
      expect(res.body.tenantId).toBe(TENANT_C);
    });

    it('refuses personal Microsoft accounts under organizations with tenant_not_allowed and accepts them under common', async () => {
      const personal = await mint(entraKey, delegatedV2(MSA_TENANT));
      expectRejected(await call(apiFor(build, multiTenant()), personal), 'tenant_not_allowed');
      expectRejected(await call(apiFor(build, multiTenant()), await mint(entraKey, appOnlyV1(MSA_TENANT))), 'tenant_not_allowed');
      const common = await call(apiFor(build, multiTenant({}, 'common')), personal);
      expect(common.status).toBe(200);
      expect(common.body.tenantId).toBe(MSA_TENANT);
    });

    it('fetches the common key set at the preset\'s own URL', async () => {
      expect((await call(apiFor(build, multiTenant()), await mint(entraKey, appOnlyV2(TENANT_B)))).status).toBe(200);
      expect(router.requested).toContain(`https://login.microsoftonline.com${COMMON_KEYS_PATH}`);
    });

    it('accepts a token signed by a key without an issuer member', async () => {
      const res = await call(apiFor(build, multiTenant()), await mint(legacyKey, appOnlyV1(TENANT_B)));
      expect(res.status).toBe(200);
    });

    it('answers 401 token_version_mismatch for a v1.0 token when only v2.0 is accepted', async () => {
      const res = await call(apiFor(build, multiTenant({ acceptV1: false })), await mint(entraKey, appOnlyV1(TENANT_B)));
      expectRejected(res, 'token_version_mismatch');
    });

    it('reports isAppOnly from idtyp before the presence of scp', async () => {
      const app = apiFor(build, multiTenant());
      const user = await call(app, await mint(entraKey, delegatedV2(TENANT_B, { idtyp: 'user', scp: undefined, roles: ['Receipts.Read.All'] })));
      expect(user.status).toBe(200);
      expect(user.body.isAppOnly).toBe(false);
      const daemon = await call(app, await mint(entraKey, appOnlyV2(TENANT_B, { idtyp: undefined })));
      expect(daemon.body.isAppOnly).toBe(true);
    });
  });
});
