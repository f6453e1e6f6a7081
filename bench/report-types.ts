/** The shapes a benchmark report is made of (shared by bench/report.ts and bench/report-targets.ts). */
import type { Contender } from './contenders.js';
import type { DuelResult } from './duel.js';
import type { HerdResult } from './herd.js';
import type { RunResult } from './load.js';
import type { DuelSummary, SoloSummary } from './stats.js';
import type { BenchAlgorithm } from './tokens.js';

/** A load workload. */
export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly alg: BenchAlgorithm;
  readonly tokens: readonly string[];
  /** For a DPoP workload: makes a fresh pool of proofs before each run (each proof is sent once). */
  readonly proofs?: () => readonly string[];
}

/** Everything a report is made of. */
export interface ReportInput {
  readonly settings: {
    rounds: number;
    duelRounds: number;
    durationSec: number;
    warmupSec: number;
    connections: number;
    pool: number;
    dpopPool: number;
    memoryTokens: number;
    pinned: boolean;
  };
  readonly machine: string;
  readonly workloads: readonly Workload[];
  /** Solo runs per `workload|contender`, one per round, in round order. */
  readonly results: ReadonlyMap<string, RunResult[]>;
  /** Head-to-head runs per `workload|contender`, one per round. */
  readonly duels: ReadonlyMap<string, DuelResult[]>;
  readonly herd: readonly HerdResult[];
  readonly memory: { total: number; samples: { tokens: number; heapMiB: number }[] };
  readonly micro: Record<string, Record<string, number>>;
}

/** The summaries of a report, by workload and contender. */
export interface Summaries {
  solo(workload: string, contender: Contender): SoloSummary | undefined;
  duel(workload: string, contender: Contender): DuelSummary | undefined;
}
