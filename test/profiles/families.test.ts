/**
 * The issuer families, one object each: whether a token was issued to an application acting as itself, for
 * the shapes each issuer really sends, by the rule of the verifier's profile only (a claim another family
 * uses means nothing); the access-token shape; the tenant an issuer names; the sharper rejection reasons.
 */
import { describe, expect, it } from 'vitest';
import { FAMILIES } from '../../src/profiles/families.js';
import type { IssuerProfile, JsonObject } from '../../src/index.js';

const family = (name: IssuerProfile) => FAMILIES.get(name)!;

const TID = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const B2C_APP = '0d3c2b1a-9e8f-4a7b-8c6d-5e4f3a2b1c0d';

describe('family.isAppOnly', () => {
  it.each<[string, JsonObject, string | undefined, IssuerProfile, boolean]>([
    ['Entra app token with idtyp app', { tid: TID, idtyp: 'app', azp: 'daemon', roles: ['R'] }, 'daemon', 'entra', true],
    ['Entra token with idtyp app even beside scp', { tid: TID, idtyp: 'app', azp: 'daemon', scp: 'x' }, 'daemon', 'entra', true],
    ['Entra token with idtyp user and no scp', { tid: TID, idtyp: 'user', azp: 'spa' }, 'spa', 'entra', false],
    ['Entra v1 app token without idtyp (no scp)', { tid: TID, appid: 'daemon', roles: ['R'] }, 'daemon', 'entra', true],
    ['Entra delegated token (scp)', { tid: TID, azp: 'spa', scp: 'Receipts.Read' }, 'spa', 'entra', false],
    ['Entra token naming no calling application (an ID token)', { tid: TID, roles: ['R'], nonce: 'n' }, undefined, 'entra', false],
    ['Entra-shaped app token read by a generic verifier', { tid: TID, azp: 'daemon', sub: 'sp-object-id' }, 'daemon', 'generic', false],
    ['Auth0 client-credentials token', { gty: 'client-credentials', sub: 'abc@clients' }, 'abc', 'auth0', true],
    ['Auth0 client-credentials token without gty', { sub: 'abc@clients' }, 'abc', 'auth0', true],
    ['Auth0 user token', { sub: 'auth0|64f1c2', azp: 'spa' }, 'spa', 'auth0', false],
    ['Auth0 user token with a custom tid and no scp', { sub: 'auth0|64f1c2', azp: 'spa', scope: 'read', tid: 'org_1' }, 'spa', 'auth0', false],
    ['gty client-credentials outside the Auth0 profile', { gty: 'client-credentials', sub: 'user-1' }, 'abc', 'generic', false],
    ['<id>@clients outside the Auth0 profile', { sub: 'abc@clients' }, 'abc', 'generic', false],
    ['Okta client-credentials token (scp array, sub = cid)', { scp: ['receipts:read'], sub: '0oa1', cid: '0oa1' }, '0oa1', 'okta', true],
    ['Okta user token', { scp: ['openid'], sub: 'ada@example.com', uid: '00u1' }, '0oa1', 'okta', false],
    ['Cognito client-credentials token', { token_use: 'access', sub: '5p1c', client_id: '5p1c' }, '5p1c', 'cognito', true],
    ['Cognito user access token', { token_use: 'access', sub: '7b2c-uuid', client_id: '5p1c' }, '5p1c', 'cognito', false],
    ['RFC 9068 client-credentials token', { sub: 'payments', client_id: 'payments' }, 'payments', 'generic', true],
    ['RFC 9068 user token with a custom tid and no scp', { sub: 'user1', client_id: 'spa', scope: 'read', tid: 't1' }, 'spa', 'generic', false],
    ['token with idtyp app outside the Entra profile', { sub: 'user1', client_id: 'spa', idtyp: 'app' }, 'spa', 'generic', true],
    ['token with idtyp user outside the Entra profile', { sub: 'payments', client_id: 'payments', idtyp: 'user' }, 'payments', 'okta', false],
    ['Keycloak service account', { sub: '4c1f-uuid', azp: 'payments', preferred_username: 'service-account-payments' }, 'payments', 'keycloak', true],
    ['Keycloak-like service account name outside the Keycloak profile', { sub: 'u', preferred_username: 'service-account-payments' }, 'payments', 'generic', false],
    ['Keycloak user', { sub: '4c1f-uuid', azp: 'shop', preferred_username: 'ada' }, 'shop', 'keycloak', false],
    ['Keycloak user with a custom tid and no scp', { sub: '4c1f-uuid', azp: 'shop', scope: 'read', tid: 't1' }, 'shop', 'keycloak', false],
    ['token without any client id', { sub: 'someone' }, undefined, 'generic', false],
    ['OpenIddict client-credentials token (sub = client_id)', { sub: 'payments', client_id: 'payments', oi_prst: 'payments' }, 'payments', 'openiddict', true],
    ['OpenIddict user token', { sub: 'ada', client_id: 'spa', scope: 'read' }, 'spa', 'openiddict', false],
    ['B2C client-credentials token (sub = azp, app permissions in scp)', { sub: B2C_APP, azp: B2C_APP, scp: 'app.read', tfp: 'B2C_1A_CC' }, B2C_APP, 'b2c', true],
    ['B2C user-flow token', { sub: 'user-object-id', azp: B2C_APP, scp: 'read', tfp: 'B2C_1_signin' }, B2C_APP, 'b2c', false],
  ])('%s → %s', (_shape, payload, clientId, profile, expected) => {
    expect(family(profile).isAppOnly(payload, clientId)).toBe(expected);
  });
});

describe('the family objects', () => {
  it('holds one family per profile name, each named as its key', () => {
    expect([...FAMILIES.keys()].sort()).toEqual(['auth0', 'b2c', 'cognito', 'entra', 'generic', 'keycloak', 'okta', 'openiddict', 'rfc9068']);
    for (const [name, entry] of FAMILIES) expect(entry.name).toBe(name);
  });

  it('refuses an Entra token naming no calling application, and no other family does', () => {
    const idToken = { tid: TID, roles: ['R'], nonce: 'n' };
    expect(family('entra').checkAccessToken(idToken)).toBe('token_type_invalid');
    expect(family('entra').checkAccessToken({ ...idToken, azp: 'daemon' })).toBeUndefined();
    for (const name of ['generic', 'auth0', 'okta', 'keycloak', 'cognito', 'rfc9068'] as const) {
      expect(family(name).checkAccessToken(idToken)).toBeUndefined();
    }
  });

  it('refuses an OpenIddict token without client_id and a B2C token without azp (ID tokens)', () => {
    expect(family('openiddict').checkAccessToken({ sub: 'ada', azp: 'spa', nonce: 'n' })).toBe('token_type_invalid');
    expect(family('openiddict').checkAccessToken({ sub: 'payments', client_id: 'payments' })).toBeUndefined();
    expect(family('b2c').checkAccessToken({ sub: 'user', aud: B2C_APP, tfp: 'B2C_1_signin', nonce: 'n' })).toBe('token_type_invalid');
    expect(family('b2c').checkAccessToken({ sub: B2C_APP, azp: B2C_APP })).toBeUndefined();
  });

  it('names a token of another B2C tenant tenant_not_allowed, and keeps issuer_mismatch otherwise', () => {
    const configured = [`https://contoso.b2clogin.com/${TID}/v2.0/`];
    const other = '11111111-2222-4333-8444-555555555555';
    const refine = (iss: string, reason: 'issuer_mismatch' | 'signature_invalid' = 'issuer_mismatch') =>
      family('b2c').refineRejection(reason, { iss, azp: B2C_APP }, configured);
    expect(refine(`https://fabrikam.b2clogin.com/${other}/v2.0/`)).toBe('tenant_not_allowed');
    expect(refine(`https://login.fabrikam.com/${other}/v2.0/`)).toBe('tenant_not_allowed');
    expect(refine(`https://fabrikam.b2clogin.com/${other}/v2.0/`, 'signature_invalid')).toBe('signature_invalid');
    expect(refine(`https://contoso.b2clogin.com/${TID.toUpperCase()}/v2.0/`)).toBe('issuer_mismatch');
    expect(refine(`https://contoso.b2clogin.com/tfp/${TID}/B2C_1A_CC/v2.0/`)).toBe('issuer_mismatch');
    expect(family('generic').refineRejection('issuer_mismatch', { iss: `https://fabrikam.b2clogin.com/${other}/v2.0/` }, configured)).toBe(
      'issuer_mismatch',
    );
  });

  it('reads the tenant of a single-tenant Entra issuer only', () => {
    expect(family('entra').tenantOfIssuer(`https://login.microsoftonline.com/${TID}/v2.0`)).toBe(TID);
    expect(family('entra').tenantOfIssuer('https://login.microsoftonline.com/{tenantid}/v2.0')).toBeUndefined();
    expect(family('generic').tenantOfIssuer(`https://login.microsoftonline.com/${TID}/v2.0`)).toBeUndefined();
  });

  it('pairs a v1.0 issuer with the same tenant\'s v2.0 key issuer, for every family', () => {
    const v2 = `https://login.microsoftonline.com/${TID}/v2.0`;
    for (const entry of FAMILIES.values()) {
      expect(entry.isIssuerAlias(`https://sts.windows.net/${TID}/`, v2)).toBe(true);
      expect(entry.isIssuerAlias('https://sts.windows.net/other/', v2)).toBe(false);
    }
  });

  it('refines a rejection by the family\'s own marks of other token kinds', () => {
    expect(family('keycloak').refineRejection('audience_mismatch', { typ: 'ID' }, [])).toBe('token_type_invalid');
    expect(family('keycloak').refineRejection('audience_mismatch', { typ: 'Bearer' }, [])).toBe('audience_mismatch');
    expect(family('cognito').refineRejection('claim_invalid', { token_use: 'id' }, [])).toBe('token_type_invalid');
    expect(family('generic').refineRejection('audience_mismatch', { typ: 'ID' }, [])).toBe('audience_mismatch');
  });

  it('explains a Graph token sent to an Entra API, whatever the family, when the token is Entra-shaped', () => {
    const graph = { iss: `https://sts.windows.net/${TID}/`, aud: 'https://graph.microsoft.com' };
    expect(family('generic').refineRejection('signature_invalid', graph, [])).toBe('foreign_resource_token');
    expect(family('entra').refineRejection('signature_invalid', { aud: 'https://graph.microsoft.com' }, [])).toBe(
      'foreign_resource_token',
    );
    expect(family('generic').refineRejection('signature_invalid', { aud: 'https://graph.microsoft.com' }, [])).toBe(
      'signature_invalid',
    );
  });
});
