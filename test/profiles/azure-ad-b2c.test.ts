/**
 * Azure AD B2C over real HTTP on every framework: client-credentials tokens of B2C's shape (minted by the
 * test issuer, preset `b2c`), whose application permissions arrive in `scp`, through `requireScopes` and
 * `requireScopesOrRoles`; app-only versus user-flow callers; another tenant refused with a named reason.
 *
 * The preset's output is used unchanged: its `https://<tenant>.b2clogin.com/…/discovery/v2.0/keys` URL is
 * fetched through `keys.fetch` routed to a server on 127.0.0.1 serving the test issuer's keys at that path.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, azureAdB2C, createVerifier, requireScopes, requireScopesOrRoles, type AzureAdB2COptions } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { routeHosts, startLayoutServer, type HostRouter, type LayoutServer } from './support.js';

const TENANT = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const OTHER_TENANT = '2b7e9c41-6d3a-4f8e-a1c2-93d4e5f60718';
const API = '0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const DAEMON = 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d';
const POLICY = 'B2C_1A_ClientCredentialsFlow';
const ISSUER = `https://contoso.b2clogin.com/${TENANT}/v2.0/`;
const KEYS_PATH = `/contoso.onmicrosoft.com/${POLICY}/discovery/v2.0/keys`;
const UNIFORM = 'The access token could not be verified';
const OPTIONS: AzureAdB2COptions = { tenantName: 'contoso', tenantId: TENANT, policy: POLICY, clientId: API };

let issuer: TestIssuer;
let layout: LayoutServer;
let router: HostRouter;

/** A client-credentials token of B2C's shape for the daemon, app permissions in `scp`. */
const daemonToken = (claims: Record<string, unknown> = {}) =>
  issuer.sign({ iss: ISSUER, scp: 'receipts.read receipts.write', ...claims }, { preset: 'b2c', clientId: DAEMON });

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: API });
  layout = await startLayoutServer(() => ({ [KEYS_PATH]: issuer.jwks }));
  router = routeHosts({ 'contoso.b2clogin.com': layout.url });
});
afterAll(async () => {
  await layout.close();
  await issuer.close();
});

describe('azureAdB2C()', () => {
  it('returns the tenant issuer, the policy key set, the API client id as audience, scp and azp', () => {
    expect(azureAdB2C({ ...OPTIONS, tenantName: 'Contoso.onmicrosoft.com', tenantId: TENANT.toUpperCase() })).toEqual({
      profile: 'b2c',
      issuer: ISSUER,
      audience: API,
      jwksUri: `https://contoso.b2clogin.com${KEYS_PATH}`,
      claims: { scopes: ['scp'], roles: ['roles'], clientId: ['azp'], tenantId: ['tid'] },
      requiredClaims: {},
    });
    expect(azureAdB2C({ ...OPTIONS, allowedClientIds: [DAEMON.toUpperCase()] }).allowedClientIds).toEqual([DAEMON]);
  });

  it.each<[string, Partial<Record<keyof AzureAdB2COptions, unknown>>, string]>([
    ['a tenant name with a path', { tenantName: 'contoso/evil' }, 'option "tenantName" must be the tenant name'],
    ['a tenant id that is no GUID', { tenantId: 'contoso.onmicrosoft.com' }, 'option "tenantId" must be the directory (tenant) id GUID'],
    ['a policy that is no B2C policy', { policy: 'signin' }, 'option "policy" must be a user flow or custom policy name'],
    ['a policy with a slash', { policy: 'B2C_1A_x/../keys' }, 'option "policy" must be a user flow or custom policy name'],
    ['a client id that is no GUID', { clientId: 'api://receipts' }, 'option "clientId" must be the API\'s application (client) id GUID'],
    ['allowed client ids that are no GUIDs', { allowedClientIds: ['daemon'] }, 'option "allowedClientIds" must only hold GUIDs'],
    ['empty allowed client ids', { allowedClientIds: [] }, 'option "allowedClientIds" must be a non-empty array of GUIDs'],
  ])('refuses %s with a TypeError naming the option', (_case, patch, message) => {
    expect(() => azureAdB2C({ ...OPTIONS, ...patch } as AzureAdB2COptions)).toThrow(new TypeError(`bearer-guard: azureAdB2C() ${message}`).message);
  });
});

describe.each(FRAMEWORKS)('Azure AD B2C on $name', ({ build }) => {
  let server: Server;
  beforeAll(() => {
    const guard = authenticate({ ...azureAdB2C(OPTIONS), keys: { fetch: router.fetch } });
    server = build(
      [
        { path: '/read', chain: [guard, requireScopes('receipts.read')] },
        { path: '/export', chain: [guard, requireScopes('receipts.export')] },
        { path: '/either', chain: [guard, requireScopesOrRoles({ scopes: ['receipts.write'], roles: ['Receipts.Admin'] })] },
        { path: '/admin', chain: [guard, requireScopesOrRoles({ scopes: ['receipts.admin'], roles: ['Receipts.Admin'] })] },
      ],
      reasonErrorHandler,
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = async (path: string, token: string | Promise<string>) =>
    request(server).get(path).set('Authorization', `Bearer ${await token}`);

  it('answers 200 to a client-credentials token whose app permissions arrive in scp, and reads it as app-only', async () => {
    const res = await call('/read', daemonToken());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      clientId: DAEMON,
      tenantId: null,
      scopes: ['receipts.read', 'receipts.write'],
      roles: [],
      subject: DAEMON,
      isAppOnly: true,
    });
    expect(new Set(router.requested)).toEqual(new Set([`https://contoso.b2clogin.com${KEYS_PATH}`]));
  });

  it('lets requireScopesOrRoles pass on an app permission carried in scp', async () => {
    expect((await call('/either', daemonToken())).status).toBe(200);
  });

  it('answers 403 when the app permission is granted neither in scp nor in roles', async () => {
    const scoped = await call('/export', daemonToken());
    expect(scoped.status).toBe(403);
    expect(scoped.body).toEqual({ reason: 'scope_missing' });
    expect(scoped.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.export"',
    );
    const either = await call('/admin', daemonToken());
    expect(either.status).toBe(403);
    expect(either.body).toEqual({ reason: 'scope_or_role_missing' });
  });

  it('reads a user-flow token (sub is the user) as delegated', async () => {
    const res = await call('/read', daemonToken({ sub: '5f0e4d3c-2b1a-4098-8f7e-6d5c4b3a2918', tfp: 'B2C_1_signin' }));
    expect(res.status).toBe(200);
    expect(res.body.isAppOnly).toBe(false);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['a token of another B2C tenant', { iss: `https://fabrikam.b2clogin.com/${OTHER_TENANT}/v2.0/` }, 'tenant_not_allowed', UNIFORM],
    ['a token of the tenant spelt as a policy issuer', { iss: `https://contoso.b2clogin.com/tfp/${TENANT}/${POLICY}/v2.0/` }, 'issuer_mismatch', UNIFORM],
    ['an ID token (no azp)', { azp: undefined, scp: undefined, nonce: 'n' }, 'token_type_invalid', 'The access token type is not accepted'],
    ['a token for another API', { aud: DAEMON }, 'audience_mismatch', 'The access token audience is not accepted'],
  ])('answers 401 %s with a named reason', async (_case, claims, reason, description) => {
    const res = await call('/read', daemonToken(claims));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason });
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", error="invalid_token", error_description="${description}"`);
  });
});

describe('azureAdB2C() with allowedClientIds', () => {
  it('refuses any other calling application as client_not_allowed', async () => {
    const verifier = createVerifier({ ...azureAdB2C({ ...OPTIONS, allowedClientIds: [API] }), keys: { fetch: router.fetch } });
    await expect(verifier.verify(await daemonToken())).rejects.toMatchObject({ status: 401, reason: 'client_not_allowed' });
  });
});
