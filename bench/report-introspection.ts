/**
 * The report's section on opaque tokens validated by introspection, and its targets: a cached opaque token
 * costs about what a cached JWT does, and a cold herd makes one introspection call.
 */
import type { IntrospectionBenchResult } from './introspection.js';
import { check, fixed, median } from './stats.js';
import type { RunResult } from './load.js';

function paired(runs: RunResult[], bare: RunResult[], f: (a: RunResult, b: RunResult) => number): number {
  return median(runs.map((run, round) => (bare[round] === undefined ? Number.NaN : f(run, bare[round]!))));
}

/** The "Opaque tokens (introspection)" section. */
export function renderIntrospection(result: IntrospectionBenchResult | undefined): string[] {
  if (result === undefined) return [];
  const { solo, micro, herd } = result;
  const lines = ['## Opaque tokens (introspection)', ''];
  lines.push(
    'bearer-guard with one reused token of each kind, solo runs beside bare Express (medians over rounds, paired ' +
      'with the same round\'s bare run); the opaque token is validated at a local introspection endpoint and then ' +
      'answered from the introspection cache.',
    '',
  );
  lines.push('| workload | req/s | × bare | CPU µs/req | added CPU µs/req | in-process µs per verify |', '|---|---:|---:|---:|---:|---:|');
  const row = (title: string, runs: RunResult[], microUs: number): void => {
    lines.push(
      `| ${title} | ${median(runs.map((r) => r.requestsPerSecond)).toFixed(0)} | ` +
        `${fixed(paired(runs, solo.bare, (a, b) => a.requestsPerSecond / b.requestsPerSecond))} | ` +
        `${median(runs.map((r) => r.cpuMicrosPerRequest)).toFixed(0)} | ` +
        `${fixed(paired(runs, solo.bare, (a, b) => a.cpuMicrosPerRequest - b.cpuMicrosPerRequest), 1)} | ${fixed(microUs, 2)} |`,
    );
  };
  row('bare Express', solo.bare, Number.NaN);
  row('reused JWT (RS256), cached', solo.jwt, micro.cachedJwt);
  row('reused opaque token, introspection cached', solo.opaque, micro.cachedOpaque);
  lines.push('', `Cold herd: ${HERD_TEXT} → ${herd.calls} introspection ${herd.calls === 1 ? 'call' : 'calls'} (${herd.ok} answered 200).`, '');
  return lines;
}

const HERD_TEXT = '200 concurrent requests with one new opaque token, the endpoint answering after 50 ms';

/** Rows of the "Targets" table. */
export function introspectionTargets(result: IntrospectionBenchResult | undefined): string[] {
  if (result === undefined) return [];
  const { micro, herd } = result;
  const ratio = micro.cachedOpaque / micro.cachedJwt;
  return [
    `| cached opaque token costs no more than a cached JWT (same order: ≤ 2× its µs per verify) | | ` +
      `${fixed(micro.cachedOpaque, 2)} µs vs ${fixed(micro.cachedJwt, 2)} µs (${fixed(ratio)}×) | ${check(ratio <= 2)} |`,
    `| cold herd of 200, one new opaque token → exactly 1 introspection call | | ${herd.calls} | ${check(herd.calls === 1)} |`,
  ];
}
