/** `verifier.ready()`: every key source loaded now, or one `AggregateError` naming each URL that failed and why. */
import type { KeySource } from '../verify/keys/key-source.js';

/** Loads every source; rejects with an `AggregateError` whose message names each failure (system codes included). */
export async function readyAll(sources: readonly KeySource[]): Promise<void> {
  const results = await Promise.allSettled(sources.map((source) => source.ready()));
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
  if (failures.length === 0) return;
  const detail = failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)));
  throw new AggregateError(failures, `bearer-guard: keys could not be loaded: ${detail.join('; ')}`);
}
