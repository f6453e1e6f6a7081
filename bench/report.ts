/**
 * Renders the benchmark results as markdown: medians, ratios to bare Express and to
 * express-oauth2-jwt-bearer, added CPU per request, JWKS counts, heap and per-token costs, and a check of
 * each performance target.
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
  readonly results: ReadonlyMap<string, RunResult[]>;
  readonly herd: readonly HerdResult[];
  readonly memory: { total: number; samples: { tokens: number; heapMiB: number }[] };
  readonly micro: Record<string, Record<string, number>>;
}

interface Summary {
  rps: number;
  p99: number;
  cpu: number;
  failures: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function summarize(runs: RunResult[] | undefined): Summary | undefined {
  if (runs === undefined || runs.length === 0) return undefined;
  return {
    rps: median(runs.map((r) => r.requestsPerSecond)),
    p99: median(runs.map((r) => r.p99Ms)),
    cpu: median(runs.map((r) => r.cpuMicrosPerRequest)),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

const fixed = (value: number, digits = 2): string => value.toFixed(digits);
const check = (ok: boolean): string => (ok ? '✅ met' : '❌ not met');

/** Builds the markdown report. */
export function renderReport(input: ReportInput): string {
  const { settings } = input;
  const lines: string[] = [];
  const summaries = new Map<string, Summary>();
  for (const [id, runs] of input.results) {
    const summary = summarize(runs);
    if (summary !== undefined) summaries.set(id, summary);
  }
  const get = (workload: string, contender: Contender): Summary | undefined => summaries.get(`${workload}|${contender}`);

  lines.push('# Benchmark results', '');
  lines.push(
    `${input.machine}. Express 5, ${settings.connections} connections, ${settings.rounds} interleaved round(s) of ` +
      `${settings.durationSec} s after ${settings.warmupSec} s of warm-up; server on core 0 and load generator ` +
      `(autocannon) on core 1: ${settings.pinned ? 'pinned with taskset' : 'NOT pinned (taskset unavailable)'}. ` +
      `Distinct-token pools hold ${settings.pool} tokens (bearer-guard's default cache keeps 10000, so every ` +
      'request is a full verification). Medians over rounds. "CPU µs/req" is server CPU time divided by ' +
      'responses; "added" subtracts bare Express in the same workload.',
    '',
  );

  for (const workload of input.workloads) {
    const bare = get(workload.id, 'bare');
    const eojb = get(workload.id, 'express-oauth2-jwt-bearer');
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
        `| ${contender}${s.failures > 0 ? ` (${s.failures} failed)` : ''} | ${s.rps.toFixed(0)} | ` +
          `${bare ? fixed(s.rps / bare.rps) : ''} | ${eojb ? fixed(s.rps / eojb.rps) : ''} | ${s.p99} | ` +
          `${bare && bare.p99 > 0 ? fixed(s.p99 / bare.p99) : ''} | ${s.cpu.toFixed(0)} | ${bare ? (s.cpu - bare.cpu).toFixed(0) : ''} |`,
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
  const reusedBare = get('reused-RS256', 'bare');
  const reused = get('reused-RS256', 'bearer-guard');
  if (reusedBare && reused) {
    const ratio = reused.rps / reusedBare.rps;
    lines.push(`| reused token ≥ 0.95× bare req/s | ${fixed(ratio)}× | ${check(ratio >= 0.95)} |`);
    const p99 = reusedBare.p99 > 0 ? reused.p99 / reusedBare.p99 : Number.NaN;
    lines.push(`| reused token p99 ≤ 1.1× bare | ${fixed(p99)}× (${reused.p99} ms vs ${reusedBare.p99} ms) | ${check(p99 <= 1.1)} |`);
  }
  const floor = input.micro.RS256?.['crypto.verify'];
  for (const variant of ['bearer-guard', 'bearer-guard (no cache)'] as const) {
    const distinct = get('distinct-RS256', variant);
    const distinctBare = get('distinct-RS256', 'bare');
    const eojb = get('distinct-RS256', 'express-oauth2-jwt-bearer');
    if (distinct && distinctBare && floor !== undefined) {
      const added = distinct.cpu - distinctBare.cpu;
      lines.push(
        `| ${variant}, distinct RS256: added CPU ≤ 1.5× crypto.verify (${fixed(floor, 1)} µs → ≤ ${fixed(floor * 1.5, 1)} µs) | ` +
          `${fixed(added, 1)} µs (${fixed(added / floor)}×) | ${check(added <= floor * 1.5)} |`,
      );
    }
    if (distinct && eojb) {
      const ratio = distinct.rps / eojb.rps;
      lines.push(`| ${variant}, distinct RS256: ≥ 1.5× express-oauth2-jwt-bearer req/s | ${fixed(ratio)}× | ${check(ratio >= 1.5)} |`);
    }
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
    const tenThousand = samples.find((s) => s.tokens >= 10_000)?.heapMiB ?? peak;
    const last = samples[samples.length - 1]!;
    lines.push(
      `| heap bounded after ${last.tokens.toLocaleString('en-US')} tokens (documented: ≤ 64 MiB with default options) | ` +
        `peak ${peak} MiB; ${tenThousand} MiB at 10,000, ${last.heapMiB} MiB at the end | ${check(peak <= 64)} |`,
    );
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}
