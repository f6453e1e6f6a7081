/**
 * Child Node processes for the tests that need a process of their own (a debug log read at start-up, an
 * example or the demo run as a user runs it, `tsc`): started with this Node, their output collected.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

/** A finished process: its exit code and what it wrote. */
export interface NodeRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Where and with what environment to run (`env` is laid over this process's). */
export interface NodeRunOptions {
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Starts `node <args>`; `done` settles with its exit code and output once it closes. */
export function startNode(
  args: readonly string[],
  options: NodeRunOptions = {},
): { child: ChildProcessByStdio<null, Readable, Readable>; done: Promise<NodeRun> } {
  const child = spawn(process.execPath, args, {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, done };
}

/** Runs `node <args>` to its end. */
export function runNode(args: readonly string[], options: NodeRunOptions = {}): Promise<NodeRun> {
  return startNode(args, options).done;
}
