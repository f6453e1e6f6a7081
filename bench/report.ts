/**
 * Renders the benchmark results as markdown. Ratios are paired: each round's run of a contender is compared
 * with the same round's bare-Express run of the same workload, and the median over rounds is reported, so a
 * machine that drifts between rounds shifts both sides of each ratio alike. Also: JWKS counts, heap, the
 * per-token micro costs, and a check of each performance target.
 */
import { CONTENDERS, type Contender } from './contenders.js';
import type { HerdResult } from './herd.js';
import type { RunResult } from './load.js';
import type { BenchAlgorithm } from './tokens.js';

/** A load workload. */
export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly alg: BenchAlgorithm;
  readonly tokens: readonly string[];
}

/** Everything a report is made of. */
export interface ReportInput {
  readonly settings: {
    rounds: number;
    durationSec: number;
    warmupSec: number;
    connections: number;
    pool: number;
    memoryTokens: number;
    pinned: boolean;
  };
  readonly machine: string;
  readonly workloads: readonly Workload[];
  /** Runs per `workload|contender`, one per round, in round order. */
  readonly results: ReadonlyMap<string, RunResult[]>;
  readonly herd: readonly HerdResult[];
  readonly memory: { total: number; samples: { tokens: number; heapMiB: number }[] };
  readonly micro: Record<string, Record<string, number>>;
}

/** Medians over rounds of one contender in one workload, paired with bare Express and the peer. */
interface Summary {
  rps: number;
  p99: number;
  cpu: number;
  failures: number;
  /** Paired medians: req/s ÷ bare, p99 ÷ bare, CPU − bare, req/s ÷ express-oauth2-jwt-bearer. */
  rpsVsBare: number;
  p99VsBare: number;
  addedCpu: number;
  rpsVsPeer: number;
}

const median = (values: number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function paired(runs: RunResult[], others: RunResult[] | undefined, f: (a: RunResult, b: RunResult) => number): number {
  if (others === undefined) return Number.NaN;
  return median(runs.map((run, round) => (others[round] === undefined ? Number.NaN : f(run, others[round]!))));
}

function summarize(runs: RunResult[], bare: RunResult[] | undefined, peer: RunResult[] | undefined): Summary {
  return {
    rps: median(runs.map((r) => r.requestsPerSecond)),
    p99: median(runs.map((r) => r.p99Ms)),
    cpu: median(runs.map((r) => r.cpuMicrosPerRequest)),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
    rpsVsBare: paired(runs, bare, (a, b) => a.requestsPerSecond / b.requestsPerSecond),
    p99VsBare: paired(runs, bare, (a, b) => (b.p99Ms > 0 ? a.p99Ms / b.p99Ms : Number.NaN)),
    addedCpu: paired(runs, bare, (a, b) => a.cpuMicrosPerRequest - b.cpuMicrosPerRequest),
    rpsVsPeer: paired(runs, peer, (a, b) => a.requestsPerSecond / b.requestsPerSecond),
  };
}

const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '');
const check = (ok: boolean): string => (ok ? '✅ met' : '❌ not met');

/** Builds the markdown report. */
export function renderReport(input: ReportInput): string {
  const { settings } = input;
  const lines: string[] = [];
  const runsOf = (workload: string, contender: Contender): RunResult[] | undefined =>
    input.results.get(`${workload}|${contender}`);
  const get = (workload: string, contender: Contender): Summary | undefined => {
    const runs = runsOf(workload, contender);
    if (runs === undefined || runs.length === 0) return undefined;
    return summarize(runs, runsOf(workload, 'bare'), runsOf(workload, 'express-oauth2-jwt-bearer'));
  };

  lines.push('# Benchmark results', '');
  lines.push(
    `${input.machine}. Express 5, ${settings.connections} connections, ${settings.rounds} interleaved rounds of ` +
      `${settings.durationSec} s after ${settings.warmupSec} s of warm-up (contenders in a rotated, alternating ` +
      `order each round); server on core 0 and load generator (autocannon) on core 1: ` +
      `${settings.pinned ? 'pinned with taskset' : 'NOT pinned (taskset unavailable)'}. ` +
      `Distinct-token pools hold ${settings.pool} tokens sent in turn, more than bearer-guard's cache holds ` +
      '(10000), so every request is a full verification. "CPU µs/req" is server CPU time (all threads) divided ' +
      'by responses. Ratios and "added CPU" are paired: each round\'s run against the same round\'s bare-Express ' +
      'run, median over rounds. "crypto.verify only" is not an authorizer but the physical floor: one ' +
      '`crypto.verify` of the token signature with a ready KeyObject, in the same server.',
    '',
  );

  for (const workload of input.workloads) {
    lines.push(`## ${workload.title}`, '');
    lines.push('| middleware | req/s | × bare | × express-oauth2-jwt-bearer | p99 ms | p99 × bare | CPU µs/req | added CPU µs/req |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const contender of CONTENDERS) {
      const s = get(workload.id, contender);
      if (s === undefined) {
        lines.push(`| ${contender} | n/a | | | | | | |`);
        continue;
      }
      lines.push(
        `| ${contender}${s.failures > 0 ? ` (${s.failures} failed)` : ''} | ${s.rps.toFixed(0)} | ${fixed(s.rpsVsBare)} | ` +
          `${fixed(s.rpsVsPeer)} | ${s.p99} | ${fixed(s.p99VsBare)} | ${s.cpu.toFixed(0)} | ${fixed(s.addedCpu, 0)} |`,
      );
    }
    lines.push('');
  }

  lines.push('## JWKS fetches under a herd and floods', '');
  lines.push('Each contender starts with an empty cache; the JWKS endpoint answers after 50 ms.', '');
  lines.push('| middleware | cold herd: 200 valid tokens → fetches (200 OK) | then 200 unknown kids → fetches (answers) | fresh: 200 unknown kids → fetches (answers) |');
  lines.push('|---|---|---|---|');
  for (const h of input.herd) {
    lines.push(
      `| ${h.contender} | ${h.coldFetches} (${h.coldOk}) | ${h.warmFloodFetches} (${h.warmFloodStatuses}) | ${h.coldFloodFetches} (${h.coldFloodStatuses}) |`,
    );
  }
  lines.push('');

  const samples = input.memory.samples;
  lines.push(`## Heap after ${input.memory.total.toLocaleString('en-US')} distinct valid tokens`, '');
  lines.push(
    'One verifier with default options (cache of 10000 entries); each token verified twice so the cache admits ' +
      'it and fills to its bound; heap used after a forced GC.',
    '',
  );
  lines.push('| tokens verified | heap used (MiB) |', '|---:|---:|');
  for (const sample of samples) lines.push(`| ${sample.tokens.toLocaleString('en-US')} | ${sample.heapMiB} |`);
  lines.push('');

  lines.push('## Per-token verification cost (µs, one process, no HTTP)', '');
  const microColumns = ['crypto.verify', 'bearer-guard (no cache)', 'bearer-guard (cache hit)', 'jose.jwtVerify'];
  lines.push(`| algorithm | ${microColumns.join(' | ')} |`, `|---|${microColumns.map(() => '---:').join('|')}|`);
  for (const [alg, row] of Object.entries(input.micro)) {
    lines.push(`| ${alg} | ${microColumns.map((c) => fixed(row[c] ?? Number.NaN, 1)).join(' | ')} |`);
  }
  lines.push('');

  lines.push('## Targets', '');
  lines.push('| target | measured | verdict |', '|---|---|---|');
  const reused = get('reused-RS256', 'bearer-guard');
  if (reused) {
    lines.push(`| reused token ≥ 0.95× bare req/s | ${fixed(reused.rpsVsBare)}× | ${check(reused.rpsVsBare >= 0.95)} |`);
    lines.push(`| reused token p99 ≤ 1.1× bare | ${fixed(reused.p99VsBare)}× | ${check(reused.p99VsBare <= 1.1)} |`);
  }
  const floor = get('distinct-RS256', 'crypto.verify only');
  const microFloor = input.micro.RS256?.['crypto.verify'];
  for (const variant of ['bearer-guard', 'bearer-guard (no cache)'] as const) {
    const distinct = get('distinct-RS256', variant);
    if (distinct === undefined) continue;
    if (floor !== undefined) {
      const ratio = distinct.addedCpu / floor.addedCpu;
      lines.push(
        `| ${variant}, distinct RS256: added CPU ≤ 1.5× the crypto.verify floor measured in the same server ` +
          `(${fixed(floor.addedCpu, 0)} µs → ≤ ${fixed(floor.addedCpu * 1.5, 0)} µs) | ${fixed(distinct.addedCpu, 0)} µs ` +
          `(${fixed(ratio)}×) | ${check(ratio <= 1.5)} |`,
      );
    }
    if (microFloor !== undefined) {
      lines.push(
        `| ${variant}, distinct RS256: added CPU vs the crypto.verify micro cost (${fixed(microFloor, 1)} µs, no HTTP) | ` +
          `${fixed(distinct.addedCpu / microFloor)}× | ${check(distinct.addedCpu <= microFloor * 1.5)} |`,
      );
    }
    lines.push(
      `| ${variant}, distinct RS256: ≥ 1.5× express-oauth2-jwt-bearer req/s | ${fixed(distinct.rpsVsPeer)}× ` +
        `(the floor itself: ${floor ? fixed(floor.rpsVsPeer) : '?'}×) | ${check(distinct.rpsVsPeer >= 1.5)} |`,
    );
  }
  const own = input.herd.find((h) => h.contender === 'bearer-guard');
  if (own) {
    lines.push(`| cold herd of 200 → exactly 1 JWKS fetch | ${own.coldFetches} | ${check(own.coldFetches === 1)} |`);
    lines.push(
      `| 200 concurrent unknown kids → ≤ 1 fetch per cooldown window | ${own.warmFloodFetches} (warm), ${own.coldFloodFetches} (fresh) | ` +
        `${check(own.warmFloodFetches <= 1 && own.coldFloodFetches <= 1)} |`,
    );
  }
  if (samples.length >= 2) {
    const peak = Math.max(...samples.map((s) => s.heapMiB));
    const last = samples[samples.length - 1]!;
    lines.push(
      `| heap bounded after ${last.tokens.toLocaleString('en-US')} tokens (documented: ≤ 64 MiB with default options) | ` +
        `peak ${peak} MiB, ${last.heapMiB} MiB at the end | ${check(peak <= 64)} |`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
