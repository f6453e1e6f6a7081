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
  /** A `cnf` claim (a DPoP-bound token: `{ jkt }`). */
  readonly cnf?: Readonly<Record<string, string>>;
}

/** Signs one token. */
export function signBenchToken(key: SigningKey, claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: key.alg, kid: claims.kid ?? key.kid, typ: 'at+jwt' });
  const payload = b64({
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
  });
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
