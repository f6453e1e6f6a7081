/**
 * Which issuer family a decoded token looks like: each family's recognizer, asked in order by
 * `recognizeToken`, on the shapes each issuer really sends, with the notes that explain the usual mistakes.
 */
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/index.js';
import { recognizeToken } from '../../src/profiles/recognize-token.js';

const TID = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
const JWT = { alg: 'RS256', typ: 'JWT' };
const AT_JWT = { alg: 'RS256', typ: 'at+jwt' };

describe('recognizeToken', () => {
  it.each<[string, JsonObject, JsonObject, { family: string; variant?: string; preset?: string; profile: string }]>([
    ['an Entra v2.0 token', JWT, { iss: `https://login.microsoftonline.com/${TID}/v2.0`, ver: '2.0', azp: 'x', tid: TID }, { family: 'Microsoft Entra ID', variant: 'v2.0', preset: 'entra', profile: 'entra' }],
    ['an Entra v1.0 token', JWT, { iss: `https://sts.windows.net/${TID}/`, ver: '1.0', appid: 'x', tid: TID }, { family: 'Microsoft Entra ID', variant: 'v1.0', preset: 'entra', profile: 'entra' }],
    ['an Entra token of a national cloud', JWT, { iss: `https://login.microsoftonline.us/${TID}/v2.0`, azp: 'x' }, { family: 'Microsoft Entra ID', variant: 'v2.0', preset: 'entra', profile: 'entra' }],
    ['an Azure AD B2C token', JWT, { iss: `https://contoso.b2clogin.com/${TID}/v2.0/`, tfp: 'B2C_1_signin', scp: 'read' }, { family: 'Azure AD B2C', variant: 'user flow B2C_1_signin', preset: 'b2c', profile: 'b2c' }],
    ['a B2C token of a custom domain', JWT, { iss: 'https://login.contoso.com/x/v2.0/', acr: 'b2c_1a_signup' }, { family: 'Azure AD B2C', variant: 'user flow b2c_1a_signup', preset: 'b2c', profile: 'b2c' }],
    ['an Amazon Cognito access token', JWT, { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', token_use: 'access', client_id: 'c' }, { family: 'Amazon Cognito', variant: 'user pool eu-west-1_AbC', preset: 'cognito', profile: 'cognito' }],
    ['a Keycloak token', JWT, { iss: 'https://sso.example.com/realms/shop', typ: 'Bearer', azp: 'shop', aud: 'receipts' }, { family: 'Keycloak', variant: 'realm shop', preset: 'keycloak', profile: 'keycloak' }],
    ['an Okta custom authorization server token', JWT, { iss: 'https://example.okta.com/oauth2/default', cid: '0oa1', ver: 1 }, { family: 'Okta', variant: 'custom authorization server "default"', preset: 'okta', profile: 'okta' }],
    ['an Okta org authorization server token', JWT, { iss: 'https://example.okta.com', cid: '0oa1' }, { family: 'Okta', variant: 'org authorization server', preset: 'okta', profile: 'okta' }],
    ['an Auth0 token', JWT, { iss: 'https://example.eu.auth0.com/', gty: 'client-credentials', sub: 'abc@clients' }, { family: 'Auth0', preset: 'auth0', profile: 'auth0' }],
    ['an Auth0 token of a custom domain (RFC 9068 profile)', AT_JWT, { iss: 'https://login.example.com/', sub: 'abc@clients', client_id: 'abc' }, { family: 'Auth0', preset: 'auth0', profile: 'auth0' }],
    ['an OpenIddict token', AT_JWT, { iss: 'https://id.example.com/', oi_prst: 'payments', oi_tkn_id: 't', client_id: 'payments' }, { family: 'OpenIddict', preset: 'openiddict', profile: 'openiddict' }],
    ['an RFC 9068 token of any issuer', { alg: 'ES256', typ: 'application/at+jwt' }, { iss: 'https://id.example.com/', client_id: 'c' }, { family: 'an RFC 9068 issuer', preset: 'rfc9068', profile: 'rfc9068' }],
    ['a JWT of an unknown issuer', JWT, { iss: 'https://id.example.com/', client_id: 'c' }, { family: 'an unrecognised issuer', profile: 'generic' }],
    ['a JWT without iss', JWT, { sub: 'x' }, { family: 'an unrecognised issuer', profile: 'generic' }],
  ])('recognises %s', (_name, header, payload, expected) => {
    const likeness = recognizeToken(header, payload);
    expect({ family: likeness.family, variant: likeness.variant, preset: likeness.preset, profile: likeness.profile }).toEqual({
      variant: undefined,
      preset: undefined,
      ...expected,
    });
  });

  it('explains a Microsoft Graph token, and only that', () => {
    const { notes } = recognizeToken(JWT, { iss: `https://sts.windows.net/${TID}/`, aud: 'https://graph.microsoft.com', appid: 'x', tid: TID });
    expect(notes).toEqual([expect.stringMatching(/^a Microsoft Graph token \(aud is Graph\): only Graph can validate it/)]);
  });

  it('explains the audience forms, app permissions in roles and a v1.0 token', () => {
    const v1 = recognizeToken(JWT, { iss: `https://sts.windows.net/${TID}/`, aud: `api://${API}`, appid: 'x', roles: ['R'], tid: TID });
    expect(v1.notes).toEqual([
      expect.stringMatching(/^aud is an Application ID URI/),
      'app-only (client credentials): application permissions are in roles, so guard with requireRoles',
      expect.stringMatching(/^a v1\.0 token: the API's manifest asks for v1\.0/),
    ]);
    const v2 = recognizeToken(JWT, { iss: `https://login.microsoftonline.com/${TID}/v2.0`, aud: API, azp: 'x', scp: 'Receipts.Read', tid: TID });
    expect(v2.notes).toEqual(['aud is a client id (GUID): entraId({ clientId }) accepts it', 'delegated (a user is involved): scopes are in scp']);
  });

  it('says an Entra token without azp or appid is an ID token, and an app-only token without roles has no permission', () => {
    const idToken = recognizeToken(JWT, { iss: `https://login.microsoftonline.com/${TID}/v2.0`, aud: API, tid: TID, nonce: 'n' });
    expect(idToken.notes).toContain('names no calling application (no azp or appid): an ID token, not an access token');
    const noRoles = recognizeToken(JWT, { iss: `https://login.microsoftonline.com/${TID}/v2.0`, aud: API, azp: 'x', idtyp: 'app', tid: TID });
    expect(noRoles.notes).toContain('app-only with no roles: no application permission is granted to the caller (or admin consent is missing)');
  });

  it("names other kinds of Keycloak and Cognito tokens, Keycloak's default audience and Okta's org server", () => {
    expect(recognizeToken(JWT, { iss: 'https://sso.example.com/realms/shop', typ: 'ID', aud: 'account' }).notes).toEqual([
      'typ "ID": not an access token (access tokens carry typ "Bearer")',
      'aud is only "account" or absent: add an Audience mapper naming your API',
    ]);
    expect(recognizeToken(JWT, { iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', token_use: 'id', aud: 'c' }).notes).toEqual([
      'token_use "id": not an access token (the cognito preset requires "access")',
    ]);
    expect(recognizeToken(JWT, { iss: 'https://example.okta.com' }).notes).toEqual([expect.stringMatching(/^a token of the org authorization server/)]);
  });

  it('reads the marks from own members only', () => {
    const polluted = Object.create({ gty: 'client-credentials' }) as JsonObject;
    polluted.iss = 'https://id.example.com/';
    expect(recognizeToken(JWT, polluted).family).toBe('an unrecognised issuer');
  });
});
