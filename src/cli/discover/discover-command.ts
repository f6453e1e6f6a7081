/**
 * `bearer-guard discover <issuer>`: the issuer's metadata and keys as bearer-guard would find them. Exit 0
 * usable, 1 answers bearer-guard would refuse, 2 usage error, 3 nothing answered.
 */
import { toFetchableUrl } from '../../http/url-policy.js';
import { COMMON_OPTIONS, parseCommandArgs, single } from '../command-args.js';
import { EXIT, UsageError, writeLines, type CliIo } from '../cli-io.js';
import { DISCOVER_HELP } from '../help-texts.js';
import { Style, wantsColor } from '../style.js';
import { discoverIssuer } from './discover-issuer.js';
import { renderDiscover } from './render-discover.js';

const OPTIONS = { ...COMMON_OPTIONS, timeout: { type: 'string' } } as const;

/** Runs `discover` with `args`; resolves to the exit code. */
export async function discoverCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 1);
  if (values.help === true) {
    writeLines(io.stdout, [DISCOVER_HELP]);
    return EXIT.ok;
  }
  const issuer = positionals[0];
  if (issuer === undefined) throw new UsageError('give the issuer, exactly as in the tokens\' iss: bearer-guard discover https://login.example.com/');
  const fetchable = toFetchableUrl(issuer);
  if (typeof fetchable === 'string') throw new UsageError(`the issuer ${fetchable}`);
  const timeout = single(values, 'timeout') ?? '5000';
  if (!/^\d{1,6}$/.test(timeout) || Number(timeout) === 0) throw new UsageError('--timeout must be a number of milliseconds from 1 to 999999');
  const report = await discoverIssuer(issuer, Number(timeout));
  if (values.json === true) writeLines(io.stdout, [JSON.stringify(report, null, 2)]);
  else writeLines(io.stdout, renderDiscover(report, new Style(wantsColor(io.stdout, io.env))));
  return report.verdict === 'ok' ? EXIT.ok : report.verdict === 'unusable' ? EXIT.refused : EXIT.unavailable;
}
