/**
 * Head-to-head runs: bare Express and one contender served at the same time on the same core (core 0), each
 * driven by half the connections from the load generator (core 1). Both servers stay busy, so the scheduler
 * splits the core between them evenly, and the ratio of their throughputs is the inverse ratio of their CPU
 * cost per request. Whatever else the machine does in that moment slows both alike, which makes these ratios
 * far steadier than those of runs taken one after the other.
 */
import type { Contender, IssuerConfig } from './contenders.js';
import { ask, fire, startServer, stopServer, toRunResult, type Cursor, type LoadSettings, type RunResult } from './load.js';

/** One head-to-head run: the bare server's figures and the contender's, measured over the same seconds. */
export interface DuelResult {
  readonly bare: RunResult;
  readonly contender: RunResult;
}

/** Runs `contender` against bare Express on one core, both loaded at once. */
export async function runDuel(
  contender: Contender,
  config: IssuerConfig,
  tokens: readonly string[],
  settings: LoadSettings,
  proofs?: readonly string[],
): Promise<DuelResult> {
  const servers = [await startServer('bare', config), await startServer(contender, config)] as const;
  try {
    const half = Math.max(1, Math.floor(settings.connections / 2));
    const cursors: Cursor[] = [{ next: 0 }, { next: 0 }];
    await Promise.all(servers.map((server, i) => fire(server.port, tokens, cursors[i]!, half, settings.warmupSec, proofs)));
    const before = await Promise.all(servers.map((server) => ask(server.child, 'cpu')));
    const results = await Promise.all(servers.map((server, i) => fire(server.port, tokens, cursors[i]!, half, settings.durationSec, proofs)));
    const after = await Promise.all(servers.map((server) => ask(server.child, 'cpu')));
    const [bare, own] = results.map((result, i) => toRunResult(result, after[i]! - before[i]!, settings.durationSec));
    return { bare: bare!, contender: own! };
  } finally {
    await Promise.all(servers.map((server) => stopServer(server)));
  }
}
