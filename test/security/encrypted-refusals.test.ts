/**
 * Every refusal of an encrypted token (JWE) over real HTTP on every framework: algorithms outside the lists
 * (`RSA1_5`, `PBES2-*`, `dir` and AES-GCM key wrap unless listed), `zip`, `crit`, wrong keys, tampered parts,
 * a JWE inside the JWE, content nobody signed, every failure of the signed token inside, and the size cap
 * before any decryption: each a 401 `invalid_token` with the uniform description and a precise reason.
 */
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { AUDIENCE, b64, encryptedRoutes, expectRefused, extraKeys, tampered, withHeader } from './encrypted-support.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: AUDIENCE });
});
afterAll(() => issuer.close());

describe.each(FRAMEWORKS)('refused encrypted access tokens on $name', ({ build }) => {
  let server: Server;
  beforeAll(() => {
    server = build(encryptedRoutes(issuer), reasonErrorHandler);
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

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
    ['a key nobody configured', '/keyobject', () => issuer.signEncrypted({}, {}, { key: extraKeys.stranger.publicKey, header: { kid: 'test-encryption-rsa' } }), 'decryption_failed'],
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
    await expectRefused(server, path, await token(), reason);
  });
});
