/**
 * Command-line parsing for the commands, on `node:util`'s `parseArgs` (strict: unknown options are usage
 * errors). Its own messages may quote what was typed, which could be a token: they are replaced by phrases
 * that name at most an option.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-io.js';

/** The options of one command, as `parseArgs` takes them. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Parsed values: strings, string lists and booleans, by option name. */
export type ParsedValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The options every command has. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
} as const satisfies OptionSpecs;

/** A short, safe name for what was typed: an option name, never a value. */
function optionName(message: string): string {
  const quoted = /'(-{1,2}[A-Za-z][A-Za-z0-9-]{0,40})/.exec(message);
  return quoted === null ? 'an option' : quoted[1]!;
}

/** Parses `args` against `options`, allowing at most `maxPositionals` arguments. */
export function parseCommandArgs(
  args: readonly string[],
  options: OptionSpecs,
  maxPositionals: number,
): { values: ParsedValues; positionals: string[] } {
  let parsed: { values: ParsedValues; positionals: string[] };
  // Every string option is collected as a list, so that one given twice is caught (see `single`).
  const collected: OptionSpecs = {};
  for (const [name, spec] of Object.entries(options)) collected[name] = spec.type === 'string' ? { ...spec, multiple: true } : spec;
  try {
    parsed = parseArgs({ args: [...args], options: collected, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`unknown option ${optionName(message)}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`option ${optionName(message)} needs a value`);
    throw new UsageError('the arguments cannot be read');
  }
  if (parsed.positionals.length > maxPositionals) throw new UsageError('too many arguments');
  return parsed;
}

/** The value of a string option given at most once. */
export function single(values: ParsedValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length > 1) throw new UsageError(`--${name} is given more than once`);
    return String(value[0]);
  }
  return String(value);
}

/** The values of a repeatable string option (`[]` when absent). */
export function list(values: ParsedValues, name: string): string[] {
  const value = values[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** The time of `--at` in milliseconds since the epoch, or `undefined` when absent. */
export function atTime(values: ParsedValues): number | undefined {
  const at = single(values, 'at');
  if (at === undefined) return undefined;
  const ms = Date.parse(at);
  if (!/^\d{4}-\d\d-\d\d/.test(at) || Number.isNaN(ms)) throw new UsageError('--at must be an ISO 8601 time, e.g. 2025-01-31T12:00:00Z');
  return ms;
}
