/** The shapes a benchmark report is made of (shared by bench/report.ts and bench/report-targets.ts). */
import type { Contender } from './contenders.js';
import type { DuelResult } from './duel.js';
import type { HerdResult } from './herd.js';
import type { IntrospectionBenchResult } from './introspection.js';
import type { RunResult } from './load.js';
import type { DuelSummary, SoloSummary } from './stats.js';
import type { BenchAlgorithm } from './tokens.js';

/** A load workload. */
export interface Workload {
  readonly id: string;
  readonly title: string;
  readonly alg: BenchAlgorithm;
  readonly tokens: readonly string[];
  /** Encrypted tokens (JWE): only the contenders that decrypt run it. */
  readonly encrypted?: boolean;
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
  readonly memory: {
    total: number;
    samples: { tokens: number; heapMiB: number }[];
    /** Heap per admitted cache entry, measured and as the cache counts it, by token length. */
    perEntry?: { tokenChars: number; measuredBytes: number; countedBytes: number }[];
    /** 12 KB tokens under the default options: heap growth over the run (bounded by `cache.maxBytes`). */
    large?: { tokenChars: number; maxBytes: number; samples: { tokens: number; heapMiB: number }[] };
  };
  /** Microseconds per operation: per algorithm, plus `extraction` (reading the credential of a request). */
  readonly micro: Record<string, Record<string, number>>;
  /** Opaque tokens validated by introspection (absent from reports made before they were measured). */
  readonly introspection?: IntrospectionBenchResult;
  /** Per-token costs of encrypted tokens, per key wrapping (bench/micro-jwe.ts). */
  readonly microJwe?: Record<string, Record<string, number>>;
}

/** The summaries of a report, by workload and contender. */
export interface Summaries {
  solo(workload: string, contender: Contender): SoloSummary | undefined;
  duel(workload: string, contender: Contender): DuelSummary | undefined;
}
