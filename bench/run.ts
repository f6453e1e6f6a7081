/**
 * `npm run bench`: bearer-guard side by side with bare Express and its peers, in one run.
 *
 * - Load: autocannon (this process, core 1) against one Express 5 server per run (core 0), 50
 *   connections, contenders interleaved over several rounds; workloads: one reused token, the same with
 *   the DPoP scheme and a fresh ES256 proof per request, and distinct tokens from a pool larger than
 *   bearer-guard's cache (RS256, ES256, EdDSA). Medians are reported with
 *   ratios to bare Express and to express-oauth2-jwt-bearer, and the server CPU added per request.
 * - Head to head: each contender and bare Express served at once on core 0 and loaded together, the
 *   steadier measure of what a middleware costs (bench/duel.ts); bare against bare is the control.
 * - JWKS fetch counts under a cold herd and unknown-kid floods.
 * - Opaque tokens: a cached opaque token against a cached JWT, and introspection calls under a cold herd.
 * - Heap after many distinct valid tokens.
 * - Per-token verification cost per algorithm, and the added cost of encrypted tokens (bench/micro-jwe.ts);
 *   a reused encrypted token under load beside the reused JWS.
 *
 * Writes bench/RESULTS.md. Environment: BENCH_ROUNDS (5), BENCH_DUEL_ROUNDS (3), BENCH_DURATION (5 s),
 * BENCH_WARMUP (2 s), BENCH_CONNECTIONS (50), BENCH_POOL (12000), BENCH_DPOP_POOL (150000 proofs made before
 * each DPoP run; more than a run sends), BENCH_MEMORY_TOKENS (1000000),
 * BENCH_QUICK=1 (1 round of 3 s, small pools: a smoke run, not for publishing).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { CONTENDERS, DPOP_CONTENDERS, supports, type Contender, type IssuerConfig } from './contenders.js';
import { createBenchDpopKey, DPOP_ORIGIN, signProofs } from './dpop.js';
import { measureHerd, type HerdResult } from './herd.js';
import { measureIntrospection } from './introspection.js';
import { startJwksServer } from './jwks-server.js';
import { runDuel, type DuelResult } from './duel.js';
import { pinLoadGenerator, runLoad, type RunResult } from './load.js';
import { renderReport, type Workload } from './report.js';
import { createBenchEncryption, encryptPool } from './jwe-tokens.js';
import { createBenchKeys, signPool, type BenchAlgorithm } from './tokens.js';

const quick = process.env.BENCH_QUICK === '1';
const settings = {
  rounds: Number(process.env.BENCH_ROUNDS ?? (quick ? 1 : 5)),
  duelRounds: Number(process.env.BENCH_DUEL_ROUNDS ?? (quick ? 1 : 3)),
  durationSec: Number(process.env.BENCH_DURATION ?? (quick ? 3 : 5)),
  warmupSec: Number(process.env.BENCH_WARMUP ?? (quick ? 1 : 2)),
  connections: Number(process.env.BENCH_CONNECTIONS ?? 50),
  pool: Number(process.env.BENCH_POOL ?? (quick ? 2000 : 12_000)),
  dpopPool: Number(process.env.BENCH_DPOP_POOL ?? (quick ? 40_000 : 150_000)),
  memoryTokens: Number(process.env.BENCH_MEMORY_TOKENS ?? (quick ? 20_000 : 1_000_000)),
};

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const pinned = pinLoadGenerator();
log(`bench: ${settings.rounds} round(s) × ${settings.durationSec} s, ${settings.connections} connections, pinning ${pinned ? 'on' : 'off'}`);

const keys = createBenchKeys();
const jwks = await startJwksServer(keys.jwks);
const audience = 'api://receipts';
const claims = { issuer: jwks.issuer, audience, lifetimeSec: 7200 };

const encryption = createBenchEncryption();
const reused = signPool(keys.keys.RS256, 1, claims);
const dpopKey = createBenchDpopKey();
const bound = signPool(keys.keys.RS256, 1, { ...claims, cnf: { jkt: dpopKey.thumbprint } });
const workloads: Workload[] = [
  { id: 'reused-RS256', title: 'Reused token (RS256)', alg: 'RS256', tokens: reused },
  {
    id: 'reused-RS256-dpop',
    title: 'Reused DPoP-bound token (RS256) with a fresh ES256 proof per request',
    alg: 'RS256',
    tokens: bound,
    proofs: () => signProofs(dpopKey, bound[0]!, settings.dpopPool),
  },
  {
    id: 'reused-JWE',
    title: 'Reused encrypted token (RSA-OAEP, A256CBC-HS512; RS256 inside)',
    alg: 'RS256',
    tokens: await encryptPool(reused, 'RSA-OAEP', encryption),
    encrypted: true,
  },
];
for (const alg of ['RS256', 'ES256', 'EdDSA'] as BenchAlgorithm[]) {
  log(`signing ${settings.pool} ${alg} tokens…`);
  workloads.push({ id: `distinct-${alg}`, title: `Distinct tokens (${alg})`, alg, tokens: signPool(keys.keys[alg], settings.pool, claims) });
}

const configFor = (workload: Workload): IssuerConfig => ({
  issuer: jwks.issuer,
  audience,
  jwksUri: jwks.jwksUri,
  algorithms: [workload.alg],
  jwk: keys.keys[workload.alg].jwk,
  ...(workload.encrypted === true ? { decryptionJwk: encryption.rsa.jwk } : {}),
  ...(workload.proofs === undefined ? {} : { dpopOrigin: DPOP_ORIGIN }),
});

/** The contenders that can serve `workload` (only bearer-guard and the floors verify DPoP proofs or ignore them). */
const contendersOf = (workload: Workload): Contender[] =>
  CONTENDERS.filter(
    (c) => supports(c, workload.alg, workload.encrypted) && (workload.proofs === undefined || DPOP_CONTENDERS.includes(c)),
  );

const results = new Map<string, RunResult[]>();
for (let round = 1; round <= settings.rounds; round++) {
  for (const workload of workloads) {
    // Rotate the order each round and reverse it every other round, so no contender always runs first,
    // last, or right after the same neighbour.
    const order = contendersOf(workload);
    const shift = (round - 1) % order.length;
    const rotated = [...order.slice(shift), ...order.slice(0, shift)];
    for (const contender of round % 2 === 0 ? rotated.reverse() : rotated) {
      const result = await runLoad(contender, configFor(workload), workload.tokens, settings, workload.proofs?.());
      const id = `${workload.id}|${contender}`;
      results.set(id, [...(results.get(id) ?? []), result]);
      log(
        `round ${round} ${workload.id.padEnd(14)} ${contender.padEnd(26)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
          `  p99 ${result.p99Ms} ms  cpu ${result.cpuMicrosPerRequest.toFixed(0)} µs/req${result.failures > 0 ? `  FAILURES ${result.failures}` : ''}`,
      );
    }
  }
}

const duels = new Map<string, DuelResult[]>();
for (let round = 1; round <= settings.duelRounds; round++) {
  for (const workload of workloads) {
    // 'bare' here is the control: bare against bare shows how far apart two identical servers land.
    const order = contendersOf(workload);
    for (const contender of round % 2 === 0 ? [...order].reverse() : order) {
      const config = configFor(workload);
      const duel = await runDuel(contender, config, workload.tokens, settings, workload.proofs?.());
      const id = `${workload.id}|${contender}`;
      duels.set(id, [...(duels.get(id) ?? []), duel]);
      log(
        `duel ${round} ${workload.id.padEnd(14)} ${contender.padEnd(26)} ${(duel.contender.requestsPerSecond / duel.bare.requestsPerSecond).toFixed(3)}× bare` +
          `  cpu ${duel.contender.cpuMicrosPerRequest.toFixed(1)} vs ${duel.bare.cpuMicrosPerRequest.toFixed(1)} µs/req`,
      );
    }
  }
}
await jwks.close();

log('JWKS herd and flood…');
const herd: HerdResult[] = [];
for (const contender of CONTENDERS.filter((c) => c !== 'bare' && c !== 'crypto.verify only' && c !== 'req.auth only')) {
  herd.push(await measureHerd(contender));
}

log('opaque tokens: cached opaque token against cached JWT, cold introspection herd…');
const introspection = await measureIntrospection({ ...settings, microCount: quick ? 20_000 : 200_000 });

const childJson = (script: string, env: Record<string, string>, nodeFlags: string[] = []): unknown => {
  const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', new URL(script, import.meta.url).pathname], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const lines = out.toString().trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
};

log(`heap after ${settings.memoryTokens} distinct tokens…`);
const memory = childJson('./memory.ts', { BENCH_MEMORY_TOKENS: String(settings.memoryTokens) }, ['--expose-gc']);
log('per-token verification cost…');
const micro = childJson('./micro.ts', {});
log('per-token cost of encrypted tokens…');
const microJwe = childJson('./micro-jwe.ts', quick ? { BENCH_MICRO_POOL: '300' } : {});

const report = renderReport({
  settings: { ...settings, pinned },
  machine: `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`,
  workloads,
  results,
  duels,
  herd,
  memory: memory as Parameters<typeof renderReport>[0]['memory'],
  micro: micro as Parameters<typeof renderReport>[0]['micro'],
  introspection,
  microJwe: microJwe as Parameters<typeof renderReport>[0]['microJwe'],
});
const target = process.env.BENCH_OUT ?? new URL(quick ? './RESULTS.quick.md' : './RESULTS.md', import.meta.url).pathname;
writeFileSync(target, report);
process.stdout.write(report);
log(`written to ${target}`);
