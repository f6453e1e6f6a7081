/**
 * Fixtures of the encrypted-token suites: extra keys (EC, X25519, AES of each size, a stranger's RSA key),
 * the routes every framework serves (one verifier per way of configuring `decryption`), and helpers that
 * tamper with a JWE. Tokens come from the test issuer, in OpenIddict's shape.
 */
import { createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { expect } from 'vitest';
import {
  authenticate,
  openIddict,
  requireScopes,
  type AuthRequest,
  type Middleware,
  type VerifierOptions,
} from '../../src/index.js';
import type { TestIssuer } from '../../src/testing/index.js';
import type { TestRoute } from '../helpers/frameworks.js';

/** The audience of every encrypted-token route. */
export const AUDIENCE = 'api://receipts';
/** The challenge of every refusal of an encrypted token. */
export const UNIFORM = 'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"';

/** Keys besides the test issuer's own. */
export const extraKeys = {
  p256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  x25519: generateKeyPairSync('x25519'),
  /** An RSA key nobody configures. */
  stranger: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  aes128: createSecretKey(randomBytes(16)),
  aes192: createSecretKey(randomBytes(24)),
  dir64: createSecretKey(randomBytes(64)),
};

/** base64url of a JSON value or a string. */
export const b64 = (value: unknown): string => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const pem = (key: KeyObject): string => key.export({ format: 'pem', type: 'pkcs8' }).toString();

/** Shows what `req.auth` says about the token in response headers, then lets the route answer. */
const expose: Middleware = (req: AuthRequest, res, next) => {
  const auth = req.auth!;
  res.setHeader('x-format', auth.format);
  res.setHeader('x-typ', String(auth.header.typ));
  res.setHeader('x-token-as-sent', String(req.headers.authorization === `Bearer ${auth.token}`));
  next();
};

/** The routes of `issuer`'s API, one per way of configuring decryption. */
export function encryptedRoutes(issuer: TestIssuer): TestRoute[] {
  const keys = issuer.decryptionKeys;
  const { p256, x25519, aes128, aes192, dir64 } = extraKeys;
  const base = issuer.verifierOptions();
  const every = [keys.rsa.privateKey, keys.aes.secretKey, p256.privateKey, x25519.privateKey, aes128, aes192];
  const guard = (options: VerifierOptions): Middleware => authenticate(options);
  const listed = ['RSA-OAEP-384', 'RSA-OAEP-512', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW', 'dir'];
  const preset = openIddict({ issuer: issuer.url, audience: AUDIENCE, decryptionKeys: [keys.rsa.pem, keys.aes.jwk] });
  return [
    { path: '/keyobject', chain: [guard({ ...base, decryption: { keys: every } }), expose] },
    { path: '/jwk', chain: [guard({ ...base, decryption: { keys: [keys.rsa.jwk, keys.aes.jwk] } }), expose] },
    { path: '/pem', chain: [guard({ ...base, decryption: { keys: [keys.rsa.pem, pem(p256.privateKey)] } }), expose] },
    {
      path: '/listed',
      chain: [guard({ ...base, decryption: { keys: [keys.rsa.privateKey, keys.aes.secretKey, dir64], keyManagementAlgorithms: listed } }), expose],
    },
    { path: '/cbc-only', chain: [guard({ ...base, decryption: { keys: every, contentEncryptionAlgorithms: ['A256CBC-HS512'] } })] },
    { path: '/plain', chain: [guard(base)] },
    { path: '/unreachable', chain: [guard({ ...base, jwksUri: 'http://127.0.0.1:9/jwks', decryption: { keys: every } })] },
    { path: '/small', chain: [guard({ ...base, maxTokenLength: 1024, decryption: { keys: every } }), expose] },
    { path: '/required', chain: [guard({ ...base, decryption: { keys: every, required: true } }), expose] },
    { path: '/openiddict', chain: [guard(preset), requireScopes('receipts.read'), expose] },
  ];
}

/** `jwe` with its protected header replaced (the content is not re-encrypted). */
export function withHeader(jwe: string, header: Record<string, unknown>): string {
  return [b64(header), ...jwe.split('.').slice(1)].join('.');
}

/** `jwe` with one byte of segment `index` flipped. */
export function tampered(jwe: string, index: number): string {
  const parts = jwe.split('.');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  bytes[bytes.length >> 1]! ^= 0x40;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

/** Sends `token` to `path` of `server` as a Bearer token. */
export function call(server: Server, path: string, token: string): request.Test {
  return request(server).get(path).set('Authorization', `Bearer ${token}`);
}

/** Asserts a 401 with the uniform challenge and `reason`. */
export async function expectRefused(server: Server, path: string, token: string, reason: string): Promise<void> {
  const res = await call(server, path, token);
  expect(res.status).toBe(401);
  expect(res.body).toEqual({ reason });
  expect(res.headers['www-authenticate']).toBe(UNIFORM);
}
