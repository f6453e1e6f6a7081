/**
 * The statistics the report is made of: medians over rounds, ratios paired round by round, and the
 * summaries of solo and head-to-head runs.
 */
import type { DuelResult } from './duel.js';
import type { RunResult } from './load.js';

/** The median of the finite values, or NaN when there are none. */
export const median = (values: readonly number[]): number => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** `value` with `digits` decimals, or nothing when it is not a number. */
export const fixed = (value: number, digits = 2): string => (Number.isFinite(value) ? value.toFixed(digits) : '');

/** A verdict cell. */
export const check = (ok: boolean): string => (ok ? '✅ met' : '❌ not met');

/** Medians over rounds of one contender's solo runs in one workload, paired with bare Express and the peer. */
export interface SoloSummary {
  readonly rps: number;
  readonly p99: number;
  readonly cpu: number;
  readonly failures: number;
  /** Paired medians: req/s ÷ bare, p99 ÷ bare, CPU − bare, req/s ÷ express-oauth2-jwt-bearer. */
  readonly rpsVsBare: number;
  readonly p99VsBare: number;
  readonly addedCpu: number;
  readonly rpsVsPeer: number;
}

function paired(runs: RunResult[], others: RunResult[] | undefined, f: (a: RunResult, b: RunResult) => number): number {
  if (others === undefined) return Number.NaN;
  return median(runs.map((run, round) => (others[round] === undefined ? Number.NaN : f(run, others[round]!))));
}

/** Summarizes solo runs, each paired with the same round's run of bare Express and of the peer. */
export function summarizeSolo(runs: RunResult[], bare: RunResult[] | undefined, peer: RunResult[] | undefined): SoloSummary {
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

/** Medians over rounds of one contender's head-to-head runs against bare Express. */
export interface DuelSummary {
  /**
   * Capacity ÷ bare Express's: the bare server's CPU µs/req ÷ the contender's, measured over the same
   * seconds on the same core; what their throughputs would be to each other on a saturated core. Unlike the
   * raw req/s ratio, it stays true when the scheduler happens not to split the core evenly.
   */
  readonly rpsVsBare: number;
  /** The smallest and largest of those ratios over the rounds. */
  readonly low: number;
  readonly high: number;
  /** The raw ratio of the two servers' req/s (median). */
  readonly rawRpsVsBare: number;
  readonly cpu: number;
  /** CPU µs/req minus the bare server's in the same run. */
  readonly addedCpu: number;
  readonly failures: number;
  readonly rounds: number;
}

/** Summarizes the head-to-head runs of one contender. */
export function summarizeDuels(duels: readonly DuelResult[]): DuelSummary {
  const ratios = duels.map((d) => d.bare.cpuMicrosPerRequest / d.contender.cpuMicrosPerRequest);
  return {
    rpsVsBare: median(ratios),
    low: Math.min(...ratios),
    high: Math.max(...ratios),
    rawRpsVsBare: median(duels.map((d) => d.contender.requestsPerSecond / d.bare.requestsPerSecond)),
    cpu: median(duels.map((d) => d.contender.cpuMicrosPerRequest)),
    addedCpu: median(duels.map((d) => d.contender.cpuMicrosPerRequest - d.bare.cpuMicrosPerRequest)),
    failures: duels.reduce((sum, d) => sum + d.contender.failures + d.bare.failures, 0),
    rounds: duels.length,
  };
}
