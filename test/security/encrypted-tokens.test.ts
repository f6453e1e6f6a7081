/**
 * Encrypted access tokens (JWE) over real HTTP on every framework: OpenIddict-shaped tokens from the test
 * issuer (RSA-OAEP or A256KW, A256CBC-HS512, inner `typ: at+jwt`) with the decryption keys given as
 * KeyObject, JWK and PEM; every algorithm allowed by default, and those that must be listed; and every
 * refusal: a 401 `invalid_token` with the uniform description and a precise reason, never a 5xx.
 */
import { createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  onVerifyEvent,
  openIddict,
  requireScopes,
  type AuthRequest,
  type Middleware,
  type VerifierOptions,
} from '../../src/index.js';
import { createTestIssuer, type EncryptTokenOptions, type TestIssuer } from '../../src/testing/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS, type TestRoute } from '../helpers/frameworks.js';

const AUDIENCE = 'api://receipts';
const UNIFORM = 'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"';
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const x25519 = generateKeyPairSync('x25519');
const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
const aes128 = createSecretKey(randomBytes(16));
const aes192 = createSecretKey(randomBytes(24));
const dir64 = createSecretKey(randomBytes(64));
const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const pem = (key: KeyObject): string => key.export({ format: 'pem', type: 'pkcs8' }).toString();

let issuer: TestIssuer;

/** Shows what `req.auth` says about the token in response headers, then lets the route answer. */
const expose: Middleware = (req: AuthRequest, res, next) => {
  const auth = req.auth!;
  res.setHeader('x-format', auth.format);
  res.setHeader('x-typ', String(auth.header.typ));
  res.setHeader('x-token-as-sent', String(req.headers.authorization === `Bearer ${auth.token}`));
  next();
};

function routes(): TestRoute[] {
  const keys = issuer.decryptionKeys;
  const base = issuer.verifierOptions();
  const every = [keys.rsa.privateKey, keys.aes.secretKey, p256.privateKey, x25519.privateKey, aes128, aes192];
  const guard = (options: VerifierOptions): Middleware => authenticate(options);
  return [
    { path: '/keyobject', chain: [guard({ ...base, decryption: { keys: every } }), expose] },
    { path: '/jwk', chain: [guard({ ...base, decryption: { keys: [keys.rsa.jwk, keys.aes.jwk] } }), expose] },
    { path: '/pem', chain: [guard({ ...base, decryption: { keys: [keys.rsa.pem, pem(p256.privateKey)] } }), expose] },
    {
      path: '/listed',
      chain: [
        guard({
          ...base,
          decryption: {
            keys: [keys.rsa.privateKey, keys.aes.secretKey, dir64],
            keyManagementAlgorithms: ['RSA-OAEP-384', 'RSA-OAEP-512', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'dir'],
          },
        }),
        expose,
      ],
    },
    { path: '/cbc-only', chain: [guard({ ...base, decryption: { keys: every, contentEncryptionAlgorithms: ['A256CBC-HS512'] } })] },
    { path: '/plain', chain: [guard(base)] },
    { path: '/unreachable', chain: [guard({ ...base, jwksUri: 'http://127.0.0.1:9/jwks', decryption: { keys: every } })] },
    { path: '/small', chain: [guard({ ...base, maxTokenLength: 1024, decryption: { keys: every } }), expose] },
    { path: '/required', chain: [guard({ ...base, decryption: { keys: every, required: true } }), expose] },
    {
      path: '/openiddict',
      chain: [guard(openIddict({ issuer: issuer.url, audience: AUDIENCE, decryptionKeys: [keys.rsa.pem, keys.aes.jwk] })), requireScopes('receipts.read'), expose],
    },
  ];
}

/** `jwe` with its protected header replaced (the content is not re-encrypted). */
function withHeader(jwe: string, header: Record<string, unknown>): string {
  return [b64(header), ...jwe.split('.').slice(1)].join('.');
}

/** `jwe` with one byte of segment `index` flipped. */
function tampered(jwe: string, index: number): string {
  const parts = jwe.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x40;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: AUDIENCE });
});
afterAll(() => issuer.close());

describe.each(FRAMEWORKS)('encrypted access tokens on $name', ({ build }) => {
  let server: Server;
  beforeAll(() => {
    server = build(routes(), reasonErrorHandler);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (path: string, token: string) => request(server).get(path).set('Authorization', `Bearer ${token}`);

  async function expectAccepted(path: string, token: string): Promise<request.Response> {
    const res = await call(path, token);
    expect(res.status).toBe(200);
    expect(res.headers['x-format']).toBe('jwe');
    expect(res.headers['x-typ']).toBe('at+jwt');
    expect(res.headers['x-token-as-sent']).toBe('true');
    return res;
  }

  async function expectRefused(path: string, token: string, reason: string): Promise<void> {
    const res = await call(path, token);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason });
    expect(res.headers['www-authenticate']).toBe(UNIFORM);
  }

  it.each(['keyobject', 'jwk', 'pem'])('answers 200 for an OpenIddict-shaped token with the key given as %s', async (form) => {
    const res = await expectAccepted(`/${form}`, await issuer.signEncrypted({ scope: 'receipts.read' }));
    expect(res.body).toMatchObject({ clientId: 'test-client', scopes: ['receipts.read'], isAppOnly: true });
  });

  it('answers 200 for an OpenIddict-shaped token wrapped with A256KW (keys as JWK)', async () => {
    await expectAccepted('/jwk', await issuer.signEncrypted({}, {}, { alg: 'A256KW' }));
  });

  const defaults: [string, EncryptTokenOptions['key']][] = [
    ['RSA-OAEP', undefined],
    ['RSA-OAEP-256', undefined],
    ['ECDH-ES', p256.publicKey],
    ['ECDH-ES+A128KW', x25519.publicKey],
    ['ECDH-ES+A192KW', p256.publicKey],
    ['ECDH-ES+A256KW', x25519.publicKey],
    ['A128KW', aes128],
    ['A192KW', aes192],
    ['A256KW', undefined],
  ];
  it.each(defaults)('accepts key management %s, allowed by default', async (alg, key) => {
    await expectAccepted('/keyobject', await issuer.signEncrypted({}, {}, { alg, ...(key === undefined ? {} : { key }) }));
  });

  it.each(['A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512', 'A128GCM', 'A192GCM', 'A256GCM'])(
    'accepts content encryption %s, allowed by default',
    async (enc) => {
      await expectAccepted('/keyobject', await issuer.signEncrypted({}, {}, { alg: 'A256KW', enc }));
    },
  );

  it.each<[string, EncryptTokenOptions]>([
    ['RSA-OAEP-384', { alg: 'RSA-OAEP-384' }],
    ['RSA-OAEP-512', { alg: 'RSA-OAEP-512' }],
    ['A256GCMKW', { alg: 'A256GCMKW' }],
    ['dir with A256GCM', { alg: 'dir', enc: 'A256GCM' }],
    ['dir with A256CBC-HS512', { alg: 'dir', enc: 'A256CBC-HS512', key: dir64 }],
  ])('accepts %s once listed', async (_case, encryption) => {
    await expectAccepted('/listed', await issuer.signEncrypted({}, {}, encryption));
  });

  it('accepts the OpenIddict preset\'s tokens and guards their scopes (403 outside, 200 inside)', async () => {
    await expectAccepted('/openiddict', await issuer.signEncrypted({ scope: 'receipts.read' }));
    const res = await call('/openiddict', await issuer.signEncrypted({ scope: 'receipts.write' }, {}, { alg: 'A256KW' }));
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ reason: 'scope_missing' });
  });

  const refusals: [string, string, () => Promise<string>, string][] = [
    ['RSA1_5', '/keyobject', async () => withHeader(await issuer.signEncrypted(), { alg: 'RSA1_5', enc: 'A256CBC-HS512' }), 'encryption_algorithm_not_allowed'],
    [
      'PBES2 with a p2c of 2^31 - 1',
      '/keyobject',
      async () => withHeader(await issuer.signEncrypted(), { alg: 'PBES2-HS512+A256KW', enc: 'A256CBC-HS512', p2c: 2 ** 31 - 1, p2s: b64('saltsaltsalt') }),
      'encryption_algorithm_not_allowed',
    ],
    ['dir, not listed', '/keyobject', () => issuer.signEncrypted({}, {}, { alg: 'dir', enc: 'A256GCM' }), 'encryption_algorithm_not_allowed'],
    ['A256GCMKW, not listed', '/keyobject', () => issuer.signEncrypted({}, {}, { alg: 'A256GCMKW' }), 'encryption_algorithm_not_allowed'],
    ['RSA-OAEP where only other algorithms are listed', '/listed', () => issuer.signEncrypted(), 'encryption_algorithm_not_allowed'],
    ['an enc outside the list', '/cbc-only', () => issuer.signEncrypted({}, {}, { enc: 'A256GCM' }), 'content_encryption_not_allowed'],
    ['zip DEF', '/keyobject', () => issuer.signEncrypted({}, {}, { header: { zip: 'DEF' } }), 'compression_not_allowed'],
    [
      'an unknown crit',
      '/keyobject',
      async () => withHeader(await issuer.signEncrypted(), { alg: 'RSA-OAEP', enc: 'A256CBC-HS512', crit: ['exp'], exp: 1 }),
      'encryption_header_invalid',
    ],
    ['a key nobody configured', '/keyobject', () => issuer.signEncrypted({}, {}, { key: stranger.publicKey, header: { kid: 'test-encryption-rsa' } }), 'decryption_failed'],
    ['a kid no key has', '/jwk', () => issuer.signEncrypted({}, {}, { header: { kid: 'retired' } }), 'decryption_key_not_found'],
    ['a tampered encrypted key', '/keyobject', async () => tampered(await issuer.signEncrypted(), 1), 'decryption_failed'],
    ['a tampered IV', '/keyobject', async () => tampered(await issuer.signEncrypted(), 2), 'decryption_failed'],
    ['a tampered ciphertext', '/keyobject', async () => tampered(await issuer.signEncrypted(), 3), 'decryption_failed'],
    ['a tampered tag', '/keyobject', async () => tampered(await issuer.signEncrypted(), 4), 'decryption_failed'],
    ['a JWE inside the JWE', '/keyobject', async () => issuer.encrypt(await issuer.signEncrypted()), 'encrypted_token_nested'],
    ['claims nobody signed', '/keyobject', () => issuer.encrypt(JSON.stringify({ iss: issuer.url, aud: AUDIENCE, exp: 4e9 })), 'encrypted_token_unsigned'],
    ['an unsecured JWS inside', '/keyobject', () => issuer.encrypt(`${b64({ alg: 'none' })}.${b64({ iss: issuer.url, aud: AUDIENCE })}.`), 'encrypted_token_unsigned'],
    ['a forged signature inside', '/keyobject', async () => issuer.encrypt(tampered(await issuer.sign(), 2)), 'signature_invalid'],
    ['an expired token inside', '/keyobject', () => issuer.signEncrypted({}, { expiresIn: -600 }), 'token_expired'],
    ['another audience inside', '/keyobject', () => issuer.signEncrypted({ aud: 'api://ledger' }), 'audience_mismatch'],
    ['another issuer inside', '/keyobject', () => issuer.signEncrypted({ iss: 'https://id.example.com/' }), 'issuer_mismatch'],
    ['an inner typ JWT under the OpenIddict preset', '/openiddict', () => issuer.signEncrypted({}, { header: { typ: 'JWT' } }), 'token_type_invalid'],
    ['an inner token without client_id under the OpenIddict preset', '/openiddict', () => issuer.signEncrypted({ client_id: undefined }), 'token_type_invalid'],
    ['a token longer than maxTokenLength, before any decryption', '/small', () => issuer.signEncrypted(), 'token_too_large'],
  ];
  it.each(refusals)('answers 401 invalid_token with the uniform description to %s', async (_case, path, token, reason) => {
    await expectRefused(path, await token(), reason);
  });

  it('answers 401 token_encrypted with its own description when no decryption is configured', async () => {
    const res = await call('/plain', await issuer.signEncrypted());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'token_encrypted' });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="Encrypted access tokens are not accepted"',
    );
  });

  it('answers 401 token_not_encrypted to a plain JWS where decryption is required, and 200 to a JWE', async () => {
    const res = await call('/required', await issuer.sign());
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'token_not_encrypted' });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="Unencrypted access tokens are not accepted"',
    );
    await expectAccepted('/required', await issuer.signEncrypted());
  });

  it('still accepts a plain JWS where decryption is configured but not required', async () => {
    for (const path of ['/keyobject', '/small']) {
      const res = await call(path, await issuer.sign());
      expect(res.status).toBe(200);
      expect(res.headers['x-format']).toBe('jws');
    }
  });

  it('answers 503 with Retry-After, not 401, when the keys of the JWS inside cannot be fetched', async () => {
    const res = await call('/unreachable', await issuer.signEncrypted());
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ reason: 'jwks_unavailable' });
    expect(res.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('answers a reused JWE from the verified-token cache, keyed on the token as sent', async () => {
    const token = await issuer.signEncrypted({ scope: 'receipts.read' });
    const cached: boolean[] = [];
    const stop = onVerifyEvent((event) => {
      if (event.type === 'accepted' && event.path === '/jwk') cached.push(event.cached);
    });
    try {
      for (let i = 0; i < 3; i++) await expectAccepted('/jwk', token);
    } finally {
      stop();
    }
    expect(cached).toEqual([false, false, true]);
  });
});
