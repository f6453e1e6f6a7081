/**
 * Claims → identity: claim paths (names, dot-paths, segment arrays, namespaced names holding dots), the
 * per-issuer defaults and their overrides, values of odd types, prototype keys, and the frozen result.
 */
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../../src/profiles/families.js';
import { resolveClaimLocations } from '../../../src/verify/identity/claim-locations.js';
import { compileClaimPath, readClaim } from '../../../src/verify/identity/claim-path.js';
import { issuedByRealm } from '../../../src/verify/identity/issued-identity.js';
import { readCaller, readRoles, readScopes, toAuthInfo, type VerifiedToken } from '../../../src/verify/identity/to-auth-info.js';
import { createVerifier, type ClaimLocations, type IssuerProfile, type JsonObject } from '../../../src/index.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';

const read = (payload: JsonObject, path: string | readonly string[]): unknown => readClaim(payload, compileClaimPath(path));
const locations = (overrides?: ClaimLocations, profile: IssuerProfile = 'generic') =>
  resolveClaimLocations(overrides, FAMILIES.get(profile)!.claims);
const generic = FAMILIES.get('generic')!;

function verified(payload: JsonObject, extra: Partial<VerifiedToken> = {}): VerifiedToken {
  return {
    token: 'header.payload.signature',
    format: 'jws',
    header: { alg: 'RS256', kid: 'k1' },
    payload,
    issuer: 'https://id.example.com/',
    audience: ['receipts'],
    clientId: undefined,
    tenantId: undefined,
    exp: 2_000_000_000,
    ...extra,
  };
}

describe('readClaim', () => {
  const payload: JsonObject = {
    scope: 'a b',
    realm_access: { roles: ['admin'] },
    resource_access: { 'billing.v2': { roles: ['invoices.read'] } },
    'https://example.com/roles': ['editor'],
    'a.b': 'whole',
    a: { b: 'nested' },
  };

  it('reads a top-level claim by name', () => {
    expect(read(payload, 'scope')).toBe('a b');
  });

  it('follows a dot-path into nested objects', () => {
    expect(read(payload, 'realm_access.roles')).toEqual(['admin']);
  });

  it('follows an array of segments whose names hold dots', () => {
    expect(read(payload, ['resource_access', 'billing.v2', 'roles'])).toEqual(['invoices.read']);
    expect(read(payload, 'resource_access.billing.v2.roles')).toBeUndefined();
  });

  it('reads a namespaced claim whose name holds dots as one name', () => {
    expect(read(payload, 'https://example.com/roles')).toEqual(['editor']);
  });

  it('prefers the whole name over the dot-path when both exist', () => {
    expect(read(payload, 'a.b')).toBe('whole');
    expect(read(payload, ['a', 'b'])).toBe('nested');
  });

  it('answers undefined for missing claims, through arrays and through non-objects', () => {
    expect(read(payload, 'missing')).toBeUndefined();
    expect(read(payload, 'missing.deeper')).toBeUndefined();
    expect(read(payload, 'realm_access.roles.0')).toBeUndefined();
    expect(read(payload, 'scope.length')).toBeUndefined();
  });
});

describe('prototype keys', () => {
  const hostile = (): JsonObject =>
    JSON.parse(
      '{"__proto__":{"roles":["admin"],"scope":"admin","scp":"admin","client_id":"x","tid":"t"},' +
        '"realm_access":{"__proto__":{"roles":["admin"]}},"constructor":{"prototype":{"roles":["admin"]}}}',
    ) as JsonObject;

  it.each<IssuerProfile>(['generic', 'entra', 'auth0', 'okta', 'keycloak', 'cognito'])(
    'grants nothing from __proto__ and constructor members under the %s defaults',
    (profile) => {
      const payload = hostile();
      const auth = toAuthInfo(verified(payload), locations(undefined, profile), FAMILIES.get(profile)!, issuedByRealm('api'));
      expect(auth.roles).toEqual([]);
      expect(auth.scopes).toEqual([]);
      expect(readCaller(payload, locations(undefined, profile))).toEqual({ clientId: undefined, tenantId: undefined });
      expect(Object.isFrozen(Object.prototype)).toBe(false);
      expect(Object.hasOwn(Object.prototype, 'roles')).toBe(false);
      expect(({} as Record<string, unknown>).roles).toBeUndefined();
      expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    },
  );

  it.each<[keyof ClaimLocations, ClaimLocations]>([
    ['roles', { roles: ['__proto__.roles'] }],
    ['roles', { roles: [['constructor', 'prototype', 'roles']] }],
    ['scopes', { scopes: ['__proto__'] }],
    ['clientId', { clientId: ['app.prototype'] }],
    ['tenantId', { tenantId: [['constructor']] }],
  ])('refuses a claims.%s path through a prototype key with a TypeError', (name, overrides) => {
    expect(() => locations(overrides)).toThrow(TypeError);
    expect(() => locations(overrides)).toThrow(`option "claims.${name}"`);
    expect(() => createVerifier({ issuer: 'https://id.example.com/', audience: 'x', claims: overrides })).toThrow(TypeError);
  });

  it('reads nothing inherited: toString, valueOf, hasOwnProperty, isPrototypeOf', () => {
    const inheritedOnly = locations({
      scopes: ['toString', 'hasOwnProperty'],
      roles: ['valueOf', 'toLocaleString'],
      clientId: ['toString'],
      tenantId: ['isPrototypeOf'],
    });
    const plain: JsonObject = { sub: 'payments' };
    expect(readScopes(plain, inheritedOnly)).toEqual([]);
    expect(readRoles(plain, inheritedOnly)).toEqual([]);
    expect(readCaller(plain, inheritedOnly)).toEqual({ clientId: undefined, tenantId: undefined });
  });

  it('never follows a prototype key even in a path compiled elsewhere', () => {
    const payload = hostile();
    expect(readClaim(payload, { whole: '__proto__', segments: ['__proto__'] })).toBeUndefined();
    expect(readClaim(payload, { whole: undefined, segments: ['constructor', 'prototype', 'roles'] })).toBeUndefined();
  });
});

describe('values of odd types', () => {
  it.each<[string, unknown]>([
    ['a number', 42],
    ['a boolean', true],
    ['null', null],
    ['an object', { admin: true }],
    ['an empty string', ''],
    ['an array of non-strings', [1, null, { a: 'admin' }, ['admin'], true]],
  ])('grants no scope, role, client or tenant from %s', (_kind, value) => {
    const payload: JsonObject = { scope: value, scp: value, roles: value, client_id: value, azp: value, appid: value, tid: value };
    expect(readScopes(payload, locations())).toEqual([]);
    expect(readRoles(payload, locations())).toEqual([]);
    expect(readCaller(payload, locations())).toEqual({ clientId: undefined, tenantId: undefined });
  });

  it('keeps the strings of a mixed array and drops the rest', () => {
    const payload: JsonObject = { roles: ['Reader', 7, '', 'Writer', null], scp: ['a', {}, 'b'] };
    expect(readRoles(payload, locations())).toEqual(['Reader', 'Writer']);
    expect(readScopes(payload, locations())).toEqual(['a', 'b']);
  });

  it('keeps each scope and role once, in order, however many a token carries', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `group-${i % 120}`);
    const payload = { roles: ['Reader', ...groups, 'Reader'], scope: 'a b a c b', scp: ['c', 'd'] };
    expect(readRoles(payload, locations())).toEqual(['Reader', ...Array.from({ length: 120 }, (_, i) => `group-${i}`)]);
    expect(readScopes(payload, locations())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('splits a scope string on spaces only and drops empty words', () => {
    expect(readScopes({ scope: '  read  write\tadmin ' }, locations())).toEqual(['read', 'write\tadmin']);
  });

  it('takes a single role string as one role, spaces included', () => {
    expect(readRoles({ roles: 'Receipts Admin' }, locations())).toEqual(['Receipts Admin']);
  });
});

describe('claim locations', () => {
  it('unites every scope location and every role location, without duplicates', () => {
    const payload: JsonObject = { scope: 'read write', scp: ['write', 'admin'], roles: ['A'], groups: ['A', 'B'] };
    const merged = locations({ roles: ['roles', 'groups'] });
    expect(readScopes(payload, merged)).toEqual(['read', 'write', 'admin']);
    expect(readRoles(payload, merged)).toEqual(['A', 'B']);
  });

  it('takes the client id from the first present claim: client_id, then azp, then appid', () => {
    expect(readCaller({ client_id: 'c', azp: 'b', appid: 'a' }, locations()).clientId).toBe('c');
    expect(readCaller({ azp: 'b', appid: 'a' }, locations()).clientId).toBe('b');
    expect(readCaller({ appid: 'a' }, locations()).clientId).toBe('a');
  });

  it.each<[string, unknown]>([
    ['a number', 7],
    ['an empty string', ''],
    ['null', null],
    ['an array', ['b']],
    ['an object', { id: 'b' }],
    ['false', false],
  ])('has no client id when the first present claim is %s, without falling through to the next', (_name, value) => {
    expect(readCaller({ client_id: value, azp: 'b', appid: 'a' }, locations()).clientId).toBeUndefined();
    expect(readCaller({ azp: value, appid: 'a' }, locations()).clientId).toBeUndefined();
    expect(readCaller({ cid: value, client_id: 'c' }, locations(undefined, 'okta')).clientId).toBeUndefined();
  });

  it('has no tenant when the first present tenant location is not a non-empty string', () => {
    const orgFirst = locations({ tenantId: ['org_id', 'tid'] });
    expect(readCaller({ org_id: 'org_42', tid: 't1' }, orgFirst).tenantId).toBe('org_42');
    expect(readCaller({ tid: 't1' }, orgFirst).tenantId).toBe('t1');
    expect(readCaller({ org_id: 42, tid: 't1' }, orgFirst).tenantId).toBeUndefined();
    expect(readCaller({ org_id: '', tid: 't1' }, orgFirst).tenantId).toBeUndefined();
    expect(readCaller({ org_id: null, tid: 't1' }, orgFirst).tenantId).toBeUndefined();
  });

  it('treats a location missing on the way of a dot-path as absent', () => {
    const nested = locations({ clientId: ['app.id', 'client_id'] });
    expect(readCaller({ client_id: 'c' }, nested).clientId).toBe('c');
    expect(readCaller({ app: 'not-an-object', client_id: 'c' }, nested).clientId).toBe('c');
    expect(readCaller({ app: { id: 5 }, client_id: 'c' }, nested).clientId).toBeUndefined();
  });

  it('uses each issuer family\'s defaults', () => {
    const payload: JsonObject = {
      scope: 'openid',
      scp: ['okta.scope'],
      permissions: ['write:receipts'],
      cid: 'okta-client',
      client_id: 'rfc-client',
      roles: ['app-role'],
      realm_access: { roles: ['realm-role'] },
      'cognito:groups': ['group'],
    };
    expect(readScopes(payload, locations(undefined, 'auth0'))).toEqual(['openid', 'write:receipts']);
    expect(readCaller(payload, locations(undefined, 'okta')).clientId).toBe('okta-client');
    expect(readRoles(payload, locations(undefined, 'keycloak'))).toEqual(['realm-role']);
    expect(readRoles(payload, locations(undefined, 'cognito'))).toEqual(['group']);
    expect(readScopes(payload, locations(undefined, 'cognito'))).toEqual(['openid']);
    expect(readRoles(payload, locations(undefined, 'entra'))).toEqual(['app-role']);
  });

  it('replaces only the overridden lists of the profile defaults', () => {
    const payload: JsonObject = { scope: 'a', permissions: ['b'], roles: ['r'], 'https://example.com/roles': ['n'] };
    const auth0WithRoles = locations({ roles: ['https://example.com/roles'] }, 'auth0');
    expect(readScopes(payload, auth0WithRoles)).toEqual(['a', 'b']);
    expect(readRoles(payload, auth0WithRoles)).toEqual(['n']);
  });

  it('reads the tenant from another claim when told to', () => {
    expect(readCaller({ tid: 't1', org_id: 'org_42' }, locations({ tenantId: ['org_id'] })).tenantId).toBe('org_42');
  });
});

describe('toAuthInfo', () => {
  it('returns a deeply frozen identity that cannot be altered by one request for the next', () => {
    const payload: JsonObject = {
      sub: 'payments',
      client_id: 'payments',
      scope: 'read',
      roles: ['Reader'],
      nested: { list: [{ deep: 'x' }] },
    };
    const auth = toAuthInfo(verified(payload, { clientId: 'payments' }), locations(), generic, issuedByRealm('api'));
    expect(auth).toMatchObject({
      subject: 'payments',
      clientId: 'payments',
      scopes: ['read'],
      roles: ['Reader'],
      audience: ['receipts'],
      isAppOnly: true,
      expiresAt: new Date(2_000_000_000_000),
    });
    for (const value of [auth, auth.scopes, auth.roles, auth.audience, auth.header, auth.payload, payload.nested]) {
      expect(Object.isFrozen(value)).toBe(true);
    }
    expect(Object.isFrozen((payload.nested as { list: unknown[] }).list[0])).toBe(true);
    expect(() => (auth.scopes as string[]).push('admin')).toThrow(TypeError);
    expect(() => {
      (auth as { clientId?: string }).clientId = 'attacker';
    }).toThrow(TypeError);
    expect(() => {
      (auth.payload as JsonObject).roles = ['Admin'];
    }).toThrow(TypeError);
    expect(auth.roles).toEqual(['Reader']);
  });

  it('leaves subject, clientId and tenantId out when absent', () => {
    const auth = toAuthInfo(verified({ sub: 42 }), locations(), generic, issuedByRealm('api'));
    expect(Object.hasOwn(auth, 'subject')).toBe(false);
    expect(Object.hasOwn(auth, 'clientId')).toBe(false);
    expect(Object.hasOwn(auth, 'tenantId')).toBe(false);
  });
});

describe('claims option through a verifier', () => {
  let key: TestKey;
  let server: IssuerServer;
  beforeAll(async () => {
    key = await createTestKey('ES256');
    server = await startIssuerServer({ keys: [key.jwk as JWK] });
  });
  afterAll(() => server.close());

  it('maps namespaced, dot-path and segment-array claims of a signed token to scopes, roles, client and tenant', async () => {
    const verifier = createVerifier({
      issuer: server.url,
      audience: 'receipts',
      jwksUri: server.jwksUri,
      claims: {
        scopes: ['https://example.com/permissions', 'authz.scopes'],
        roles: [['resource_access', 'receipts.api', 'roles']],
        clientId: ['app.id'],
        tenantId: ['https://example.com/org'],
      },
    });
    const token = await signToken(key, {
      iss: server.url,
      aud: 'receipts',
      'https://example.com/permissions': ['receipts:read'],
      authz: { scopes: 'receipts:write' },
      resource_access: { 'receipts.api': { roles: ['Receipts.Admin'] } },
      app: { id: 'payments' },
      'https://example.com/org': 'org_42',
      scope: 'ignored',
      roles: ['Ignored'],
      client_id: 'ignored',
    });
    const auth = await verifier.verify(token);
    expect(auth.scopes).toEqual(['receipts:read', 'receipts:write']);
    expect(auth.roles).toEqual(['Receipts.Admin']);
    expect(auth.clientId).toBe('payments');
    expect(auth.tenantId).toBe('org_42');
  });

  it('verifies a signed token holding __proto__ members without granting anything from them', async () => {
    const verifier = createVerifier({ issuer: server.url, audience: 'receipts', jwksUri: server.jwksUri });
    const claims = JSON.parse(
      `{"iss":${JSON.stringify(server.url)},"aud":"receipts","__proto__":{"roles":["admin"],"scope":"admin"},"constructor":{"prototype":{"roles":["admin"]}}}`,
    ) as Record<string, unknown>;
    const auth = await verifier.verify(await signToken(key, claims));
    expect(auth.roles).toEqual([]);
    expect(auth.scopes).toEqual([]);
    expect(Object.isFrozen(Object.prototype)).toBe(false);
    expect(({} as Record<string, unknown>).roles).toBeUndefined();
  });
});
