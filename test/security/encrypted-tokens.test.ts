/**
 * Encrypted access tokens (JWE) accepted over real HTTP on every framework: OpenIddict-shaped tokens from the
 * test issuer (RSA-OAEP or A256KW, A256CBC-HS512, inner `typ: at+jwt`) with the decryption keys given as
 * KeyObject, JWK and PEM; every algorithm allowed by default, and those that must be listed; `token_encrypted`
 * without `decryption`, `token_not_encrypted` under `required`, 503 when the inner token's keys are
 * unreachable, and the verified-token cache keyed on the JWE. The refusals are in `encrypted-refusals.test.ts`.
 */
import type { Server } from 'node:http';
import type request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onVerifyEvent } from '../../src/index.js';
import { createTestIssuer, type EncryptTokenOptions, type TestIssuer } from '../../src/testing/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { AUDIENCE, call as send, encryptedRoutes, extraKeys } from './encrypted-support.js';

const { p256, x25519, aes128, aes192, dir64 } = extraKeys;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: AUDIENCE });
});
afterAll(() => issuer.close());

describe.each(FRAMEWORKS)('encrypted access tokens on $name', ({ build }) => {
  let server: Server;
  beforeAll(() => {
    server = build(encryptedRoutes(issuer), reasonErrorHandler);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (path: string, token: string) => send(server, path, token);

  async function expectAccepted(path: string, token: string): Promise<request.Response> {
    const res = await call(path, token);
    expect(res.status).toBe(200);
    expect(res.headers['x-format']).toBe('jwe');
    expect(res.headers['x-typ']).toBe('at+jwt');
    expect(res.headers['x-token-as-sent']).toBe('true');
    return res;
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
