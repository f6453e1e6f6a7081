/**
 * One toolkit for option checks, used by every factory of the library (verifier, middleware, guards,
 * presets, test kit): the same messages and the same rules everywhere. Every check throws a `TypeError`
 * that names the option, at configuration time, so a misconfiguration never surfaces later as a 500 or a
 * silent pass:
 *
 *     bearer-guard: option "keys.timeoutMs" must be a finite number >= 1
 *     bearer-guard: entraId() option "tenantId" must be a tenant GUID, "organizations" or "common"
 *
 * `where` names the factory (`entraId()`, `requireScopes()`…); the options of `createVerifier()` and
 * `authenticate()` leave it out, since both take the same verifier options.
 */
import { isJsonObject } from '../json.js';

/** Where an option is checked: the option path (`keys.timeoutMs`) and the factory, if not the verifier. */
export interface OptionPlace {
  /** The option path, e.g. `keys.timeoutMs`. */
  readonly path: string;
  /** The factory, e.g. `entraId()`; absent for verifier options. */
  readonly where?: string | undefined;
}

/** The `TypeError` message of an invalid option. */
export function optionMessage(path: string, expectation: string, where?: string): string {
  return `bearer-guard: ${where === undefined ? '' : `${where} `}option "${path}" ${expectation}`;
}

/** Throws the `TypeError` of an invalid option. */
export function fail(path: string, expectation: string, where?: string): never {
  throw new TypeError(optionMessage(path, expectation, where));
}

/** Throws the `TypeError` of an invalid argument: `bearer-guard: requireScopes() argument "scopes" …`. */
export function failArgument(name: string, expectation: string, where: string): never {
  throw new TypeError(`bearer-guard: ${where} argument "${name}" ${expectation}`);
}

/** The option path of member `name` under `parent` (`''` for the top level). */
export function child(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/**
 * `value` as an options object whose members are all in `known`; `undefined` stays `undefined`. Throws for
 * anything else, and for an unknown member (a misspelt option never passes silently).
 */
export function optionsObject(
  value: unknown,
  path: string,
  known: ReadonlySet<string> | readonly string[],
  where?: string,
): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) fail(path === '' ? 'options' : path, 'must be an object', where);
  const names: ReadonlySet<string> = known instanceof Set ? known : new Set(known as readonly string[]);
  for (const name of Object.keys(value)) {
    if (!names.has(name)) fail(child(path, name), 'is not a known option', where);
  }
  return value;
}

/** A non-empty string; `undefined` when absent and not `required`. */
export function stringOption(value: unknown, path: string, where?: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') fail(path, 'must be a non-empty string', where);
  return value;
}

/** A required non-empty string. */
export function requiredString(value: unknown, path: string, where?: string): string {
  if (value === undefined) fail(path, 'is required', where);
  return stringOption(value, path, where)!;
}

// Printable ASCII without space: what an issuer, audience or client id can reasonably hold.
const PRINTABLE = /^[\x21-\x7e]+$/;

/** Options of {@link stringList}. */
export interface StringListRules {
  /** Refuse `undefined`. @default false */
  readonly required?: boolean;
  /** Only printable ASCII without spaces. @default false */
  readonly printable?: boolean;
}

/**
 * A non-empty string or a non-empty array of non-empty strings, as a list without repeats (a copy).
 * `undefined` when absent and not required.
 */
export function stringList(value: unknown, path: string, rules: StringListRules = {}, where?: string): string[] | undefined {
  if (value === undefined) {
    if (rules.required === true) fail(path, 'is required', where);
    return undefined;
  }
  const list: unknown = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) {
    fail(path, 'must be a non-empty string or a non-empty array of strings', where);
  }
  for (const item of list) {
    if (typeof item !== 'string' || item === '') fail(path, 'must only hold non-empty strings', where);
    if (rules.printable === true && !PRINTABLE.test(item)) {
      fail(path, 'must only hold non-empty strings of printable ASCII characters without spaces', where);
    }
  }
  return [...new Set(list as string[])];
}

/** Options of {@link numberOption}. */
export interface NumberRules {
  /** Smallest accepted value. */
  readonly min: number;
  /** Largest accepted value, with the reason given when it is exceeded. */
  readonly max?: number;
  /** Only whole numbers. @default false */
  readonly integer?: boolean;
  /** The unit, named in messages (`seconds`, `milliseconds`, `bytes`). */
  readonly unit?: string;
}

/** A finite number within `rules`; `undefined` when absent. */
export function numberOption(value: unknown, path: string, rules: NumberRules, where?: string): number | undefined {
  if (value === undefined) return undefined;
  const valid =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (rules.integer !== true || Number.isInteger(value)) &&
    value >= rules.min &&
    (rules.max === undefined || value <= rules.max);
  if (!valid) {
    const kind = rules.integer === true ? 'an integer' : 'a finite number';
    const max = rules.max === undefined ? '' : ` and <= ${rules.max}`;
    fail(path, `must be ${kind} >= ${rules.min}${max}${rules.unit === undefined ? '' : ` (${rules.unit})`}`, where);
  }
  return value;
}

/** One of `allowed`; `undefined` when absent. */
export function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], where?: string): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) fail(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`, where);
  return value as T;
}

/** A boolean; `undefined` when absent. */
export function booleanOption(value: unknown, path: string, where?: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail(path, 'must be a boolean', where);
  return value;
}

/** A function; `undefined` when absent. */
export function functionOption<T extends (...args: never[]) => unknown>(value: unknown, path: string, where?: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail(path, 'must be a function', where);
  return value as T;
}

/** The default `realm` of every `WWW-Authenticate` challenge. */
export const DEFAULT_REALM = 'api';

// What RFC 6750 §3 allows inside a quoted attribute value: printable ASCII without `"` and `\`.
const ATTRIBUTE_VALUE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** True when `value` only holds characters RFC 6750 allows inside a quoted attribute value. */
export function isAttributeValue(value: string): boolean {
  return ATTRIBUTE_VALUE.test(value);
}

/**
 * The one `realm` rule of every factory: 1 to 256 printable ASCII characters without `"` or `\` (what RFC
 * 6750 lets a challenge attribute hold). `undefined` gives {@link DEFAULT_REALM}.
 */
export function realmOption(value: unknown, path = 'realm', where?: string): string {
  if (value === undefined) return DEFAULT_REALM;
  if (typeof value !== 'string' || value === '' || value.length > 256 || !isAttributeValue(value)) {
    fail(path, 'must be 1 to 256 printable ASCII characters without " or \\', where);
  }
  return value;
}

/** A non-empty string as it is, or a non-empty array of non-empty strings (copied); required. */
export function stringOrStrings(value: unknown, path: string, where?: string): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && item !== '')) {
    fail(path, 'must be a non-empty string or a non-empty array of non-empty strings', where);
  }
  return [...(value as string[])];
}
