/**
 * Signing keys and token minting for tests, with jose (the reference implementation).
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';

/** A signing key pair with its public JWK. */
export interface TestKey {
  readonly alg: string;
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  readonly jwk: JWK;
}

let counter = 0;

/** Generates a key for `alg` (RS256 default) with a unique `kid`. */
export async function createTestKey(
  alg = 'RS256',
  options: { kid?: string; crv?: string; modulusLength?: number; jwkExtras?: JWK } = {},
): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(options.crv !== undefined ? { crv: options.crv } : {}),
    ...(options.modulusLength !== undefined ? { modulusLength: options.modulusLength } : {}),
  });
  const kid = options.kid ?? `key-${alg.toLowerCase()}-${++counter}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig', ...options.jwkExtras };
  return { alg, kid, privateKey, publicKey, jwk };
}

/** Options of {@link signToken}. */
export interface SignOptions {
  /** Seconds from now; negative for expired tokens. Default 300. `null` leaves `exp` out. */
  expiresIn?: number | null;
  /** Extra header members (they override `alg`/`kid`/`typ`). */
  header?: Record<string, unknown>;
  /** Omit `kid` from the header. */
  noKid?: boolean;
  /** Seconds since the epoch to use as "now" (default: the current time). */
  now?: number;
}

/** Signs `claims` with `key`. `iat` and `exp` are filled in unless given. */
export async function signToken(key: TestKey, claims: JWTPayload, options: SignOptions = {}): Promise<string> {
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { iat: now, ...claims };
  if (options.expiresIn !== null && payload.exp === undefined) payload.exp = now + (options.expiresIn ?? 300);
  const header = { alg: key.alg, ...(options.noKid === true ? {} : { kid: key.kid }), ...options.header };
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}

/** base64url of a JSON value or a string. */
export function b64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A compact token from raw parts (no signing), for malformed-token tests. */
export function rawToken(header: unknown, payload: unknown, signature = 'c2ln'): string {
  return `${b64url(header)}.${b64url(payload)}.${signature}`;
}
