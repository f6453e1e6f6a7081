/** `bearer-guard inspect`: reads a token and prints what it is, offline. Exit 0 for a token, 2 for anything else. */
import { atTime, COMMON_OPTIONS, parseCommandArgs, single } from '../command-args.js';
import { EXIT, writeLines, type CliIo } from '../cli-io.js';
import { INSPECT_HELP } from '../help-texts.js';
import { readToken } from '../read-token.js';
import { Style, wantsColor } from '../style.js';
import { inspectToken } from './inspect-token.js';
import { renderInspect } from './render-inspect.js';

const OPTIONS = { ...COMMON_OPTIONS, 'token-file': { type: 'string' }, at: { type: 'string' } } as const;

/** Runs `inspect` with `args`; resolves to the exit code. */
export async function inspectCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 1);
  if (values.help === true) {
    writeLines(io.stdout, [INSPECT_HELP]);
    return EXIT.ok;
  }
  const at = atTime(values);
  const read = await readToken({ file: single(values, 'token-file'), argument: positionals[0], stdin: io.stdin });
  writeLines(io.stderr, read.warnings);
  const report = inspectToken(read.token, (at ?? Date.now()) / 1000);
  if (values.json === true) writeLines(io.stdout, [JSON.stringify(report, null, 2)]);
  else writeLines(io.stdout, renderInspect(report, new Style(wantsColor(io.stdout, io.env))));
  return EXIT.ok;
}
