#!/usr/bin/env node
/**
 * The `bearer-guard` executable (package.json `bin`): runs the CLI on the process's streams and sets the
 * exit code. A fault that is not a usage error is a bug: its name (never its message, which could quote
 * input) goes to standard error, exit code 70.
 */
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const name = error instanceof Error ? error.name : typeof error;
    process.stderr.write(`bearer-guard: unexpected ${name} (a bug: please report it with the output of "bearer-guard --version")\n`);
    process.exitCode = 70;
  },
);
