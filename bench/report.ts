/**
 * Renders the benchmark results as markdown: the solo runs (medians over rounds, ratios paired round by
 * round with bare Express), the head-to-head runs, JWKS counts, heap, the per-token micro costs, and the
 * check of each performance target (bench/report-targets.ts).
 */
import { CONTENDERS, type Contender } from './contenders.js';
import type { RunResult } from './load.js';
import { renderIntrospection } from './report-introspection.js';
import { renderTargets } from './report-targets.js';
import { fixed, summarizeDuels, summarizeSolo } from './stats.js';
import type { ReportInput, Summaries } from './report-types.js';

export type { ReportInput, Summaries, Workload } from './report-types.js';

function summaries(input: ReportInput): Summaries {
  const runsOf = (workload: string, contender: Contender): RunResult[] | undefined =>
    input.results.get(`${workload}|${contender}`);
  return {
    solo(workload, contender) {
      const runs = runsOf(workload, contender);
      if (runs === undefined || runs.length === 0) return undefined;
      return summarizeSolo(runs, runsOf(workload, 'bare'), runsOf(workload, 'express-oauth2-jwt-bearer'));
    },
    duel(workload, contender) {
      const duels = input.duels.get(`${workload}|${contender}`);
      return duels === undefined || duels.length === 0 ? undefined : summarizeDuels(duels);
    },
  };
}

function renderSolo(input: ReportInput, get: Summaries, lines: string[]): void {
  for (const workload of input.workloads) {
    lines.push(`### ${workload.title}`, '');
    lines.push('| middleware | req/s | × bare | × express-oauth2-jwt-bearer | p99 ms | p99 × bare | CPU µs/req | added CPU µs/req |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
    for (const contender of CONTENDERS) {
      const s = get.solo(workload.id, contender);
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
}

function renderDuels(input: ReportInput, get: Summaries, lines: string[]): void {
  const peer = 'express-oauth2-jwt-bearer';
  for (const workload of input.workloads) {
    lines.push(`### ${workload.title}, head to head`, '');
    lines.push('| middleware | capacity × bare (median) | lowest–highest | × express-oauth2-jwt-bearer | raw req/s × bare | CPU µs/req | added CPU µs/req |');
    lines.push('|---|---:|---:|---:|---:|---:|---:|');
    const peerRatio = get.duel(workload.id, peer)?.rpsVsBare ?? Number.NaN;
    for (const contender of CONTENDERS) {
      const d = get.duel(workload.id, contender);
      const name = contender === 'bare' ? 'bare (control: bare against bare)' : contender;
      if (d === undefined) {
        lines.push(`| ${name} | n/a | | | | | |`);
        continue;
      }
      lines.push(
        `| ${name}${d.failures > 0 ? ` (${d.failures} failed)` : ''} | ${fixed(d.rpsVsBare, 3)} | ` +
          `${fixed(d.low, 3)}–${fixed(d.high, 3)} | ${fixed(d.rpsVsBare / peerRatio)} | ${fixed(d.rawRpsVsBare, 3)} | ` +
          `${fixed(d.cpu, 1)} | ${fixed(d.addedCpu, 1)} |`,
      );
    }
    lines.push('');
  }
}

function renderHerd(input: ReportInput, lines: string[]): void {
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
}

function renderMemoryAndMicro(input: ReportInput, lines: string[]): void {
  lines.push(`## Heap after ${input.memory.total.toLocaleString('en-US')} distinct valid tokens`, '');
  lines.push(
    'One verifier with default options (cache of 10000 entries); each token verified twice so the cache admits ' +
      'it and fills to its bound; heap used after a forced GC.',
    '',
  );
  lines.push('| tokens verified | heap used (MiB) |', '|---:|---:|');
  for (const sample of input.memory.samples) lines.push(`| ${sample.tokens.toLocaleString('en-US')} | ${sample.heapMiB} |`);
  lines.push('');
  renderEntryCosts(input, lines);

  const { extraction, breakdown, ...verification } = input.micro;
  lines.push('## Per-token verification cost (µs, one process, no HTTP)', '');
  const columns = ['crypto.verify', 'bearer-guard (no cache)', 'bearer-guard (cache hit)', 'bearer-guard DPoP (cache hit + ES256 proof)', 'jose.jwtVerify'];
  lines.push(`| algorithm | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`);
  for (const [alg, row] of Object.entries(verification)) {
    lines.push(`| ${alg} | ${columns.map((c) => fixed(row[c] ?? Number.NaN, 1)).join(' | ')} |`);
  }
  lines.push('');
  if (extraction !== undefined) {
    lines.push('## Reading the credential (µs per request, one process, query tokens off)', '');
    lines.push(
      'The query of every request is scanned for an `access_token` parameter, so that a token sent twice is ' +
        'refused. The second row is a 16 KB query of `%x&x&…` with no token, which any client may send.',
      '',
    );
    lines.push('| request | µs |', '|---|---:|');
    for (const [name, micros] of Object.entries(extraction)) lines.push(`| ${name} | ${fixed(micros, 2)} |`);
    lines.push('');
  }
  if (breakdown !== undefined && Object.keys(breakdown).length > 0) {
    lines.push('## Where a distinct RS256 token goes (µs, one process, no HTTP, best of 7 rounds)', '');
    lines.push('| part | µs |', '|---|---:|');
    for (const [name, micros] of Object.entries(breakdown)) lines.push(`| ${name} | ${fixed(micros, 1)} |`);
    lines.push('');
  }
  if (input.microJwe !== undefined) renderMicroJwe(input.microJwe, lines);
}

function renderMicroJwe(micro: Record<string, Record<string, number>>, lines: string[]): void {
  lines.push('## Encrypted tokens (µs per token, one process, no HTTP)', '');
  lines.push(
    'RS256 tokens verified as plain JWS and encrypted to the API (2048-bit RSA-OAEP or A256KW key wrapping, ' +
      'A256CBC-HS512), every token distinct and no cache; "added by decryption" is the difference; ' +
      '"jose.compactDecrypt" is the decryption alone; the cache-hit columns repeat one token.',
    '',
  );
  const columns = ['JWS (no cache)', 'JWE (no cache)', 'added by decryption', 'jose.compactDecrypt', 'JWS (cache hit)', 'JWE (cache hit)'];
  lines.push(`| key wrapping | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---:').join('|')}|`);
  for (const [wrapping, row] of Object.entries(micro)) {
    lines.push(`| ${wrapping} | ${columns.map((c) => fixed(row[c] ?? Number.NaN, 1)).join(' | ')} |`);
  }
  lines.push('');
}

function renderEntryCosts(input: ReportInput, lines: string[]): void {
  const { perEntry, large } = input.memory;
  if (perEntry !== undefined) {
    lines.push('## Heap per cached token', '');
    lines.push(
      'Heap growth over a cache filled with distinct tokens, divided by their number (tokens padded with a ' +
        '`groups` claim of GUIDs), beside the size the cache counts for such an entry against `cache.maxBytes`.',
      '',
    );
    lines.push('| token length (characters) | measured (bytes per entry) | counted (bytes per entry) |', '|---:|---:|---:|');
    for (const row of perEntry) {
      lines.push(`| ${row.tokenChars.toLocaleString('en-US')} | ${row.measuredBytes.toLocaleString('en-US')} | ${row.countedBytes.toLocaleString('en-US')} |`);
    }
    lines.push('');
  }
  if (large !== undefined) {
    lines.push(`## Heap with ${large.tokenChars.toLocaleString('en-US')}-character tokens, default options`, '');
    lines.push(`\`cache.maxBytes\` (${large.maxBytes / 2 ** 20} MiB) bounds the cache before its 10000 entries do.`, '');
    lines.push('| tokens verified | heap growth (MiB) |', '|---:|---:|');
    for (const sample of large.samples) lines.push(`| ${sample.tokens.toLocaleString('en-US')} | ${sample.heapMiB} |`);
    lines.push('');
  }
}

/** What a DPoP request adds to a Bearer request whose token is served from the cache. */
function renderDpop(input: ReportInput, get: Summaries, lines: string[]): void {
  const added = (workload: string, kind: 'solo' | 'duel'): number => get[kind](workload, 'bearer-guard')?.addedCpu ?? Number.NaN;
  const micro = input.micro.RS256 ?? {};
  const proofMicro = (micro['bearer-guard DPoP (cache hit + ES256 proof)'] ?? Number.NaN) - (micro['bearer-guard (cache hit)'] ?? Number.NaN);
  lines.push('## DPoP', '');
  lines.push(
    'The reused RS256 token bound to a DPoP key and sent with the DPoP scheme, each request carrying a fresh ES256 ' +
      `proof (pools of ${input.settings.dpopPool} made before each run, each proof sent once, so the default replay ` +
      'store records every one), against the same reused token sent as Bearer. The token is served from the ' +
      'verified-token cache in both; the difference is the proof: its decoding, one ES256 verification, the checks ' +
      'against the request and the replay store.',
    '',
  );
  lines.push('| measure | DPoP request − Bearer request |', '|---|---:|');
  lines.push(`| added server CPU, solo runs (µs/req) | ${fixed(added('reused-RS256-dpop', 'solo') - added('reused-RS256', 'solo'), 1)} |`);
  lines.push(`| added server CPU, head to head (µs/req) | ${fixed(added('reused-RS256-dpop', 'duel') - added('reused-RS256', 'duel'), 1)} |`);
  lines.push(`| one process, no HTTP (µs per verification) | ${fixed(proofMicro, 1)} |`, '');
}

/** Builds the markdown report. */
export function renderReport(input: ReportInput): string {
  const { settings } = input;
  const get = summaries(input);
  const lines: string[] = ['# Benchmark results', ''];
  lines.push(
    `${input.machine}. Express 5 serving \`GET /receipts/42\` → \`{"ok":true}\` behind each middleware; ` +
      `RS256 keys of 2048 bits, ES256 on P-256, EdDSA on Ed25519. Servers on core 0, the load generator ` +
      `(autocannon, ${settings.connections} connections) on core 1: ` +
      `${settings.pinned ? 'pinned with taskset' : 'NOT pinned (taskset unavailable)'}. ` +
      `Distinct-token pools hold ${settings.pool} tokens sent in turn, more than bearer-guard's cache holds ` +
      '(10000), so every request is a full verification. "CPU µs/req" is server CPU time (all threads) divided ' +
      'by responses. Two rows are floors, not authorizers: "req.auth only" reads the Authorization header and ' +
      'sets `req.auth`, the least any middleware keeping the `req.auth` contract costs (Express gives every ' +
      'request object a shape of its own, so adding a property to one is a slow store); "crypto.verify only" ' +
      'is one `crypto.verify` of the token signature with a ready KeyObject, in the same server.',
    '',
  );
  lines.push('## Solo runs', '');
  lines.push(
    `One server at a time, ${settings.rounds} interleaved rounds of ${settings.durationSec} s after ` +
      `${settings.warmupSec} s of warm-up (contenders in a rotated, alternating order each round). Ratios and ` +
      '"added CPU" are paired: each round\'s run against the same round\'s bare-Express run, median over rounds. ' +
      'On a shared machine two runs taken seconds apart can differ by 10–20 %, so small differences here are noise.',
    '',
  );
  renderSolo(input, get, lines);
  lines.push('## Head to head', '');
  lines.push(
    `Bare Express and one contender served at the same time on core 0, each loaded with half the connections, ` +
      `${settings.duelRounds} rounds of ${settings.durationSec} s after ${settings.warmupSec} s of warm-up. ` +
      'Whatever else the machine does in those seconds slows both alike. "Capacity × bare" is bare\'s CPU µs/req ' +
      "divided by the contender's, measured over the same seconds: the ratio of their throughputs on a " +
      'saturated core (the raw req/s ratio is shown too; it drifts when the scheduler does not split the core ' +
      "evenly). The control row (bare against bare) shows the method's own spread. A target below is met only " +
      'when these ratios and the solo runs both meet it.',
    '',
  );
  renderDuels(input, get, lines);
  renderDpop(input, get, lines);
  renderHerd(input, lines);
  lines.push(...renderIntrospection(input.introspection));
  renderMemoryAndMicro(input, lines);
  lines.push(...renderTargets(input, get));
  return `${lines.join('\n')}\n`;
}
