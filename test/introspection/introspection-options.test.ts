/**
 * The `introspection` option, validated once when the verifier is created: a `TypeError` naming the option
 * for every mistake (never echoing a secret or a key), the defaults, and a client secret that never shows
 * when printed, inspected or serialised.
 */
import { generateKeyPairSync, createSecretKey } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createVerifier, DEFAULTS, type IntrospectionOptions, type VerifierOptions } from '../../src/index.js';
import { ClientSecret } from '../../src/introspection/client-credentials.js';

const SECRET = 'rs-secret-never-shown-0123456789';
const base = { issuer: 'https://as.example.com', audience: 'receipts-api' };

function create(introspection: unknown, extra: Partial<VerifierOptions> = {}): () => unknown {
  return () => createVerifier({ ...base, ...extra, introspection: introspection as IntrospectionOptions });
}

describe('the introspection option', () => {
  it('accepts the documented shapes', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(create({ clientId: 'receipts-api', clientSecret: SECRET })).not.toThrow();
    expect(create({ clientId: 'a', clientSecret: SECRET, clientAuth: 'client_secret_post', tokens: 'all', timeoutMs: 800 })).not.toThrow();
    expect(create({ clientId: 'a', clientAuth: 'private_key_jwt', privateKey, endpoint: 'https://as.example.com/introspect' })).not.toThrow();
    expect(create({ clientId: 'a', clientSecret: SECRET, cache: false })).not.toThrow();
    expect(create({ clientId: 'a', clientSecret: SECRET, cache: { maxEntries: 5, maxTtlMs: 1000, negativeTtlMs: 10, maxBytes: 4096 } })).not.toThrow();
  });

  it.each<[string, unknown, Partial<VerifierOptions>, string]>([
    ['not an object', 'yes', {}, 'option "introspection" must be an object'],
    ['a misspelt member', { clientId: 'a', clientSecret: SECRET, tokenz: 'all' }, {}, 'option "introspection.tokenz" is not a known option'],
    ['no clientId', { clientSecret: SECRET }, {}, 'option "introspection.clientId" is required'],
    ['no clientSecret for client_secret_basic', { clientId: 'a' }, {}, 'option "introspection.clientSecret" is required with clientAuth "client_secret_basic"'],
    ['an empty clientSecret', { clientId: 'a', clientSecret: '' }, {}, 'option "introspection.clientSecret" must be a non-empty string'],
    ['an unknown clientAuth', { clientId: 'a', clientSecret: SECRET, clientAuth: 'tls_client_auth' }, {}, 'option "introspection.clientAuth" must be one of'],
    ['private_key_jwt without privateKey', { clientId: 'a', clientAuth: 'private_key_jwt' }, {}, 'option "introspection.privateKey" is required'],
    ['private_key_jwt with a clientSecret', { clientId: 'a', clientAuth: 'private_key_jwt', clientSecret: SECRET }, {}, 'option "introspection.clientSecret" is not used'],
    ['a privateKey with client_secret_basic', { clientId: 'a', clientSecret: SECRET, privateKey: {} }, {}, 'option "introspection.privateKey" is not used'],
    ['an unknown tokens value', { clientId: 'a', clientSecret: SECRET, tokens: 'jwt' }, {}, 'option "introspection.tokens" must be one of "opaque", "all"'],
    ['an http endpoint off loopback', { clientId: 'a', clientSecret: SECRET, endpoint: 'http://as.example.com/introspect' }, {}, 'option "introspection.endpoint" must use https'],
    ['an endpoint with credentials', { clientId: 'a', clientSecret: SECRET, endpoint: 'https://u:p@as.example.com/i' }, {}, 'must not contain credentials'],
    ['a zero timeoutMs', { clientId: 'a', clientSecret: SECRET, timeoutMs: 0 }, {}, 'option "introspection.timeoutMs" must be a finite number >= 1'],
    ['a cache bound of 0', { clientId: 'a', clientSecret: SECRET, cache: { maxEntries: 0 } }, {}, 'option "introspection.cache.maxEntries" must be an integer >= 1'],
    ['a store that is not one', { clientId: 'a', clientSecret: SECRET, cache: { store: { get() {} } } }, {}, 'option "introspection.cache.store" must be a SharedStore'],
    ['several issuers', { clientId: 'a', clientSecret: SECRET }, { issuer: ['https://a.example', 'https://b.example'] }, 'option "introspection" needs exactly one "issuer"'],
    ['a {tenantid} template issuer', { clientId: 'a', clientSecret: SECRET }, { issuer: 'https://login.example/{tenantid}/v2.0', jwksUri: 'https://login.example/keys' }, 'needs exactly one "issuer"'],
  ])('refuses %s with a TypeError naming the option', (_name, introspection, extra, message) => {
    expect(create(introspection, extra)).toThrow(TypeError);
    expect(create(introspection, extra)).toThrow(message);
  });

  it.each<[string, unknown]>([
    ['a public key', generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey],
    ['a secret key', createSecretKey(Buffer.alloc(32, 7))],
    ['a 1024-bit RSA key', generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey],
    ['a secp256k1 key', generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey],
    ['a public JWK', generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })],
    ['a broken private JWK', { kty: 'EC', crv: 'P-256', d: 'AAAA', x: 'AAAA', y: 'AAAA' }],
  ])('refuses %s as privateKey without showing it', (_name, privateKey) => {
    const attempt = create({ clientId: 'a', clientAuth: 'private_key_jwt', privateKey });
    expect(attempt).toThrow(/^bearer-guard: option "introspection\.privateKey" must be/);
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain('AAAA');
    }
  });

  it('never echoes a client secret of the wrong type', () => {
    expect(create({ clientId: 'a', clientSecret: ['hunter2-secret'] })).toThrow(/^bearer-guard: option "introspection.clientSecret" must be a non-empty string$/);
  });

  it('publishes its defaults', () => {
    expect(DEFAULTS.introspection).toEqual({
      clientAuth: 'client_secret_basic',
      tokens: 'opaque',
      timeoutMs: 5000,
      maxConcurrentCalls: 64,
      maxResponseBytes: 65536,
      cache: { maxEntries: 10000, maxTtlMs: 60000, negativeTtlMs: 5000, maxBytes: 16777216 },
    });
    expect(Object.isFrozen(DEFAULTS.introspection.cache)).toBe(true);
  });
});

describe('a client secret held by the verifier', () => {
  it('prints, inspects and serialises as [redacted]', () => {
    const secret = new ClientSecret(SECRET);
    expect(String(secret)).toBe('[redacted]');
    expect(`${secret}`).toBe('[redacted]');
    expect(JSON.stringify({ secret })).toBe('{"secret":"[redacted]"}');
    expect(inspect({ secret }, { depth: 5, showHidden: true })).not.toContain(SECRET);
    expect(secret.reveal()).toBe(SECRET);
  });
});
