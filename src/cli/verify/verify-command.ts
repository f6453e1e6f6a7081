/**
 * `bearer-guard verify`: the middleware's checks on one token. Exit 0 accepted, 1 refused (400, 401, 403),
 * 2 usage error, 3 keys unavailable (503).
 */
import { createVerifier, type BearerVerifier } from '../../verifier/create-verifier.js';
import { EXIT, UsageError, writeLines, type CliIo } from '../cli-io.js';
import { verifyHelp } from '../help-texts.js';
import { inspectToken, type InspectReport } from '../inspect/inspect-token.js';
import { readToken } from '../read-token.js';
import { Style, wantsColor } from '../style.js';
import { presetHelpLines } from './cli-presets.js';
import { hintsFor } from './hints.js';
import { renderVerify, toVerifyReport } from './render-verify.js';
import { runChecks, toGuards, type RouteGuard } from './run-checks.js';
import { parseVerifyArgs, toUsageError } from './verify-args.js';

/**
 * Moves this process's clock to `atMs`, keeping it running: the pipeline reads `Date.now()` for the time
 * claims and the key sets' freshness alike, so verifying "at" a time is verifying in a shifted process.
 */
function shiftClock(atMs: number): void {
  const offset = atMs - Date.now();
  const real = Date.now.bind(Date);
  Date.now = () => real() + offset;
}

function offline(token: string, nowSec: number): InspectReport | undefined {
  try {
    return inspectToken(token, nowSec);
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    throw error;
  }
}

/** Runs `verify` with `args`; resolves to the exit code. */
export async function verifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseVerifyArgs(args);
  if (parsed.help) {
    writeLines(io.stdout, [verifyHelp(presetHelpLines())]);
    return EXIT.ok;
  }
  const options = parsed.options();
  let verifier: BearerVerifier;
  let guards: RouteGuard[];
  try {
    verifier = createVerifier(options);
    guards = toGuards(parsed.requirements, options.realm);
  } catch (error) {
    toUsageError(error);
  }
  const read = await readToken({ file: parsed.tokenFile, argument: parsed.argument, stdin: io.stdin });
  writeLines(io.stderr, read.warnings);
  if (parsed.at !== undefined) shiftClock(parsed.at);
  const nowSec = Date.now() / 1000;
  const facts = offline(read.token, nowSec);
  const verdict = await runChecks(read.token, verifier, guards);
  const hints =
    verdict.error === undefined
      ? []
      : hintsFor({ reason: verdict.error.reason, claims: facts?.claims, options, requirements: parsed.requirements, granted: verdict.auth, nowSec });
  const report = toVerifyReport(verdict, facts?.looksLike, hints);
  if (parsed.json) writeLines(io.stdout, [JSON.stringify(report, null, 2)]);
  else writeLines(io.stdout, renderVerify(report, new Style(wantsColor(io.stdout, io.env))));
  if (report.ok) return EXIT.ok;
  return report.status === 503 ? EXIT.unavailable : EXIT.refused;
}
