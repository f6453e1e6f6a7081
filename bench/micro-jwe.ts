/**
 * The added cost of encrypted tokens, per token, in one process: an RS256 token verified as a plain JWS and
 * the same kind of token encrypted (RSA-OAEP or A256KW key wrapping, A256CBC-HS512), each without the cache
 * (every token decrypted and verified), the decryption alone (jose.compactDecrypt with the private key), and
 * a reused encrypted token answered by the verified-token cache next to a reused JWS. Prints one JSON line
 * of microseconds per operation. Environment: BENCH_MICRO_POOL (default 3000).
 */
import { compactDecrypt } from 'jose';
import { createVerifier } from '../src/index.js';
import { createBenchEncryption, encryptPool, type BenchWrapping } from './jwe-tokens.js';
import { startJwksServer } from './jwks-server.js';
import { createBenchKeys, signPool } from './tokens.js';

const POOL = Number(process.env.BENCH_MICRO_POOL ?? 3000);
const keys = createBenchKeys();
const encryption = createBenchEncryption();
const jwks = await startJwksServer({ keys: [keys.keys.RS256.jwk] });
const claims = { issuer: jwks.issuer, audience: 'api://receipts', lifetimeSec: 3600 };
const base = { issuer: claims.issuer, audience: claims.audience, jwksUri: jwks.jwksUri, algorithms: ['RS256'] };
const decryption = { keys: [encryption.rsa.jwk, encryption.aes.jwk] };

async function time(label: string, count: number, op: (i: number) => unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, count); i++) await op(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await op(i);
  const micros = Number(process.hrtime.bigint() - start) / 1000 / count;
  process.stderr.write(`  ${label}: ${micros.toFixed(1)} µs\n`);
  return micros;
}

const signed = signPool(keys.keys.RS256, POOL, claims);
const plain = createVerifier({ ...base, cache: false });
const cachedPlain = createVerifier(base);
await plain.ready();
await cachedPlain.ready();
const results: Record<string, Record<string, number>> = {};
for (const wrapping of ['RSA-OAEP', 'A256KW'] as BenchWrapping[]) {
  process.stderr.write(`${wrapping} + A256CBC-HS512 (RS256 inside)\n`);
  const pool = await encryptPool(signed, wrapping, encryption);
  const uncached = createVerifier({ ...base, cache: false, decryption });
  const cached = createVerifier({ ...base, decryption });
  await uncached.ready();
  const key = wrapping === 'RSA-OAEP' ? encryption.rsa.privateKey : encryption.aes.key.export();
  const jws = await time('JWS, no cache', POOL, (i) => plain.verify(signed[i]!));
  const jwe = await time('JWE, no cache', POOL, (i) => uncached.verify(pool[i]!));
  results[`${wrapping} + A256CBC-HS512`] = {
    'JWS (no cache)': jws,
    'JWE (no cache)': jwe,
    'added by decryption': jwe - jws,
    'jose.compactDecrypt': await time('jose.compactDecrypt', POOL, (i) => compactDecrypt(pool[i]!, key)),
    'JWS (cache hit)': await time('JWS, cache hit', POOL, () => cachedPlain.verify(signed[0]!)),
    'JWE (cache hit)': await time('JWE, cache hit', POOL, () => cached.verify(pool[0]!)),
  };
}
await jwks.close();
console.log(JSON.stringify(results));
