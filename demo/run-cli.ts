/**
 * What `npm run demo` does, apart from the process: plays the scenario, writes the transcript and returns
 * the exit code (0 when every step answered as expected, 1 otherwise or when the demo could not run).
 */
import { runDemo, type DemoOptions, type DemoResult } from './scenario.js';
import { wantsColor } from './transcript.js';

/** Where the demo writes and what it reads. */
export interface DemoCliIo {
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  env: NodeJS.ProcessEnv;
}

/** Runs the demo; `play` stands for {@link runDemo}. Resolves to the process exit code. */
export async function runDemoCli(
  io: DemoCliIo,
  play: (options: DemoOptions) => Promise<DemoResult> = runDemo,
): Promise<number> {
  try {
    const result = await play({ write: (line) => io.stdout.write(`${line}\n`), color: wantsColor(io.stdout, io.env) });
    return result.failed.length === 0 ? 0 : 1;
  } catch (error) {
    io.stderr.write(`The demo could not run: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
