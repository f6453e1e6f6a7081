/**
 * isAppOnly: whether a token was issued to an application acting as itself, for the shapes each issuer
 * really sends.
 */
import { describe, expect, it } from 'vitest';
import { isAppOnlyToken } from '../../src/identity/app-only.js';
import type { IssuerProfile, JsonObject } from '../../src/index.js';

const TID = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';

describe('isAppOnlyToken', () => {
  it.each<[string, JsonObject, string | undefined, IssuerProfile, boolean]>([
    ['Entra app token with idtyp app', { tid: TID, idtyp: 'app', roles: ['R'] }, 'daemon', 'entra', true],
    ['Entra token with idtyp app even beside scp', { tid: TID, idtyp: 'app', scp: 'x' }, 'daemon', 'entra', true],
    ['Entra token with idtyp user and no scp', { tid: TID, idtyp: 'user' }, 'spa', 'entra', false],
    ['Entra v1 app token without idtyp (no scp)', { tid: TID, appid: 'daemon', roles: ['R'] }, 'daemon', 'entra', true],
    ['Entra delegated token (scp)', { tid: TID, scp: 'Receipts.Read' }, 'spa', 'entra', false],
    ['Entra-shaped token read by a generic verifier', { tid: TID, scp: 'Receipts.Read', sub: 'spa' }, 'spa', 'generic', false],
    ['Entra token without a client id', { tid: TID }, undefined, 'entra', true],
    ['Auth0 client-credentials token', { gty: 'client-credentials', sub: 'abc@clients' }, 'abc', 'auth0', true],
    ['Auth0 client-credentials token without gty', { sub: 'abc@clients' }, 'abc', 'auth0', true],
    ['Auth0 user token', { sub: 'auth0|64f1c2', azp: 'spa' }, 'spa', 'auth0', false],
    ['Okta client-credentials token (scp array, sub = cid)', { scp: ['receipts:read'], sub: '0oa1', cid: '0oa1' }, '0oa1', 'okta', true],
    ['Okta user token', { scp: ['openid'], sub: 'ada@example.com', uid: '00u1' }, '0oa1', 'okta', false],
    ['Cognito client-credentials token', { token_use: 'access', sub: '5p1c', client_id: '5p1c' }, '5p1c', 'cognito', true],
    ['Cognito user access token', { token_use: 'access', sub: '7b2c-uuid', client_id: '5p1c' }, '5p1c', 'cognito', false],
    ['RFC 9068 client-credentials token', { sub: 'payments', client_id: 'payments' }, 'payments', 'generic', true],
    ['Keycloak service account', { sub: '4c1f-uuid', azp: 'payments', preferred_username: 'service-account-payments' }, 'payments', 'keycloak', true],
    ['Keycloak-like service account name outside the Keycloak profile', { sub: 'u', preferred_username: 'service-account-payments' }, 'payments', 'generic', false],
    ['Keycloak user', { sub: '4c1f-uuid', azp: 'shop', preferred_username: 'ada' }, 'shop', 'keycloak', false],
    ['token without any client id', { sub: 'someone' }, undefined, 'generic', false],
  ])('%s → %s', (_shape, payload, clientId, profile, expected) => {
    expect(isAppOnlyToken(payload, clientId, profile)).toBe(expected);
  });
});
