/**
 * Per-token verification cost per algorithm, in one process (each column the best of 3 passes): raw
 * `crypto.verify` with a ready KeyObject (the floor), bearer-guard without cache (every token verified),
 * bearer-guard with a cache hit, the same cache hit (one pass) for a DPoP-bound token with a fresh ES256
 * proof (verified, its jti recorded in the default replay store), and `jose.jwtVerify` with a local JWK Set.
 * Then the cost of reading the credential (`extractToken`, query tokens off, as by default): a normal
 * request, and one whose 16 KB query is `%x&x&…` and holds no token, which an unauthenticated client may
 * send at will (the query is always scanned for a second token). Last, where an RS256 token's time goes
 * (best of 7 rounds each: the whole verification, `crypto.verify`, the decoding, and the difference).
 * Prints one JSON line of microseconds per operation (`extraction` and `breakdown` hold the last two parts).
 */
import { createPublicKey, verify } from 'node:crypto';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { createVerifier, extractToken, type TokenRequest } from '../dist/index.js';
import { decodeJws } from '../dist/verify/format/decode-jws.js';
import { startJwksServer } from './jwks-server.js';
import { createBenchDpopKey, DPOP_ORIGIN, signProofs } from './dpop.js';
import { createBenchKeys, signBenchToken, signPool, type BenchAlgorithm } from './tokens.js';

const POOL = Number(process.env.BENCH_MICRO_POOL ?? 3000);
const keys = createBenchKeys();
const jwks = await startJwksServer(keys.jwks);
const localJwks = createLocalJWKSet(keys.jwks as JSONWebKeySet);
const claims = { issuer: jwks.issuer, audience: 'api://receipts', lifetimeSec: 3600 };

/** One pass of `op` over `count` items after a warm-up: microseconds per operation. */
async function pass(count: number, op: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, count); i++) await op(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await op(i);
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

/** The best of `passes` passes, so a pause of the machine during one pass does not make the figure. */
async function time(label: string, count: number, op: (i: number) => unknown, passes = 1): Promise<number> {
  let micros = Infinity;
  for (let round = 0; round < passes; round++) micros = Math.min(micros, await pass(count, op));
  process.stderr.write(`  ${label}: ${micros.toFixed(1)} µs\n`);
  return micros;
}
const PASSES = 3;

const dpopKey = createBenchDpopKey();
const results: Record<string, Record<string, number>> = {};
let breakdown: Record<string, number> = {};
for (const alg of ['RS256', 'ES256', 'EdDSA'] as BenchAlgorithm[]) {
  const key = keys.keys[alg];
  const pool = signPool(key, POOL, claims);
  const publicKey = createPublicKey({ key: key.jwk as never, format: 'jwk' });
  const parts = pool.map((token) => {
    const last = token.lastIndexOf('.');
    return { input: Buffer.from(token.slice(0, last)), signature: Buffer.from(token.slice(last + 1), 'base64url') };
  });
  const hash = alg === 'EdDSA' ? null : 'sha256';
  const keyOption = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
  const base = { issuer: claims.issuer, audience: claims.audience, jwksUri: jwks.jwksUri };
  const uncached = createVerifier({ ...base, cache: false });
  const cached = createVerifier(base);
  const dpop = createVerifier({ ...base, dpop: { publicOrigin: DPOP_ORIGIN, algorithms: ['ES256'] } });
  await uncached.ready();
  await cached.ready();
  const bound = signBenchToken(key, { ...claims, cnf: { jkt: dpopKey.thumbprint } });
  const proofs = signProofs(dpopKey, bound, POOL + 202);
  let nextProof = 0;
  const dpopRequest = () => ({
    method: 'GET',
    url: '/receipts/42',
    headers: { authorization: `DPoP ${bound}`, dpop: proofs[nextProof++]! },
  });
  await dpop.verify(bound, dpopRequest());
  await dpop.verify(bound, dpopRequest()); // a second verification admits the token to the cache
  process.stderr.write(`${alg}\n`);
  results[alg] = {
    'crypto.verify': await time('crypto.verify', POOL, (i) => verify(hash, parts[i]!.input, keyOption, parts[i]!.signature), PASSES),
    'bearer-guard (no cache)': await time('bearer-guard', POOL, (i) => uncached.verify(pool[i]!), PASSES),
    'bearer-guard (cache hit)': await time('bearer-guard cache hit', POOL, () => cached.verify(pool[0]!), PASSES),
    // One pass: each proof may be used once.
    'bearer-guard DPoP (cache hit + ES256 proof)': await time('bearer-guard DPoP cache hit', POOL, () => dpop.verify(bound, dpopRequest())),
    'jose.jwtVerify': await time(
      'jose',
      POOL,
      (i) => jwtVerify(pool[i]!, localJwks, { issuer: claims.issuer, audience: claims.audience }),
      PASSES,
    ),
  };
  if (alg === 'RS256') {
    // Where a distinct token's time goes: the whole verification, the signature, the decoding, the rest.
    process.stderr.write('RS256 breakdown\n');
    const rounds = { whole: [] as number[], signature: [] as number[], decode: [] as number[] };
    for (let round = 0; round < 7; round++) {
      rounds.whole.push(await time('whole verification', POOL, (i) => uncached.verify(pool[i]!)));
      rounds.signature.push(await time('crypto.verify', POOL, (i) => verify(hash, parts[i]!.input, keyOption, parts[i]!.signature)));
      rounds.decode.push(await time('decode', POOL, (i) => decodeJws(pool[i]!)));
    }
    const best = (values: number[]): number => Math.min(...values);
    breakdown = {
      'whole verification (no cache)': best(rounds.whole),
      'crypto.verify': best(rounds.signature),
      'decoding: base64url, UTF-8, JSON of header and payload': best(rounds.decode),
      'every other stage: header, issuer, key lookup, claims, identity (frozen), events':
        best(rounds.whole) - best(rounds.signature) - best(rounds.decode),
    };
  }
}
await jwks.close();

process.stderr.write('token extraction\n');
const bearer = `Bearer ${signPool(keys.keys.ES256, 1, claims)[0]!}`;
const normal: TokenRequest = {
  method: 'GET',
  url: '/receipts/42?expand=items&page=2',
  headers: { authorization: bearer, accept: 'application/json' },
  rawHeaders: ['Authorization', bearer, 'Accept', 'application/json'],
};
const hostile: TokenRequest = { method: 'GET', url: `/receipts/42?${'%x&x&'.repeat(3300)}`.slice(0, 16 * 1024), headers: {}, rawHeaders: [] };
const extraction = {
  'normal request': await time('normal request', POOL * 10, () => extractToken(normal)),
  '16 KB %x&x& query, no token': await time('16 KB %x&x& query', POOL, () => extractToken(hostile)),
};
console.log(JSON.stringify({ ...results, extraction, breakdown }));
