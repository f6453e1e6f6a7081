import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, type VerifierOptions } from '../../../src/index.js';
import { toDiscoveryUrls, toIssuerMetadata } from '../../../src/verify/keys/discovery.js';
import { KeyFetchError } from '../../../src/http/fetch-json.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../../helpers/keys.js';
import { recordKeyEvents, settle, startUniqueIssuer, type KeyEventLog } from './support.js';

const AUDIENCE = 'api://discovery';
const T0 = Date.parse('2030-01-01T00:00:00Z');
const MAX_AGE = 600_000;

let key: TestKey;
let server: IssuerServer;
let log: KeyEventLog;
const pathOf = (s: IssuerServer): string => new URL(s.url).pathname.replace(/\/$/, '');
const openidPath = (s: IssuerServer): string => `${pathOf(s)}/.well-known/openid-configuration`;
const oauthPath = (s: IssuerServer): string => `/.well-known/oauth-authorization-server${pathOf(s)}`;

beforeAll(async () => {
  key = await createTestKey('ES256');
});
beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  server = await startUniqueIssuer({ keys: [key.jwk] });
  log = recordKeyEvents(server.url);
});
afterEach(async () => {
  log.stop();
  vi.useRealTimers();
  await server.close();
});

function verifierFor(s: IssuerServer, extra: Partial<VerifierOptions> = {}): ReturnType<typeof createVerifier> {
  return createVerifier({ issuer: s.url, audience: AUDIENCE, cache: false, ...extra });
}

function tokenFor(s: IssuerServer): Promise<string> {
  return signToken(key, { iss: s.url, aud: AUDIENCE, sub: 'svc', client_id: 'svc' }, { expiresIn: 7200 });
}

/** `ok`, or `<status> <reason>` of the error the verifier rejected with. */
async function outcome(verifier: ReturnType<typeof createVerifier>, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
}

describe('discovery URLs', () => {
  it('appends the OpenID path, inserts the RFC 8414 path before the issuer path, then appends the RFC 8414 path', () => {
    expect(toDiscoveryUrls('https://id.example.com/realms/shop')).toEqual([
      'https://id.example.com/realms/shop/.well-known/openid-configuration',
      'https://id.example.com/.well-known/oauth-authorization-server/realms/shop',
      'https://id.example.com/realms/shop/.well-known/oauth-authorization-server',
    ]);
  });

  it('tries the RFC 8414 path once for an issuer without a path', () => {
    expect(toDiscoveryUrls('https://id.example.com')).toEqual([
      'https://id.example.com/.well-known/openid-configuration',
      'https://id.example.com/.well-known/oauth-authorization-server',
    ]);
  });

  it('drops the trailing slash of an issuer before building the paths', () => {
    expect(toDiscoveryUrls('https://tenant.auth0.example/')).toEqual([
      'https://tenant.auth0.example/.well-known/openid-configuration',
      'https://tenant.auth0.example/.well-known/oauth-authorization-server',
    ]);
    expect(toDiscoveryUrls('https://example.okta.com/oauth2/default/')).toEqual([
      'https://example.okta.com/oauth2/default/.well-known/openid-configuration',
      'https://example.okta.com/.well-known/oauth-authorization-server/oauth2/default',
      'https://example.okta.com/oauth2/default/.well-known/oauth-authorization-server',
    ]);
  });
});

describe('metadata checks', () => {
  const ID = 'https://id.example.com';
  const url = `${ID}/.well-known/openid-configuration`;

  it('keeps the jwks_uri of a document whose issuer equals the configured one', () => {
    const document = { issuer: ID, jwks_uri: `${ID}/k` };
    expect(toIssuerMetadata(document, ID, url)).toEqual({ issuer: ID, jwksUri: `${ID}/k`, introspectionEndpoint: undefined });
  });

  it('keeps an introspection_endpoint that may be fetched, and leaves out one that may not', () => {
    const named = (introspection_endpoint: unknown) => toIssuerMetadata({ issuer: ID, jwks_uri: `${ID}/k`, introspection_endpoint }, ID, url);
    expect(named(`${ID}/introspect`).introspectionEndpoint).toBe(`${ID}/introspect`);
    expect(named('http://127.0.0.1:8080/introspect').introspectionEndpoint).toBe('http://127.0.0.1:8080/introspect');
    for (const unusable of ['http://id.example.com/introspect', '/introspect', 'https://u:p@id.example.com/i', 42, null]) {
      expect(named(unusable)).toEqual({ issuer: ID, jwksUri: `${ID}/k`, introspectionEndpoint: undefined });
    }
  });

  it.each<[string, unknown, string]>([
    ['an issuer with a trailing slash', { issuer: `${ID}/`, jwks_uri: `${ID}/k` }, 'issuer_mismatch'],
    ['an issuer in another case', { issuer: 'https://ID.example.com', jwks_uri: `${ID}/k` }, 'issuer_mismatch'],
    ['no issuer', { jwks_uri: `${ID}/k` }, 'issuer_mismatch'],
    ['no jwks_uri', { issuer: ID }, 'invalid_document'],
    ['a jwks_uri that is not a string', { issuer: ID, jwks_uri: [`${ID}/k`] }, 'invalid_document'],
    ['a plain http jwks_uri', { issuer: ID, jwks_uri: 'http://id.example.com/k' }, 'insecure_url'],
    ['a relative jwks_uri', { issuer: ID, jwks_uri: '/k' }, 'insecure_url'],
    ['an array', [], 'invalid_document'],
    ['null', null, 'invalid_document'],
  ])('refuses a document with %s', (_name, document, kind) => {
    let error: unknown;
    try {
      toIssuerMetadata(document, ID, url);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(KeyFetchError);
    expect((error as KeyFetchError).kind).toBe(kind);
  });
});

describe('discovery over HTTP', () => {
  it('uses OpenID discovery first and fetches nothing else', async () => {
    expect(await outcome(verifierFor(server), await tokenFor(server))).toBe('ok');
    expect(server.hits.get(openidPath(server))).toBe(1);
    expect(server.hits.get(oauthPath(server))).toBeUndefined();
    expect(server.jwksHits()).toBe(1);
    expect(log.of('fetched').map((event) => [event.resource, event.trigger])).toEqual([
      ['metadata', 'initial'],
      ['jwks', 'initial'],
    ]);
  });

  it('falls back to RFC 8414 metadata when OpenID discovery is absent', async () => {
    server.openidDiscovery = false;
    expect(await outcome(verifierFor(server), await tokenFor(server))).toBe('ok');
    expect(server.hits.get(openidPath(server))).toBe(1);
    expect(server.hits.get(oauthPath(server))).toBe(1);
  });

  it('discovers an issuer that has a path, at both well-known locations', async () => {
    const tenant = await startIssuerServer({ keys: [key.jwk], path: '/realms/shop' });
    try {
      tenant.openidDiscovery = false;
      expect(await outcome(verifierFor(tenant), await tokenFor(tenant))).toBe('ok');
      expect(tenant.hits.get('/realms/shop/.well-known/openid-configuration')).toBe(1);
      expect(tenant.hits.get('/.well-known/oauth-authorization-server/realms/shop')).toBe(1);
    } finally {
      await tenant.close();
    }
  });

  it('answers 503 metadata_unavailable, and never fetches keys, when the metadata names another issuer', async () => {
    server.metadataIssuer = `${server.url}/`;
    const verifier = verifierFor(server);
    expect(await outcome(verifier, await tokenFor(server))).toBe('503 metadata_unavailable');
    expect(server.discoveryHits()).toBe(2);
    expect(server.jwksHits()).toBe(0);
    const [failed] = log.of('refresh_failed');
    expect(failed).toMatchObject({ resource: 'metadata', kind: 'issuer_mismatch', servingStale: false });
    expect(failed!.message).toContain('the metadata "issuer" differs from the configured issuer');
  });

  it('refuses metadata whose jwks_uri is plain http on a public host, without contacting it', async () => {
    const metadata = { issuer: server.url, jwks_uri: 'http://keys.example.com/jwks' };
    server.discovery = { kind: 'body', body: JSON.stringify(metadata) };
    expect(await outcome(verifierFor(server), await tokenFor(server))).toBe('503 metadata_unavailable');
    expect(log.of('refresh_failed')).toMatchObject([{ resource: 'metadata', kind: 'insecure_url' }]);
  });

  it('does not try the RFC 8414 location after OpenID discovery timed out', async () => {
    server.discovery = { kind: 'hang' };
    const verifier = verifierFor(server, { keys: { timeoutMs: 200 } });
    expect(await outcome(verifier, await tokenFor(server))).toBe('503 metadata_unavailable');
    expect(server.hits.get(openidPath(server))).toBe(1);
    expect(server.hits.get(oauthPath(server))).toBeUndefined();
    expect(log.of('refresh_failed')).toMatchObject([{ resource: 'metadata', kind: 'timeout' }]);
  });

  it('never discovers an issuer read from a token', async () => {
    const stranger = await startUniqueIssuer({ keys: [key.jwk] });
    try {
      expect(await outcome(verifierFor(server), await tokenFor(stranger))).toBe('401 issuer_mismatch');
      expect(stranger.hits.size).toBe(0);
      expect(server.hits.size).toBe(0);
    } finally {
      await stranger.close();
    }
  });

  it('caches metadata for maxAgeMs and shares it among verifiers with the same key options', async () => {
    const token = await tokenFor(server);
    expect(await outcome(verifierFor(server), token)).toBe('ok');
    expect(await outcome(verifierFor(server), token)).toBe('ok');
    vi.setSystemTime(T0 + MAX_AGE - 1);
    expect(await outcome(verifierFor(server), token)).toBe('ok');
    expect(server.discoveryHits()).toBe(1);
    expect(server.jwksHits()).toBe(1);
    // Another timeout is another key configuration: its own metadata and keys.
    expect(await outcome(verifierFor(server, { keys: { timeoutMs: 4000 } }), token)).toBe('ok');
    expect(server.discoveryHits()).toBe(2);
    expect(server.jwksHits()).toBe(2);
  });

  it('follows a jwks_uri that changes when the metadata is refreshed', async () => {
    const verifier = verifierFor(server);
    const token = await tokenFor(server);
    expect(await outcome(verifier, token)).toBe('ok');
    const moved = await startUniqueIssuer({ keys: [key.jwk] });
    try {
      server.discovery = { kind: 'body', body: JSON.stringify({ issuer: server.url, jwks_uri: moved.jwksUri }) };
      vi.setSystemTime(T0 + MAX_AGE);
      expect(await outcome(verifier, token)).toBe('ok'); // served by the old URI while metadata refreshes
      await settle(() => log.of('fetched').filter((event) => event.resource === 'metadata').length === 2);
      expect(await outcome(verifier, token)).toBe('ok');
      expect(moved.jwksHits()).toBe(1);
    } finally {
      await moved.close();
    }
  });

  it('keeps using the last discovered key set when metadata stays unreachable past its stale-if-error window', async () => {
    const verifier = verifierFor(server, { keys: { staleIfErrorMs: 60_000 } });
    const token = await tokenFor(server);
    expect(await outcome(verifier, token)).toBe('ok');
    server.discovery = { kind: 'status', status: 500 };
    vi.setSystemTime(T0 + MAX_AGE);
    expect(await outcome(verifier, token)).toBe('ok');
    // The metadata refresh fails; the key set, on its own schedule, refreshes fine.
    await settle(() => log.of('refresh_failed').length === 1 && log.of('fetched').length === 3);
    vi.setSystemTime(T0 + MAX_AGE + 60_000);
    expect(await outcome(verifier, token)).toBe('ok');
    await settle(() => log.of('refresh_failed').length === 2);
    expect(log.of('refresh_failed').map((event) => [event.resource, event.trigger])).toEqual([
      ['metadata', 'stale'],
      ['metadata', 'expired'],
    ]);
    expect(server.jwksHits()).toBe(2);
  });

  it('answers 503 metadata_unavailable when metadata was never loaded and cannot be', async () => {
    server.discovery = { kind: 'status', status: 502 };
    const verifier = verifierFor(server);
    const token = await tokenFor(server);
    const answers = await Promise.all(Array.from({ length: 20 }, () => outcome(verifier, token)));
    expect(new Set(answers)).toEqual(new Set(['503 metadata_unavailable']));
    expect(server.discoveryHits()).toBe(2);
    expect(server.jwksHits()).toBe(0);
  });
});
