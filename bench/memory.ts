/**
 * Heap after many distinct valid tokens: the verified-token cache and key stores are bounded by entries,
 * so the heap plateaus. Each token is verified twice, so that the cache admits it (it caches a token the
 * second time it sees it, soon after the first) and fills to its bound. Run with `--expose-gc` (bench/run.ts does). Prints one
 * JSON line.
 * Environment: BENCH_MEMORY_TOKENS (default 1000000).
 */
import { createVerifier } from '../dist/index.js';
import { startJwksServer } from './jwks-server.js';
import { createBenchKeys, signBenchToken } from './tokens.js';

const total = Number(process.env.BENCH_MEMORY_TOKENS ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const keys = createBenchKeys();
const jwks = await startJwksServer({ keys: [keys.keys.ES256.jwk] });
const verifier = createVerifier({ issuer: jwks.issuer, audience: 'api://receipts', jwksUri: jwks.jwksUri });
const claims = { issuer: jwks.issuer, audience: 'api://receipts', lifetimeSec: 3600 };

const heapMiB = (): number => {
  gc();
  return Math.round((process.memoryUsage().heapUsed / 2 ** 20) * 10) / 10;
};
await verifier.verify(signBenchToken(keys.keys.ES256, claims));
const samples: { tokens: number; heapMiB: number }[] = [{ tokens: 0, heapMiB: heapMiB() }];
const checkpoints = new Set([10_000, 100_000, 250_000, 500_000, 1_000_000, total]);
for (let unique = 1; unique <= total; unique++) {
  const token = signBenchToken(keys.keys.ES256, { ...claims, unique });
  await verifier.verify(token);
  await verifier.verify(token);
  if (checkpoints.has(unique)) samples.push({ tokens: unique, heapMiB: heapMiB() });
}
await jwks.close();
console.log(JSON.stringify({ total, samples }));
