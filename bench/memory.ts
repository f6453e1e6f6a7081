/**
 * The verified-token cache's memory, with `--expose-gc` (bench/run.ts passes it). Prints one JSON line.
 *
 * - Heap after many distinct valid tokens of a typical size, default options: the heap plateaus.
 * - The real heap cost of one admitted entry for 1 KB and 12 KB tokens (GUID `groups` claims, the shape of
 *   real large tokens): heap growth over a cache filled with `PER_ENTRY_TOKENS` tokens, divided by their
 *   number, beside the size the cache counts for such an entry (`entryBytes`, bounded by `cache.maxBytes`).
 * - Heap with 12 KB tokens under the default options: `cache.maxBytes` (32 MiB) bounds it, not the 10000
 *   entries.
 *
 * Each token is verified twice, so that the cache admits it (it caches a token the second time it sees it,
 * soon after the first). Environment: BENCH_MEMORY_TOKENS (default 1000000), BENCH_MEMORY_LARGE (default
 * 10000: 12 KB tokens for the last part), BENCH_QUICK=1 (smaller runs).
 */
import { createVerifier } from '../dist/index.js';
import { entryBytes } from '../dist/verify/cache/token-cache.js';
import { startJwksServer } from './jwks-server.js';
import { createBenchKeys, signBenchToken, type TokenClaims } from './tokens.js';

const quick = process.env.BENCH_QUICK === '1';
const total = Number(process.env.BENCH_MEMORY_TOKENS ?? 1_000_000);
const large = Number(process.env.BENCH_MEMORY_LARGE ?? (quick ? 2_000 : 10_000));
const PER_ENTRY_TOKENS = quick ? 500 : 3_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');

const keys = createBenchKeys();
const signer = keys.keys.ES256;
const jwks = await startJwksServer({ keys: [signer.jwk] });
const claims: TokenClaims = { issuer: jwks.issuer, audience: 'api://receipts', lifetimeSec: 3600 };
const options = { issuer: jwks.issuer, audience: 'api://receipts', jwksUri: jwks.jwksUri };

const heapBytes = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const mib = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
let serial = 0;

/** Verifies `count` distinct tokens twice each; calls `sample` after the counts in `checkpoints`. */
async function fill(verifier: ReturnType<typeof createVerifier>, count: number, padToChars: number | undefined, checkpoints: ReadonlySet<number>, sample: (n: number) => void): Promise<number> {
  let chars = 0;
  for (let n = 1; n <= count; n++) {
    const token = signBenchToken(signer, { ...claims, unique: ++serial, ...(padToChars === undefined ? {} : { padToChars }) });
    chars = token.length;
    await verifier.verify(token);
    await verifier.verify(token);
    if (checkpoints.has(n)) sample(n);
  }
  return chars;
}

// 1. Many typical tokens, default options.
const typical = createVerifier(options);
await typical.verify(signBenchToken(signer, claims));
const samples: { tokens: number; heapMiB: number }[] = [{ tokens: 0, heapMiB: mib(heapBytes()) }];
const checkpoints = new Set([10_000, 100_000, 250_000, 500_000, 1_000_000, total]);
await fill(typical, total, undefined, checkpoints, (n) => samples.push({ tokens: n, heapMiB: mib(heapBytes()) }));

// 2. The real cost of one entry, by token size (a cache large enough to hold every token).
const perEntry: { tokenChars: number; measuredBytes: number; countedBytes: number }[] = [];
for (const padToChars of [1024, 12 * 1024]) {
  const verifier = createVerifier({ ...options, cache: { maxEntries: PER_ENTRY_TOKENS, maxBytes: 2 ** 40 } });
  await verifier.verify(signBenchToken(signer, claims));
  const before = heapBytes();
  const chars = await fill(verifier, PER_ENTRY_TOKENS, padToChars, new Set(), () => undefined);
  const grown = heapBytes() - before;
  // Keeps the verifier (and its cache) alive until the heap has been measured.
  await verifier.verify(signBenchToken(signer, claims));
  perEntry.push({ tokenChars: chars, measuredBytes: Math.round(grown / PER_ENTRY_TOKENS), countedBytes: entryBytes('x'.repeat(chars)) });
}

// 3. 12 KB tokens under the default options: bounded by bytes.
const bounded = createVerifier(options);
await bounded.verify(signBenchToken(signer, claims));
const boundBase = heapBytes();
const boundSamples: { tokens: number; heapMiB: number }[] = [];
const boundCheckpoints = new Set([500, 1_000, 2_000, 5_000, large].filter((n) => n <= large));
const largeChars = await fill(bounded, large, 12 * 1024, boundCheckpoints, (n) => boundSamples.push({ tokens: n, heapMiB: mib(heapBytes() - boundBase) }));
await bounded.verify(signBenchToken(signer, claims));

await jwks.close();
console.log(JSON.stringify({ total, samples, perEntry, large: { tokenChars: largeChars, maxBytes: 32 * 2 ** 20, samples: boundSamples } }));
