/**
 * The OpenIddict preset: its plain output, its option checks, and over real HTTP on every framework the two
 * ways an OpenIddict server issues access tokens: encrypted (its default; accepted once the encryption
 * certificate's private key is given as `decryptionKeys`) and plain JWS (`DisableAccessTokenEncryption()`),
 * both with header `typ: at+jwt` required. Keys are discovered from the test issuer's metadata.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createVerifier, openIddict, requireScopes, type OpenIddictOptions } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';

const AUDIENCE = 'receipts-api';
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: AUDIENCE });
});
afterAll(() => issuer.close());

describe('openIddict()', () => {
  it('returns typ at+jwt required, scope, role and client_id, and no decryption without keys', () => {
    expect(openIddict({ issuer: 'https://id.example.com/', audience: AUDIENCE })).toEqual({
      profile: 'openiddict',
      issuer: 'https://id.example.com/',
      audience: AUDIENCE,
      requiredTokenType: 'at+jwt',
      claims: { scopes: ['scope'], roles: ['role'], clientId: ['client_id'], tenantId: ['tid'] },
      requiredClaims: {},
    });
  });

  it('passes decryptionKeys on as decryption.keys, copied', () => {
    const keys = [issuer.decryptionKeys.rsa.pem];
    const options = openIddict({ issuer: 'https://id.example.com/', audience: AUDIENCE, decryptionKeys: keys, jwksUri: 'https://id.example.com/.well-known/jwks' });
    expect(options.decryption).toEqual({ keys });
    expect(options.decryption?.keys).not.toBe(keys);
    expect(options.jwksUri).toBe('https://id.example.com/.well-known/jwks');
  });

  it.each<[string, Partial<Record<keyof OpenIddictOptions, unknown>>, string]>([
    ['no issuer', { issuer: undefined }, 'bearer-guard: openIddict() option "issuer" is required'],
    ['empty decryptionKeys', { decryptionKeys: [] }, 'bearer-guard: openIddict() option "decryptionKeys" must be a non-empty array'],
    ['decryptionKeys that is one key, not a list', { decryptionKeys: 'pem' }, 'bearer-guard: openIddict() option "decryptionKeys" must be a non-empty array'],
  ])('refuses %s with a TypeError naming the option', (_case, patch, message) => {
    expect(() => openIddict({ issuer: 'https://id.example.com/', audience: AUDIENCE, ...patch } as OpenIddictOptions)).toThrow(message);
  });

  it('takes the private key as `openssl pkcs12 -nocerts -nodes` exports it, attribute lines included', async () => {
    const exported = `Bag Attributes\n    localKeyID: 01 02 03\nKey Attributes: <No Attributes>\n${issuer.decryptionKeys.rsa.pem}`;
    const verifier = createVerifier(openIddict({ issuer: issuer.url, audience: AUDIENCE, decryptionKeys: [exported] }));
    expect((await verifier.verify(await issuer.signEncrypted({ scope: 'receipts.read' }))).format).toBe('jwe');
  });

  it('leaves each key to createVerifier, which names the unusable one', () => {
    const options = openIddict({ issuer: 'https://id.example.com/', audience: AUDIENCE, decryptionKeys: [issuer.decryptionKeys.rsa.pem, 'not a key'] });
    expect(() => createVerifier(options)).toThrow('bearer-guard: option "decryption.keys[1]" must be a KeyObject, a JWK or a PEM private key');
  });
});

describe.each(FRAMEWORKS)('OpenIddict on $name', ({ build }) => {
  let server: Server;
  beforeAll(() => {
    const keys = issuer.decryptionKeys;
    const encrypted = authenticate(openIddict({ issuer: issuer.url, audience: AUDIENCE, decryptionKeys: [keys.rsa.pem, keys.aes.jwk] }));
    const plain = authenticate(openIddict({ issuer: issuer.url, audience: AUDIENCE }));
    server = build(
      [
        { path: '/encrypted', chain: [encrypted, requireScopes('receipts.read')] },
        { path: '/plain', chain: [plain, requireScopes('receipts.read')] },
      ],
      reasonErrorHandler,
    );
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (path: string, token: string) => request(server).get(path).set('Authorization', `Bearer ${token}`);

  it.each([['RSA-OAEP'], ['A256KW']])('answers 200 to an encrypted token (%s, A256CBC-HS512) with the caller as app-only', async (alg) => {
    const res = await call('/encrypted', await issuer.signEncrypted({ scope: 'receipts.read' }, {}, { alg }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: 'test-client', scopes: ['receipts.read'], isAppOnly: true });
  });

  it('answers 200 to a plain OpenIddict token with or without decryption keys', async () => {
    const token = await issuer.sign({ scope: 'receipts.read' }, { preset: 'openiddict' });
    expect((await call('/plain', token)).status).toBe(200);
    expect((await call('/encrypted', token)).status).toBe(200);
  });

  it('answers 401 token_encrypted to an encrypted token when no decryption keys are given', async () => {
    const res = await call('/plain', await issuer.signEncrypted({ scope: 'receipts.read' }));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'token_encrypted' });
  });

  it('answers 401 token_type_invalid to a plain token whose typ is not at+jwt', async () => {
    const res = await call('/plain', await issuer.sign({ scope: 'receipts.read' }, { preset: 'openiddict', header: { typ: 'JWT' } }));
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ reason: 'token_type_invalid' });
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token type is not accepted"',
    );
  });

  it('reads OpenIddict roles from role', async () => {
    const res = await call('/plain', await issuer.sign({ scope: 'receipts.read', role: ['Receipts.Admin', 'Auditor'] }, { preset: 'openiddict' }));
    expect(res.body.roles).toEqual(['Receipts.Admin', 'Auditor']);
  });
});
