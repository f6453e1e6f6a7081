/**
 * Settings shared by the property-based suites: a fixed seed (override with FUZZ_SEED), a run count scaled
 * by FUZZ_RUNS (`npm run fuzz`), a reproducible failure message, a per-answer time bound, a recorder of
 * unhandled rejections and uncaught exceptions, and the verdict of a verifier with the oracles that hold for
 * every answer.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isAuthError, type Verifier } from '../../../src/index.js';

/** The seed of every property (FUZZ_SEED overrides it). */
export const FUZZ_SEED = Number.parseInt(process.env.FUZZ_SEED ?? '', 10) || 20_260_822;

/** Runs of a property: `defaultRuns` in the normal suite, `share` of FUZZ_RUNS when it is set. */
export function runsOf(defaultRuns: number, share = 1): number {
  const requested = Number.parseInt(process.env.FUZZ_RUNS ?? '', 10);
  return Number.isFinite(requested) && requested > 0 ? Math.max(1, Math.round(requested * share)) : defaultRuns;
}

/** A test timeout for `runs` runs of about `perRunMs` each, never below 20 s. */
export function timeoutFor(runs: number, perRunMs: number): number {
  return Math.max(20_000, Math.ceil(runs * perRunMs * 3));
}

/**
 * Checks `property` with the fixed seed. On failure the error names the seed, the run count and how to
 * replay it, on top of fast-check's own counterexample and path.
 */
export async function check<T>(name: string, property: fc.IAsyncPropertyWithHooks<T>, runs: number): Promise<void> {
  try {
    await fc.assert(property, { seed: FUZZ_SEED, numRuns: runs, endOnFailure: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const replay = `FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${runs}`;
    console.error(`fuzz property "${name}" failed with seed ${FUZZ_SEED} (${runs} runs); replay with ${replay}`);
    throw new Error(`fuzz property "${name}" failed (seed ${FUZZ_SEED}, ${runs} runs; replay with ${replay})\n${message}`, {
      cause: error,
    });
  }
}

/** Resolves with `promise`, or rejects if it takes longer than `ms`: the hang oracle of every property. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Records unhandled rejections and uncaught exceptions while installed. */
export function recordEscapes(): { readonly escapes: unknown[]; uninstall(): void } {
  const escapes: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    escapes.push(reason);
  };
  const onException = (error: unknown): void => {
    escapes.push(error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return {
    escapes,
    uninstall: () => {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtException', onException);
    },
  };
}

/**
 * The verdict of `verifier` on `token`: `ok`, or `401 <reason>`. Asserts the oracles that hold for every
 * answer: an answer within 3 s, the identity of the token as sent (and of `issuer`, when given), only 401s,
 * and no long segment of the token echoed in the error message.
 */
export async function verdictOf(verifier: Verifier, token: string, issuer?: string): Promise<string> {
  try {
    const auth = await within(verifier.verify(token), 3000, 'verify');
    expect(auth.token).toBe(token);
    if (issuer !== undefined) expect(auth.issuer).toBe(issuer);
    return 'ok';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    expect(error.status).toBe(401);
    for (const segment of token.split('.')) if (segment.length >= 16) expect(error.message.includes(segment)).toBe(false);
    return `${error.status} ${error.reason}`;
  }
}
