/**
 * Registered clients of the test issuer: their credentials (a secret, public keys, or both), the scopes
 * they may request, the app roles their tokens carry, and the validation of a registration.
 */
import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { child, fail as failOption, failArgument } from '../options/option-checks.js';
import type { TestTokenClaims } from './mint-token.js';
import { isTestSigningAlgorithm, type TestSigningAlgorithm } from './signing-keys.js';

/** How a client authenticates at the token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2). */
export type TestClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** A client registration. */
export interface TestClient {
  /** The client id (printable ASCII). */
  clientId: string;
  /** The secret for `client_secret_basic` and `client_secret_post`. */
  clientSecret?: string;
  /**
   * Public keys for `private_key_jwt`: client assertions must be signed by one of them (see
   * {@link createClientKey}).
   */
  jwks?: { keys: readonly JWK[] };
  /**
   * Scopes the client may request. A request without `scope` is granted all of them; a request for any
   * other scope is refused with `invalid_scope`.
   * @default []
   */
  scopes?: readonly string[];
  /** App roles written to the `roles` claim of the client's tokens. @default [] */
  roles?: readonly string[];
  /** The `aud` of the client's tokens. @default the issuer's audience */
  audience?: string;
  /** Extra claims of the client's tokens, applied last (`undefined` removes a claim). */
  claims?: TestTokenClaims;
  /**
   * Authentication methods the client may use.
   * @default both secret methods when `clientSecret` is set, and `private_key_jwt` when `jwks` is set
   */
  authMethods?: readonly TestClientAuthMethod[];
  /**
   * The kind of access token the token endpoint issues to the client: a signed JWT, or an opaque token
   * (Boruta's shape) that only the introspection endpoint can resolve.
   * @default "jwt"
   */
  tokenFormat?: 'jwt' | 'opaque';
}

/** A validated registration. */
export interface RegisteredClient {
  readonly clientId: string;
  readonly secretDigest: Buffer | undefined;
  readonly jwks: { keys: JWK[] } | undefined;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly audience: string | undefined;
  readonly claims: TestTokenClaims;
  readonly authMethods: ReadonlySet<TestClientAuthMethod>;
  readonly tokenFormat: 'jwt' | 'opaque';
}

const AUTH_METHODS: readonly TestClientAuthMethod[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
// RFC 6749 Appendix A: client ids and secrets are VSCHAR; scope tokens are NQCHAR without space.
const VSCHAR = /^[\x20-\x7e]+$/;
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** True when `value` is an RFC 6749 §3.3 scope token. */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/** SHA-256 of a secret, compared in constant time at authentication. */
export function digestSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/**
 * Where a registration is checked: the factory (`createTestIssuer()`, `addClient()`) and the option path
 * of the registration (`clients[0]`, or `''` for `addClient()`'s argument).
 */
export interface ClientPlace {
  readonly where: string;
  readonly path: string;
}

function resolveTokenFormat(value: unknown, fail: (name: string, expectation: string) => never): 'jwt' | 'opaque' {
  if (value === undefined) return 'jwt';
  if (value !== 'jwt' && value !== 'opaque') fail('tokenFormat', 'must be "jwt" or "opaque"');
  return value;
}

/** Validates a registration. Throws a `TypeError` naming the faulty option. */
export function registerClient(input: TestClient, place: ClientPlace): RegisteredClient {
  function fail(name: string, expectation: string): never {
    failOption(name === '' ? (place.path === '' ? 'client' : place.path) : child(place.path, name), expectation, place.where);
  }
  function strings(value: unknown, name: string, valid: (item: string) => boolean, kind: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && valid(item))) {
      fail(name, `must be an array of ${kind}`);
    }
    return [...new Set(value as string[])];
  }
  if (typeof input !== 'object' || input === null) fail('', 'must be an object');
  const { clientId, clientSecret, audience, claims } = input;
  if (typeof clientId !== 'string' || !VSCHAR.test(clientId)) {
    fail('clientId', 'must be a non-empty printable ASCII string');
  }
  if (clientSecret !== undefined && (typeof clientSecret !== 'string' || !VSCHAR.test(clientSecret))) {
    fail('clientSecret', 'must be a non-empty printable ASCII string');
  }
  const jwks = resolveJwks(input.jwks, (expectation) => fail('jwks', expectation));
  if (clientSecret === undefined && jwks === undefined) fail('clientSecret', 'is required when "jwks" is not given');
  if (audience !== undefined && (typeof audience !== 'string' || audience === '')) {
    fail('audience', 'must be a non-empty string');
  }
  if (claims !== undefined && (typeof claims !== 'object' || claims === null || Array.isArray(claims))) {
    fail('claims', 'must be an object');
  }
  const defaults: TestClientAuthMethod[] = [
    ...(clientSecret !== undefined ? (['client_secret_basic', 'client_secret_post'] as const) : []),
    ...(jwks !== undefined ? (['private_key_jwt'] as const) : []),
  ];
  const methods = input.authMethods ?? defaults;
  if (!Array.isArray(methods) || methods.length === 0 || !methods.every((m) => AUTH_METHODS.includes(m))) {
    fail('authMethods', `must be a non-empty array of ${AUTH_METHODS.join(', ')}`);
  }
  for (const method of methods) {
    if (method === 'private_key_jwt' ? jwks === undefined : clientSecret === undefined) {
      fail('authMethods', `lists ${method}, which needs ${method === 'private_key_jwt' ? '"jwks"' : '"clientSecret"'}`);
    }
  }
  return Object.freeze({
    clientId,
    secretDigest: clientSecret === undefined ? undefined : digestSecret(clientSecret),
    jwks,
    scopes: Object.freeze(strings(input.scopes, 'scopes', isScopeToken, 'scope tokens (RFC 6749 §3.3: no spaces, quotes or backslashes)')),
    roles: Object.freeze(strings(input.roles, 'roles', (role) => role !== '', 'non-empty strings')),
    audience,
    claims: { ...claims },
    authMethods: new Set(methods),
    tokenFormat: resolveTokenFormat(input.tokenFormat, fail),
  });
}

function resolveJwks(value: unknown, fail: (expectation: string) => never): { keys: JWK[] } | undefined {
  if (value === undefined) return undefined;
  const keys: unknown = (value as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys) || keys.length === 0) fail('must be a JWK Set with at least one key');
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || typeof (key as JWK).kty !== 'string') fail('must hold JWKs');
    if (PRIVATE_MEMBERS.some((member) => Object.hasOwn(key, member))) fail('must hold public keys only');
  }
  return { keys: (keys as JWK[]).map((key) => ({ ...key })) };
}

/** A client key pair for `private_key_jwt`. */
export interface TestClientKey {
  /** The key's `kid`. */
  readonly kid: string;
  /** The signing algorithm. */
  readonly alg: TestSigningAlgorithm;
  /** Signs client assertions (give it to the OAuth client, e.g. openid-client's `PrivateKeyJwt`). */
  readonly privateKey: CryptoKey;
  /** The public key as a JWK Set, for {@link TestClient.jwks}. */
  readonly jwks: { keys: JWK[] };
}

let clientKeys = 0;

/**
 * Generates a key pair for a client that authenticates with `private_key_jwt` (RFC 7523).
 *
 * @example
 * const key = await createClientKey();
 * const issuer = await createTestIssuer({
 *   clients: [{ clientId: 'billing', jwks: key.jwks, scopes: ['receipts.read'] }],
 * });
 * // openid-client:
 * const auth = PrivateKeyJwt({ key: key.privateKey, kid: key.kid });
 * const config = await discovery(new URL(issuer.url), 'billing', undefined, auth, { execute: [allowInsecureRequests] });
 */
export async function createClientKey(alg: TestSigningAlgorithm = 'ES256'): Promise<TestClientKey> {
  if (!isTestSigningAlgorithm(alg)) failArgument('alg', 'must be an asymmetric JWS algorithm', 'createClientKey()');
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  clientKeys += 1;
  const kid = `client-key-${clientKeys}`;
  return { kid, alg, privateKey, jwks: { keys: [{ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }] } };
}
