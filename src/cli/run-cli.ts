/**
 * `bearer-guard <command>`: finds the command and loads only its module (so `inspect` starts without the
 * key-fetching and verification code), runs it, and turns usage errors into plain words and exit code 2.
 */
import { createRequire } from 'node:module';
import { EXIT, UsageError, writeLines, type CliIo } from './cli-io.js';
import { MAIN_HELP } from './help-texts.js';

/** One command: it runs with the arguments after its name and resolves to the exit code. */
type Command = (args: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  inspect: async () => (await import('./inspect/inspect-command.js')).inspectCommand,
  verify: async () => (await import('./verify/verify-command.js')).verifyCommand,
  discover: async () => (await import('./discover/discover-command.js')).discoverCommand,
};

function version(): string {
  const manifest = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
  return String(manifest.version);
}

/** Runs the CLI with `argv` (the arguments after the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic !== undefined && Object.hasOwn(COMMANDS, topic)) return runCli([topic, '--help'], io);
    writeLines(name === undefined ? io.stderr : io.stdout, [MAIN_HELP]);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    writeLines(io.stdout, [version()]);
    return EXIT.ok;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    const shown = /^[a-z-]{1,20}$/i.test(name) ? `"${name}"` : 'given';
    writeLines(io.stderr, [`bearer-guard: the command ${shown} does not exist; the commands are inspect, verify and discover`, 'Run "bearer-guard --help" for help.']);
    return EXIT.usage;
  }
  try {
    const command = await COMMANDS[name]!();
    return await command(args, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    writeLines(io.stderr, [`bearer-guard ${name}: ${error.message}`, `Run "bearer-guard ${name} --help" for its options and an example.`]);
    return EXIT.usage;
  }
}
