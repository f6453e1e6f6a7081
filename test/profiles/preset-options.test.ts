/**
 * What each preset returns (plain verifier options, nothing hidden: every claim location and required claim
 * spelled out) and how it refuses bad input: a `TypeError` naming the preset option, at configuration time.
 */
import { describe, expect, it } from 'vitest';
import {
  auth0,
  cognito,
  createVerifier,
  entraId,
  keycloak,
  okta,
  rfc9068,
  type ClaimLocationLists,
  type PresetOptions,
  type VerifierOptions,
} from '../../src/index.js';

const TENANT = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const API = '0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const DAEMON = 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d';
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad';
const GENERIC_CLAIMS = { scopes: ['scope', 'scp'], roles: ['roles'], clientId: ['client_id', 'azp', 'appid'], tenantId: ['tid'] };

describe('entraId', () => {
  it('builds both issuers of one tenant, both audience forms and the tenant key set', () => {
    expect(entraId({ tenantId: TENANT, clientId: API })).toEqual({
      profile: 'entra',
      issuer: [`https://login.microsoftonline.com/${TENANT}/v2.0`, `https://sts.windows.net/${TENANT}/`],
      audience: [API, `api://${API}`],
      jwksUri: `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys`,
      claims: { scopes: ['scp'], roles: ['roles'], clientId: ['azp', 'appid'], tenantId: ['tid'] },
      requiredClaims: {},
      validateKeyIssuer: true,
    });
  });

  it.each(['organizations', 'common'])('builds {tenantid} templates and the common key set for %s', (tenantId) => {
    const options = entraId({ tenantId, clientId: API });
    expect(options.issuer).toEqual(['https://login.microsoftonline.com/{tenantid}/v2.0', 'https://sts.windows.net/{tenantid}/']);
    expect(options.jwksUri).toBe('https://login.microsoftonline.com/common/discovery/v2.0/keys');
  });

  it('excludes the personal Microsoft accounts tenant under organizations, not under common', () => {
    expect(entraId({ tenantId: 'organizations', clientId: API }).excludedTenants).toEqual([MSA_TENANT]);
    expect(entraId({ tenantId: 'common', clientId: API })).not.toHaveProperty('excludedTenants');
    expect(entraId({ tenantId: TENANT, clientId: API })).not.toHaveProperty('excludedTenants');
  });

  it('leaves out the v1.0 issuer when acceptV1 is false', () => {
    expect(entraId({ tenantId: TENANT, clientId: API, acceptV1: false }).issuer).toEqual([
      `https://login.microsoftonline.com/${TENANT}/v2.0`,
    ]);
  });

  it('lowercases GUIDs as Entra writes them in tokens', () => {
    const options = entraId({
      tenantId: TENANT.toUpperCase(),
      clientId: API.toUpperCase(),
      allowedTenants: [TENANT.toUpperCase()],
      allowedClientIds: [DAEMON.toUpperCase()],
    });
    expect(options.issuer).toContain(`https://login.microsoftonline.com/${TENANT}/v2.0`);
    expect(options.audience).toEqual([API, `api://${API}`]);
    expect(options.allowedTenants).toEqual([TENANT]);
    expect(options.allowedClientIds).toEqual([DAEMON]);
  });

  it('takes one or several Application ID URIs in place of the default', () => {
    expect(entraId({ tenantId: TENANT, clientId: API, appIdUri: 'https://receipts.contoso.example' }).audience).toEqual([
      API,
      'https://receipts.contoso.example',
    ]);
    expect(entraId({ tenantId: TENANT, clientId: API, appIdUri: ['api://receipts', 'https://receipts.contoso.example'] }).audience).toEqual([
      API,
      'api://receipts',
      'https://receipts.contoso.example',
    ]);
  });

  it('fetches app-specific signing keys with ?appid= when asked', () => {
    expect(entraId({ tenantId: TENANT, clientId: API, appSigningKeys: true }).jwksUri).toBe(
      `https://login.microsoftonline.com/${TENANT}/discovery/v2.0/keys?appid=${API}`,
    );
  });

  it('builds national-cloud issuers and key set from the given hosts', () => {
    const options = entraId({ tenantId: TENANT, clientId: API, authorityHost: 'login.chinacloudapi.cn', v1IssuerHost: 'sts.chinacloudapi.cn' });
    expect(options.issuer).toEqual([`https://login.chinacloudapi.cn/${TENANT}/v2.0`, `https://sts.chinacloudapi.cn/${TENANT}/`]);
    expect(options.jwksUri).toBe(`https://login.chinacloudapi.cn/${TENANT}/discovery/v2.0/keys`);
  });

  it.each([
    ['tenantId', { tenantId: 'contoso.onmicrosoft.com', clientId: API }],
    ['tenantId', { tenantId: 'consumers', clientId: API }],
    ['clientId', { tenantId: TENANT, clientId: 'api://receipts' }],
    ['acceptV1', { tenantId: TENANT, clientId: API, acceptV1: 'yes' }],
    ['appSigningKeys', { tenantId: TENANT, clientId: API, appSigningKeys: 1 }],
    ['appIdUri', { tenantId: TENANT, clientId: API, appIdUri: [] }],
    ['allowedTenants', { tenantId: 'organizations', clientId: API, allowedTenants: ['contoso.onmicrosoft.com'] }],
    ['allowedTenants', { tenantId: 'organizations', clientId: API, allowedTenants: [] }],
    ['allowedClientIds', { tenantId: TENANT, clientId: API, allowedClientIds: ['payments'] }],
    ['authorityHost', { tenantId: TENANT, clientId: API, authorityHost: 'https://login.microsoftonline.com' }],
    ['v1IssuerHost', { tenantId: TENANT, clientId: API, v1IssuerHost: 'sts.windows.net/x' }],
  ])('throws a TypeError naming "%s" when it is invalid', (name, options) => {
    expect(() => entraId(options as never)).toThrow(TypeError);
    expect(() => entraId(options as never)).toThrow(`entraId() option "${name}"`);
  });

  it('throws a TypeError when given no options object', () => {
    expect(() => entraId(null as never)).toThrow(TypeError);
  });
});

describe('auth0', () => {
  it('builds the issuer with its trailing slash and the JWKS URI of the domain', () => {
    expect(auth0({ domain: 'example.eu.auth0.com', audience: 'https://receipts.example.com' })).toEqual({
      profile: 'auth0',
      issuer: 'https://example.eu.auth0.com/',
      audience: 'https://receipts.example.com',
      jwksUri: 'https://example.eu.auth0.com/.well-known/jwks.json',
      claims: { ...GENERIC_CLAIMS, scopes: ['scope', 'permissions'] },
      requiredClaims: {},
    });
  });

  it('accepts the domain written as a URL', () => {
    expect(auth0({ domain: 'https://login.example.com/', audience: 'x' }).issuer).toBe('https://login.example.com/');
  });

  it('maps rolesClaim to the roles claim location', () => {
    expect(auth0({ domain: 'example.auth0.com', audience: 'x', rolesClaim: 'https://example.com/roles' }).claims).toEqual({
      ...GENERIC_CLAIMS,
      scopes: ['scope', 'permissions'],
      roles: ['https://example.com/roles'],
    });
  });

  it.each([
    ['domain', { domain: 'example.auth0.com/tenant', audience: 'x' }],
    ['domain', { domain: '', audience: 'x' }],
    ['rolesClaim', { domain: 'example.auth0.com', audience: 'x', rolesClaim: '' }],
  ])('throws a TypeError naming "%s" when it is invalid', (name, options) => {
    expect(() => auth0(options)).toThrow(TypeError);
    expect(() => auth0(options)).toThrow(`auth0() option "${name}"`);
  });
});

describe('okta', () => {
  it('uses the authorization server issuer and discovers its keys', () => {
    expect(okta({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' })).toEqual({
      profile: 'okta',
      issuer: 'https://example.okta.com/oauth2/default',
      audience: 'api://default',
      claims: { ...GENERIC_CLAIMS, clientId: ['cid', 'client_id'] },
      requiredClaims: {},
    });
  });

  it('throws a TypeError naming "issuer" when it is missing', () => {
    expect(() => okta({ issuer: '', audience: 'api://default' })).toThrow('okta() option "issuer"');
  });
});

describe('keycloak', () => {
  it('builds the realm issuer, its certs endpoint, the Bearer typ requirement and the role locations', () => {
    expect(keycloak({ url: 'https://sso.example.com/', realm: 'shop', audience: 'receipts-api', clientRoles: ['receipts-api', 'a.b'] })).toEqual({
      profile: 'keycloak',
      issuer: 'https://sso.example.com/realms/shop',
      audience: 'receipts-api',
      jwksUri: 'https://sso.example.com/realms/shop/protocol/openid-connect/certs',
      claims: {
        ...GENERIC_CLAIMS,
        roles: ['realm_access.roles', ['resource_access', 'receipts-api', 'roles'], ['resource_access', 'a.b', 'roles']],
        clientId: ['client_id', 'azp'],
      },
      requiredClaims: { typ: 'Bearer' },
    });
  });

  it('keeps the /auth prefix of older servers', () => {
    expect(keycloak({ url: 'https://sso.example.com/auth', realm: 'shop', audience: 'x' }).issuer).toBe('https://sso.example.com/auth/realms/shop');
  });

  it.each([
    ['url', { url: '', realm: 'shop', audience: 'x' }],
    ['realm', { url: 'https://sso.example.com', realm: '', audience: 'x' }],
    ['clientRoles', { url: 'https://sso.example.com', realm: 'shop', audience: 'x', clientRoles: [''] }],
    ['clientRoles', { url: 'https://sso.example.com', realm: 'shop', audience: 'x', clientRoles: 'receipts-api' }],
    ['clientRoles', { url: 'https://sso.example.com', realm: 'shop', audience: 'x', clientRoles: ['__proto__'] }],
    ['clientRoles', { url: 'https://sso.example.com', realm: 'shop', audience: 'x', clientRoles: ['api', 'constructor'] }],
    ['clientRoles', { url: 'https://sso.example.com', realm: 'shop', audience: 'x', clientRoles: ['prototype'] }],
  ])('throws a TypeError naming "%s" when it is invalid', (name, options) => {
    expect(() => keycloak(options as never)).toThrow(TypeError);
    expect(() => keycloak(options as never)).toThrow(`keycloak() option "${name}"`);
  });
});

describe('cognito', () => {
  it('builds the pool issuer and JWKS URI and validates client_id in place of aud', () => {
    expect(cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbCdEf123', clientIds: ['5p1example'] })).toEqual({
      profile: 'cognito',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
      audience: ['5p1example'],
      audienceClaim: 'client_id',
      jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
      claims: { ...GENERIC_CLAIMS, scopes: ['scope'], roles: ['cognito:groups'], clientId: ['client_id'] },
      requiredClaims: { token_use: 'access' },
    });
  });

  it.each([
    ['region', { region: 'EU WEST', userPoolId: 'eu-west-1_AbC', clientIds: 'x' }],
    ['userPoolId', { region: 'eu-west-1', userPoolId: 'us-east-1_AbC', clientIds: 'x' }],
    ['userPoolId', { region: 'eu-west-1', userPoolId: 'eu-west-1_Ab/C', clientIds: 'x' }],
    ['clientIds', { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC' }],
    ['clientIds', { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: [] }],
    ['clientIds', { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: [''] }],
    ['clientIds', { region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: ['5p1example', 42] }],
  ])('throws a TypeError naming "%s" when it is invalid', (name, options) => {
    expect(() => cognito(options as never)).toThrow(TypeError);
    expect(() => cognito(options as never)).toThrow(`cognito() option "${name}"`);
  });
});

describe('rfc9068', () => {
  it('requires the at+jwt type and passes issuer, audience and jwksUri through', () => {
    expect(rfc9068({ issuer: 'https://id.example.com/', audience: 'receipts', jwksUri: 'https://id.example.com/jwks' })).toEqual({
      profile: 'rfc9068',
      issuer: 'https://id.example.com/',
      audience: 'receipts',
      requiredTokenType: 'at+jwt',
      jwksUri: 'https://id.example.com/jwks',
      claims: GENERIC_CLAIMS,
      requiredClaims: {},
    });
  });
});

describe('every preset output', () => {
  it.each<[string, VerifierOptions]>([
    ['entraId single-tenant', entraId({ tenantId: TENANT, clientId: API, allowedClientIds: [DAEMON] })],
    ['entraId multi-tenant', entraId({ tenantId: 'organizations', clientId: API, allowedTenants: [TENANT] })],
    ['auth0', auth0({ domain: 'example.auth0.com', audience: ['https://receipts.example.com'], rolesClaim: 'https://example.com/roles' })],
    ['okta', okta({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' })],
    ['keycloak', keycloak({ url: 'https://sso.example.com', realm: 'shop', audience: 'receipts-api', clientRoles: ['receipts-api'] })],
    ['cognito', cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: '5p1example' })],
    ['rfc9068', rfc9068({ issuer: 'https://id.example.com/', audience: 'receipts' })],
  ])('is accepted by createVerifier: %s', (_name, options) => {
    expect(createVerifier(options).realm).toBe('api');
  });
});

describe('every preset spells out what it reads', () => {
  const presets = (): [string, PresetOptions][] => [
    ['entraId', entraId({ tenantId: TENANT, clientId: API })],
    ['auth0', auth0({ domain: 'example.auth0.com', audience: 'https://receipts.example.com' })],
    ['okta', okta({ issuer: 'https://example.okta.com/oauth2/default', audience: 'api://default' })],
    ['keycloak', keycloak({ url: 'https://sso.example.com', realm: 'shop', audience: 'receipts-api', clientRoles: ['receipts-api'] })],
    ['cognito', cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: '5p1example' })],
    ['rfc9068', rfc9068({ issuer: 'https://id.example.com/', audience: 'receipts' })],
  ];

  it.each<[string, Partial<ClaimLocationLists>]>([
    ['entraId', { scopes: ['scp'], clientId: ['azp', 'appid'] }],
    ['auth0', { scopes: ['scope', 'permissions'] }],
    ['okta', { clientId: ['cid', 'client_id'] }],
    ['keycloak', { roles: ['realm_access.roles', ['resource_access', 'receipts-api', 'roles']] }],
    ['cognito', { roles: ['cognito:groups'], clientId: ['client_id'] }],
    ['rfc9068', { clientId: ['client_id', 'azp', 'appid'] }],
  ])('%s returns all four claim-location lists, its own among them, and its required claims', (name, own) => {
    const [, options] = presets().find(([preset]) => preset === name)!;
    expect(Object.keys(options.claims).sort()).toEqual(['clientId', 'roles', 'scopes', 'tenantId']);
    expect(options.claims).toMatchObject(own);
    expect(options.requiredClaims).toBeTypeOf('object');
  });

  it('returns fresh lists on every call, so changing one result leaves the next intact', () => {
    for (const [name, first] of presets()) {
      (first.claims.roles as unknown[]).push('tampered');
      const [, second] = presets().find(([preset]) => preset === name)!;
      expect(second.claims.roles).not.toContain('tampered');
    }
  });

  it('keeps every preset location when extended by spreading its claims', () => {
    const options = keycloak({ url: 'https://sso.example.com', realm: 'shop', audience: 'receipts-api', clientRoles: ['receipts-api'] });
    const extended = { ...options, claims: { ...options.claims, roles: [...options.claims.roles, 'groups'] } };
    expect(extended.claims.roles).toEqual(['realm_access.roles', ['resource_access', 'receipts-api', 'roles'], 'groups']);
    expect(extended.claims.clientId).toEqual(['client_id', 'azp']);
    expect(extended.requiredClaims).toEqual({ typ: 'Bearer' });
    expect(() => createVerifier(extended)).not.toThrow();
  });
});
