/**
 * Option validation: every invalid option makes createVerifier() (and authenticate()) throw a TypeError
 * naming the option, synchronously at creation, never later as a 500 or a silent pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createVerifier,
  DEFAULTS,
  type AuthenticateOptions,
  type VerifierOptions,
} from '../../src/index.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken } from '../helpers/keys.js';

const BASE = { issuer: 'https://login.example.com/', audience: 'api://receipts' } as const;

/** The TypeError `fn` throws; fails when it throws anything else or nothing. */
function typeError(fn: () => unknown): TypeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error('expected a TypeError');
}

/** Options with `patch` applied over {@link BASE}; an `undefined` value deletes the option. */
function withOptions(patch: Record<string, unknown>): VerifierOptions {
  const options: Record<string, unknown> = { ...BASE, ...patch };
  for (const [name, value] of Object.entries(patch)) if (value === undefined) delete options[name];
  return options as unknown as VerifierOptions;
}

type Case = [description: string, patch: Record<string, unknown>, named: string];

const INVALID: Case[] = [
  // issuer
  ['issuer missing', { issuer: undefined }, 'issuer'],
  ['issuer empty', { issuer: '' }, 'issuer'],
  ['issuer an empty array', { issuer: [] }, 'issuer'],
  ['issuer a number', { issuer: 42 }, 'issuer'],
  ['issuer an array holding a number', { issuer: ['https://login.example.com/', 7] }, 'issuer'],
  ['issuer with a space', { issuer: 'https://login.example.com/ tenant' }, 'issuer'],
  ['issuer with non-ASCII', { issuer: 'https://lögin.example.com/' }, 'issuer'],
  ['issuer over plain http on a public host (discovery)', { issuer: 'http://login.example.com/' }, 'issuer'],
  ['issuer not a URL (discovery)', { issuer: 'login.example.com' }, 'issuer'],
  ['issuer with credentials (discovery)', { issuer: 'https://user:pw@login.example.com/' }, 'issuer'],
  ['issuer template without jwksUri', { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' }, 'jwksUri'],
  [
    'issuer template with two placeholders',
    { issuer: 'https://{tenantid}.example.com/{tenantid}', jwksUri: 'https://keys.example.com/jwks' },
    'issuer',
  ],
  // audience
  ['audience missing', { audience: undefined }, 'audience'],
  ['audience empty', { audience: '' }, 'audience'],
  ['audience an empty array', { audience: [] }, 'audience'],
  ['audience an array holding an empty string', { audience: [''] }, 'audience'],
  ['audience an array holding a number', { audience: [123] }, 'audience'],
  ['audience null', { audience: null }, 'audience'],
  ['audience an object', { audience: { value: 'api://receipts' } }, 'audience'],
  // jwksUri
  ['jwksUri over plain http on a public host', { jwksUri: 'http://keys.example.com/jwks' }, 'jwksUri'],
  ['jwksUri relative', { jwksUri: '/jwks' }, 'jwksUri'],
  ['jwksUri with credentials', { jwksUri: 'https://user:pw@keys.example.com/jwks' }, 'jwksUri'],
  ['jwksUri with a fragment', { jwksUri: 'https://keys.example.com/jwks#keys' }, 'jwksUri'],
  ['jwksUri with another scheme', { jwksUri: 'ftp://keys.example.com/jwks' }, 'jwksUri'],
  ['jwksUri a URL object', { jwksUri: new URL('https://keys.example.com/jwks') }, 'jwksUri'],
  // algorithms
  ['algorithms with HS256', { algorithms: ['RS256', 'HS256'] }, 'algorithms'],
  ['algorithms with none', { algorithms: ['none'] }, 'algorithms'],
  ['algorithms with NONE', { algorithms: ['NONE'] }, 'algorithms'],
  ['algorithms with an unknown name', { algorithms: ['XS256'] }, 'algorithms'],
  ['algorithms with a lower-case name', { algorithms: ['rs256'] }, 'algorithms'],
  ['algorithms empty', { algorithms: [] }, 'algorithms'],
  ['algorithms a string', { algorithms: 'RS256' }, 'algorithms'],
  ['algorithms with a number', { algorithms: [256] }, 'algorithms'],
  // times
  ['clockTolerance negative', { clockTolerance: -1 }, 'clockTolerance'],
  ['clockTolerance NaN', { clockTolerance: Number.NaN }, 'clockTolerance'],
  ['clockTolerance Infinity', { clockTolerance: Number.POSITIVE_INFINITY }, 'clockTolerance'],
  ['clockTolerance a string', { clockTolerance: '60' }, 'clockTolerance'],
  ['clockTolerance null', { clockTolerance: null }, 'clockTolerance'],
  ['clockTolerance in milliseconds by mistake (60000)', { clockTolerance: 60_000 }, 'clockTolerance'],
  ['clockTolerance just above 300 seconds', { clockTolerance: 300.5 }, 'clockTolerance'],
  ['maxTokenAge negative', { maxTokenAge: -1 }, 'maxTokenAge'],
  ['maxTokenAge a string', { maxTokenAge: '1h' }, 'maxTokenAge'],
  // realm
  ['realm empty', { realm: '' }, 'realm'],
  ['realm with a quote', { realm: 'my "api"' }, 'realm'],
  ['realm with a backslash', { realm: 'my\\api' }, 'realm'],
  ['realm with non-ASCII', { realm: 'réceipts' }, 'realm'],
  ['realm with a line break', { realm: 'api\r\nSet-Cookie: x=1' }, 'realm'],
  ['realm too long', { realm: 'r'.repeat(257) }, 'realm'],
  ['realm a number', { realm: 42 }, 'realm'],
  // other options
  ['requiredTokenType unknown', { requiredTokenType: 'jwt' }, 'requiredTokenType'],
  ['audienceClaim unknown', { audienceClaim: 'sub' }, 'audienceClaim'],
  ['profile unknown', { profile: 'google' }, 'profile'],
  ['maxTokenLength too small', { maxTokenLength: 10 }, 'maxTokenLength'],
  ['maxTokenLength fractional', { maxTokenLength: 1000.5 }, 'maxTokenLength'],
  ['maxTokenLength Infinity', { maxTokenLength: Number.POSITIVE_INFINITY }, 'maxTokenLength'],
  ['validateKeyIssuer a string', { validateKeyIssuer: 'yes' }, 'validateKeyIssuer'],
  ['allowedClientIds empty', { allowedClientIds: [] }, 'allowedClientIds'],
  ['allowedClientIds with a space', { allowedClientIds: ['my app'] }, 'allowedClientIds'],
  ['allowedTenants empty', { allowedTenants: [] }, 'allowedTenants'],
  ['allowedTenants with a number', { allowedTenants: [1] }, 'allowedTenants'],
  ['excludedTenants empty', { excludedTenants: [] }, 'excludedTenants'],
  ['excludedTenants with a number', { excludedTenants: [9188040] }, 'excludedTenants'],
  ['requiredClaims a string', { requiredClaims: 'token_use=access' }, 'requiredClaims'],
  ['requiredClaims with an object value', { requiredClaims: { token_use: {} } }, 'requiredClaims'],
  ['requiredClaims with a null value', { requiredClaims: { token_use: null } }, 'requiredClaims'],
  ['claims a string', { claims: 'scp' }, 'claims'],
  ['claims with an unknown location', { claims: { permissions: ['permissions'] } }, 'claims.permissions'],
  ['claims.scopes an empty string', { claims: { scopes: '' } }, 'claims.scopes'],
  ['claims.roles a number', { claims: { roles: 7 } }, 'claims.roles'],
  ['claims.roles an array holding a number', { claims: { roles: ['groups', 7] } }, 'claims.roles'],
  ['claims.roles a single string through __proto__', { claims: { roles: '__proto__.roles' } }, 'claims.roles'],
  ['claims.roles with an empty path', { claims: { roles: [''] } }, 'claims.roles'],
  ['claims.clientId with an empty segment list', { claims: { clientId: [[]] } }, 'claims.clientId'],
  ['keys a string', { keys: 'fast' }, 'keys'],
  ['keys.timeoutMs zero', { keys: { timeoutMs: 0 } }, 'keys.timeoutMs'],
  ['keys.maxAgeMs negative', { keys: { maxAgeMs: -1 } }, 'keys.maxAgeMs'],
  ['keys.cooldownMs a string', { keys: { cooldownMs: '30s' } }, 'keys.cooldownMs'],
  ['keys.maxResponseBytes tiny', { keys: { maxResponseBytes: 10 } }, 'keys.maxResponseBytes'],
  ['keys.retryMaxMs below keys.retryMinMs', { keys: { retryMinMs: 10, retryMaxMs: 5 } }, 'keys.retryMaxMs'],
  ['keys.allowedRedirectHosts a string', { keys: { allowedRedirectHosts: 'cdn.example.com' } }, 'keys.allowedRedirectHosts'],
  ['keys.fetch not a function', { keys: { fetch: 'undici' } }, 'keys.fetch'],
  ['keys with an unknown option', { keys: { ttl: 60 } }, 'keys.ttl'],
  ['cache a string', { cache: 'lru' }, 'cache'],
  ['cache.maxEntries zero', { cache: { maxEntries: 0 } }, 'cache.maxEntries'],
  ['cache.maxTtlMs fractional', { cache: { maxTtlMs: 1.5 } }, 'cache.maxTtlMs'],
  ['cache.maxBytes zero', { cache: { maxBytes: 0 } }, 'cache.maxBytes'],
  ['cache.maxBytes a string', { cache: { maxBytes: '32MiB' } }, 'cache.maxBytes'],
  ['cache with an unknown option', { cache: { ttl: 5 } }, 'cache.ttl'],
  // unknown keys (typos)
  ['an unknown option "issuers"', { issuers: ['https://login.example.com/'] }, 'issuers'],
  ['an unknown option "audiences"', { audiences: ['api://receipts'] }, 'audiences'],
  ['an unknown option "clocktolerance"', { clocktolerance: 30 }, 'clocktolerance'],
  ['an unknown option "secret"', { secret: 'shh' }, 'secret'],
];

describe('createVerifier() option validation', () => {
  it.each(INVALID)('throws a TypeError naming the option for %s', (_description, patch, named) => {
    const error = typeError(() => createVerifier(withOptions(patch)));
    expect(error.message).toContain(`option "${named}"`);
  });

  it.each(INVALID)('authenticate() throws the same TypeError for %s', (_description, patch, named) => {
    const error = typeError(() => authenticate(withOptions(patch)));
    expect(error.message).toContain(`option "${named}"`);
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['an empty array', []],
    ['a string', 'https://login.example.com/'],
  ])('throws a TypeError naming issuer and audience when the options are %s', (_name, value) => {
    const error = typeError(() => createVerifier(value as VerifierOptions));
    expect(error.message).toContain('"issuer"');
    expect(error.message).toContain('"audience"');
  });

  it('refuses a clockTolerance above 300 with a message that says it is in seconds, and accepts 300', () => {
    const error = typeError(() => createVerifier(withOptions({ clockTolerance: 60_000 })));
    expect(error.message).toBe('bearer-guard: option "clockTolerance" must be a finite number >= 0 and <= 300 (seconds)');
    expect(() => createVerifier(withOptions({ clockTolerance: 300 }))).not.toThrow();
    expect(() => createVerifier(withOptions({ clockTolerance: DEFAULTS.maxClockTolerance }))).not.toThrow();
  });

  it('does not echo a secret-looking value of an unknown option', () => {
    const error = typeError(() => createVerifier(withOptions({ clientSecret: 'very-secret-value' })));
    expect(error.message).toContain('"clientSecret"');
    expect(error.message).not.toContain('very-secret-value');
  });
});

describe('authenticate() option validation', () => {
  it.each<[string, unknown]>([
    ['an unknown location', ['header', 'cookie']],
    ['a string', 'query'],
    ['null', null],
  ])('throws a TypeError naming tokenLocations for %s', (_name, tokenLocations) => {
    const options = { tokenLocations } as unknown as AuthenticateOptions;
    expect(typeError(() => authenticate(BASE, options)).message).toContain('"tokenLocations"');
  });

  it.each<[string, unknown, string]>([
    ['an unknown option', { tokenLocation: ['query'] }, '"tokenLocation"'],
    ['options that are not an object', 'query', 'authenticate()'],
    ['null options', null, 'authenticate()'],
  ])('throws a TypeError for %s', (_name, options, named) => {
    expect(typeError(() => authenticate(BASE, options as AuthenticateOptions)).message).toContain(named);
  });

  it('throws a TypeError naming realm when it differs from the verifier realm', () => {
    expect(typeError(() => authenticate(createVerifier({ ...BASE, realm: 'a' }), { realm: 'b' })).message).toContain('"realm"');
    expect(typeError(() => authenticate(BASE, { realm: 'b' })).message).toContain('"realm"');
    expect(() => authenticate({ ...BASE, realm: 'b' }, { realm: 'b' })).not.toThrow();
  });

  it.each(['', 'my "api"', 'réceipts'])('throws a TypeError naming realm for the realm %j', (realm) => {
    const verifier = { verify: () => Promise.reject(new Error('unused')) };
    expect(typeError(() => authenticate(verifier, { realm })).message).toContain('"realm"');
  });

  it.each<[string, unknown]>([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'https://login.example.com/'],
  ])('throws a TypeError when given %s', (_name, value) => {
    typeError(() => authenticate(value as VerifierOptions));
  });
});

describe('valid options', () => {
  let server: IssuerServer;
  beforeAll(async () => {
    server = await startIssuerServer();
  });
  afterAll(async () => server.close());

  it.each([
    ['an https issuer', { issuer: 'https://login.example.com/' }],
    ['an http issuer on 127.0.0.1', { issuer: 'http://127.0.0.1:8080' }],
    ['an http issuer on localhost', { issuer: 'http://localhost:8080/realms/demo' }],
    ['an http issuer on [::1]', { issuer: 'http://[::1]:8080' }],
    ['several issuers and audiences', { issuer: ['https://a.example.com/', 'https://b.example.com/'], audience: ['x', 'y'] }],
    [
      'an issuer template with a jwksUri',
      { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0', jwksUri: 'https://login.microsoftonline.com/common/discovery/v2.0/keys' },
    ],
    ['a non-URL issuer with a jwksUri', { issuer: 'urn:example:issuer', jwksUri: 'https://keys.example.com/jwks' }],
    [
      'every option set to a valid value',
      {
        jwksUri: 'https://keys.example.com/jwks',
        algorithms: ['RS256', 'ES256'],
        clockTolerance: 0,
        realm: 'receipts',
        maxTokenAge: 3600,
        requiredTokenType: 'at+jwt',
        audienceClaim: 'aud',
        allowedClientIds: ['payments'],
        allowedTenants: ['contoso'],
        excludedTenants: ['9188040d-6c67-4c5b-b112-36a304b66dad'],
        requiredClaims: { token_use: 'access', ver: 2, internal: true },
        claims: { scopes: ['scp', ['ext', 'scopes']], roles: ['realm_access.roles'], clientId: ['cid'], tenantId: ['tid'] },
        profile: 'okta',
        validateKeyIssuer: false,
        maxTokenLength: 8192,
        keys: { maxAgeMs: 60_000, cooldownMs: 0, timeoutMs: 1000, allowedRedirectHosts: ['cdn.example.com'], fetch: globalThis.fetch },
        cache: { maxEntries: 10, maxBytes: 1_000_000, maxTtlMs: 1000 },
      },
    ],
    ['the token cache turned off', { cache: false }],
    ['claim locations given as single strings', { claims: { scopes: 'scp', roles: 'realm_access.roles', clientId: 'cid', tenantId: 'org_id' } }],
  ])('accepts %s', (_name, patch) => {
    expect(() => createVerifier(withOptions(patch))).not.toThrow();
  });

  it('exposes the defaults in one frozen object: 60 s of clock tolerance and the realm "api"', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(DEFAULTS).toMatchObject({ clockTolerance: 60, maxClockTolerance: 300, maxTokenLength: 16_384, realm: 'api' });
    expect(DEFAULTS.cache).toEqual({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024, maxTtlMs: 600_000 });
    expect(createVerifier(BASE).realm).toBe('api');
    expect(createVerifier({ ...BASE, realm: 'receipts' }).realm).toBe('receipts');
  });

  it('fetches nothing at creation', () => {
    createVerifier({ issuer: server.url, audience: 'api://receipts' });
    createVerifier({ issuer: server.url, audience: 'api://receipts', jwksUri: server.jwksUri });
    authenticate({ issuer: server.url, audience: 'api://receipts' });
    expect(server.jwksHits() + server.discoveryHits()).toBe(0);
  });

});

describe('claims given as one claim path string', () => {
  let server: IssuerServer;
  beforeAll(async () => {
    server = await startIssuerServer();
  });
  afterAll(async () => server.close());

  it('reads each single string as one location: a claim name, a dot-path or a namespaced name', async () => {
    const key = await createTestKey('ES256');
    server.keys = [key.jwk];
    const verifier = createVerifier({
      issuer: server.url,
      audience: 'api://receipts',
      jwksUri: server.jwksUri,
      claims: { scopes: 'https://example.com/permissions', roles: 'groups', clientId: 'app.id', tenantId: 'org_id' },
    });
    const token = await signToken(key, {
      iss: server.url,
      aud: 'api://receipts',
      'https://example.com/permissions': 'receipts:read receipts:write',
      groups: ['accountants'],
      app: { id: 'payments' },
      org_id: 'org_42',
      scope: 'ignored',
      roles: ['Ignored'],
      client_id: 'ignored',
    });
    const auth = await verifier.verify(token);
    expect(auth.scopes).toEqual(['receipts:read', 'receipts:write']);
    expect(auth.roles).toEqual(['accountants']);
    expect(auth.clientId).toBe('payments');
    expect(auth.tenantId).toBe('org_42');
  });
});
