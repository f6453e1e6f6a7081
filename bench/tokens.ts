/**
 * Benchmark keys and tokens: one signing key per algorithm, a JWKS holding them, and token pools.
 * Tokens are signed with node:crypto directly so that large pools mint quickly.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

/** The algorithms benchmarked. */
export type BenchAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

interface SigningKey {
  readonly alg: BenchAlgorithm;
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
}

function makeKey(alg: BenchAlgorithm): SigningKey {
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('ed25519');
  const kid = `bench-${alg.toLowerCase()}`;
  return { alg, kid, privateKey: pair.privateKey, jwk: { ...pair.publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' } };
}

/** Keys for every benchmarked algorithm. */
export interface BenchKeys {
  readonly keys: Readonly<Record<BenchAlgorithm, SigningKey>>;
  readonly jwks: { keys: Record<string, unknown>[] };
}

/** Generates the benchmark keys. */
export function createBenchKeys(): BenchKeys {
  const keys = { RS256: makeKey('RS256'), ES256: makeKey('ES256'), EdDSA: makeKey('EdDSA') };
  return { keys, jwks: { keys: Object.values(keys).map((k) => k.jwk) } };
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims of a benchmark token: a typical client-credentials access token. */
export interface TokenClaims {
  readonly issuer: string;
  readonly audience: string;
  readonly lifetimeSec: number;
  readonly unique?: number;
  readonly kid?: string;
  /**
   * Pads the token to about this many characters with a `groups` claim of GUIDs, as Entra ID writes group
   * memberships into its tokens (the shape of real large tokens: many short strings).
   */
  readonly padToChars?: number;
  /** A `cnf` claim (a DPoP-bound token: `{ jkt }`). */
  readonly cnf?: Readonly<Record<string, string>>;
}

/** A GUID-shaped string from a counter (cheap, distinct). */
function guid(n: number): string {
  const hex = n.toString(16).padStart(32, '0').slice(-32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Signs one token. */
export function signBenchToken(key: SigningKey, claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: key.alg, kid: claims.kid ?? key.kid, typ: 'at+jwt' });
  const body: Record<string, unknown> = {
    iss: claims.issuer,
    aud: claims.audience,
    sub: 'payments-service',
    client_id: 'payments-service',
    azp: 'payments-service',
    scope: 'receipts.read receipts.write',
    roles: ['Receipts.Reader'],
    iat: now,
    nbf: now,
    exp: now + claims.lifetimeSec,
    jti: `bench-${claims.unique ?? 0}-${Math.random().toString(36).slice(2)}`,
    ...(claims.cnf === undefined ? {} : { cnf: claims.cnf }),
  };
  if (claims.padToChars !== undefined) {
    // Each GUID adds 39 JSON characters, 52 once base64url-encoded; the signature is at most 342 characters.
    const room = claims.padToChars - header.length - b64(body).length - 2 - (key.alg === 'RS256' ? 342 : 86);
    const start = (claims.unique ?? 0) * 1000;
    body.groups = Array.from({ length: Math.max(0, Math.floor(room / 52)) }, (_, i) => guid(start + i));
  }
  const payload = b64(body);
  const input = Buffer.from(`${header}.${payload}`);
  const signature =
    key.alg === 'RS256'
      ? sign('sha256', input, key.privateKey)
      : key.alg === 'ES256'
        ? sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
        : sign(null, input, key.privateKey);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

/** A pool of `size` distinct tokens. */
export function signPool(key: SigningKey, size: number, claims: Omit<TokenClaims, 'unique'>): string[] {
  return Array.from({ length: size }, (_, unique) => signBenchToken(key, { ...claims, unique }));
}
