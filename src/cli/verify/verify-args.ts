/**
 * The command line of `verify` turned into verifier options (a preset's, or issuer and audience) and the
 * route's requirements. A preset's own options are flags too; `--issuer`, `--audience` and `--jwks-uri`
 * that the preset does not take override its result, as spreading a preset does in code.
 */
import type { VerifierOptions } from '../../verify/verifier-options.js';
import { atTime, COMMON_OPTIONS, list, parseCommandArgs, single, type OptionSpecs, type ParsedValues } from '../command-args.js';
import { UsageError } from '../cli-io.js';
import { CLI_PRESETS, toFlag, type CliPreset } from './cli-presets.js';

/** What the route requires, as the guards take it. */
export interface RouteRequirements {
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  /** One value is enough (`match: 'any'`; with both lists, `requireScopesOrRoles`). */
  readonly any: boolean;
}

/** The parsed command line of `verify`. */
export interface VerifyArgs {
  readonly help: boolean;
  readonly json: boolean;
  readonly tokenFile: string | undefined;
  readonly argument: string | undefined;
  /** Milliseconds since the epoch, when `--at` is given. */
  readonly at: number | undefined;
  /** Builds the verifier options (lazily: a bad value is a usage error once help is ruled out). */
  readonly options: () => VerifierOptions;
  readonly requirements: RouteRequirements;
}

const OPTIONS = {
  ...COMMON_OPTIONS,
  issuer: { type: 'string', multiple: true },
  audience: { type: 'string', multiple: true },
  'jwks-uri': { type: 'string' },
  preset: { type: 'string' },
  scope: { type: 'string', multiple: true },
  role: { type: 'string', multiple: true },
  any: { type: 'boolean' },
  'clock-tolerance': { type: 'string' },
  'challenge-realm': { type: 'string' },
  at: { type: 'string' },
  'token-file': { type: 'string' },
} as const satisfies OptionSpecs;

/** The `--preset` value, read before the preset's own flags are known. */
function presetName(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (arg === '--preset') return args[i + 1];
    if (arg.startsWith('--preset=')) return arg.slice('--preset='.length);
  }
  return undefined;
}

function findPreset(name: string | undefined): CliPreset | undefined {
  if (name === undefined) return undefined;
  if (!Object.hasOwn(CLI_PRESETS, name)) {
    const known = Object.keys(CLI_PRESETS).join(', ');
    throw new UsageError(`--preset ${/^[a-z0-9-]{1,20}$/i.test(name) ? `"${name}" ` : ''}is not a preset; the presets are ${known}`);
  }
  return CLI_PRESETS[name];
}

/** The flags of verifier options and guard arguments whose names differ from the option's. */
const FLAGS: Readonly<Record<string, string>> = { realm: 'challenge-realm', scopes: 'scope', roles: 'role' };

/** A `TypeError` of an options check (verifier, preset or guard), in plain words naming the flag. */
export function toUsageError(error: unknown): never {
  if (!(error instanceof TypeError)) throw error;
  const message = error.message.replace(/^bearer-guard: /, '');
  const found = /^([A-Za-z0-9]+\(\) )?(?:option|argument) "([A-Za-z0-9]+)/.exec(message);
  if (found === null) throw new UsageError(message);
  const name = found[2]!;
  const flag = found[1] !== undefined && !found[1].startsWith('require') ? toFlag(name) : (FLAGS[name] ?? toFlag(name));
  throw new UsageError(`${message} (--${flag})`);
}

function presetOptions(chosen: CliPreset, values: ParsedValues): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(chosen.options)) {
    const flag = toFlag(name);
    if (values[flag] === undefined) continue;
    if (kind === 'list') given[name] = list(values, flag);
    else if (kind === 'string') given[name] = single(values, flag);
    else {
      const text = single(values, flag);
      if (text !== 'true' && text !== 'false') throw new UsageError(`--${flag} must be true or false`);
      given[name] = text === 'true';
    }
  }
  return given;
}

function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0]! : [...values];
}

function buildOptions(chosen: CliPreset | undefined, values: ParsedValues): VerifierOptions {
  const issuer = list(values, 'issuer');
  const audience = list(values, 'audience');
  const jwksUri = single(values, 'jwks-uri');
  const takes = (name: string): boolean => chosen !== undefined && Object.hasOwn(chosen.options, name);
  let base: Partial<VerifierOptions> = {};
  if (chosen === undefined) {
    if (issuer.length === 0 || audience.length === 0) throw new UsageError('--issuer and --audience are required (or a --preset with its options)');
  } else {
    try {
      base = chosen.build(presetOptions(chosen, values));
    } catch (error) {
      toUsageError(error);
    }
  }
  const tolerance = single(values, 'clock-tolerance');
  const realm = single(values, 'challenge-realm');
  return {
    ...base,
    ...(issuer.length > 0 && !takes('issuer') ? { issuer: oneOrMany(issuer) } : {}),
    ...(audience.length > 0 && !takes('audience') ? { audience: oneOrMany(audience) } : {}),
    ...(jwksUri !== undefined && !takes('jwksUri') ? { jwksUri } : {}),
    ...(tolerance === undefined ? {} : { clockTolerance: /^\d+$/.test(tolerance) ? Number(tolerance) : Number.NaN }),
    ...(realm === undefined ? {} : { realm }),
    cache: false,
  } as VerifierOptions;
}

/** Parses the arguments of `verify`. */
export function parseVerifyArgs(args: readonly string[]): VerifyArgs {
  const chosen = findPreset(presetName(args));
  const presetFlags: OptionSpecs = {};
  for (const [name, kind] of Object.entries(chosen?.options ?? {})) {
    presetFlags[toFlag(name)] = kind === 'list' ? { type: 'string', multiple: true } : { type: 'string' };
  }
  const { values, positionals } = parseCommandArgs(args, { ...OPTIONS, ...presetFlags }, 1);
  single(values, 'preset');
  return {
    help: values.help === true,
    json: values.json === true,
    tokenFile: single(values, 'token-file'),
    argument: positionals[0],
    at: values.help === true ? undefined : atTime(values),
    options: () => buildOptions(chosen, values),
    requirements: { scopes: list(values, 'scope'), roles: list(values, 'role'), any: values.any === true },
  };
}

