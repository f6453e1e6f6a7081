/**
 * Running the built CLI (`dist/cli/main.js`, what `npx bearer-guard` runs) as a child process, with a
 * given standard input and environment, and checking that no output holds any part of a token.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The built executable. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

/** A finished run. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunOptions {
  /** Written to standard input, which is then closed (closed at once when absent). */
  readonly stdin?: string;
  /** Added to a clean environment (no colours forced, no debug log). */
  readonly env?: Readonly<Record<string, string>>;
}

/** Runs `bearer-guard <args>`. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error('dist/cli/main.js is missing: run "npm run build" first');
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', NODE_DEBUG: '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.on('error', () => undefined); // the CLI may exit before reading everything
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `bearer-guard <args> --json` and parses its standard output. */
export async function runJson(args: readonly string[], options: RunOptions = {}): Promise<{ run: CliRun; json: Record<string, unknown> }> {
  const run = await runCli([...args, '--json'], options);
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(run.stdout) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
  return { run, json };
}

/** Asserts that neither output holds `token` or any 12 characters of it in a row. */
export function expectNoToken(run: CliRun, token: string): void {
  const output = `${run.stdout}\n${run.stderr}`;
  const window = Math.min(12, token.length);
  const leaked: string[] = [];
  for (let at = 0; at + window <= token.length; at++) {
    const piece = token.slice(at, at + window);
    if (output.includes(piece)) leaked.push(piece);
  }
  expect(leaked, 'parts of the token in the output').toEqual([]);
}

/** Runs `tasks` with at most `limit` at a time (the machine is shared). */
export async function inBatches<T>(tasks: readonly (() => Promise<T>)[], limit = 3): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}
