/**
 * What a command of the CLI works with: its standard streams and environment (the process's in
 * `main.ts`), the exit codes, and the usage error every command answers with exit code 2.
 */

/** A stream written to, and whether it is a terminal. */
export interface CliOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** The standard input: an async iterable of chunks, and whether it is a terminal. */
export interface CliInput extends AsyncIterable<string | Buffer> {
  readonly isTTY?: boolean;
}

/** The world of one CLI run. */
export interface CliIo {
  readonly stdin: CliInput;
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The exit codes: 0 accepted (or decoded, or discovered), 1 refused (400, 401, 403; or a discovery that
 * answered with something unusable), 2 a usage error (or input that is not a token), 3 keys or metadata
 * unavailable (503; or nothing answered discovery).
 */
export const EXIT = Object.freeze({ ok: 0, refused: 1, usage: 2, unavailable: 3 });

/** A mistake in the command line or its input: printed in plain words, exit code 2. */
export class UsageError extends Error {
  override get name(): string {
    return 'UsageError';
  }
}

/** Writes `lines` to `out`, each followed by a newline. */
export function writeLines(out: CliOutput, lines: readonly string[]): void {
  if (lines.length > 0) out.write(`${lines.join('\n')}\n`);
}
