/**
 * Checks of the presets' own options: each failure is a `TypeError` naming the preset and the option, at
 * configuration time.
 */

/** Throws the `TypeError` for option `name` of `preset`. */
export function fail(preset: string, name: string, expectation: string): never {
  throw new TypeError(`bearer-guard: ${preset} option "${name}" ${expectation}`);
}

/** `value` when it is a non-empty string; else throws naming the option. */
export function requireString(value: unknown, preset: string, name: string): string {
  if (typeof value !== 'string' || value === '') fail(preset, name, 'must be a non-empty string');
  return value;
}

/** A non-empty string, or a non-empty array of non-empty strings (copied); else throws naming the option. */
export function requireStrings(value: unknown, preset: string, name: string): string | string[] {
  if (typeof value === 'string' && value !== '') return value;
  if (!Array.isArray(value) || value.length === 0 || !value.every((item) => typeof item === 'string' && item !== '')) {
    fail(preset, name, 'must be a non-empty string or a non-empty array of non-empty strings');
  }
  return [...(value as string[])];
}

/** `value` without its trailing slashes. */
export function trimSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}

/** A host name with an optional port, nothing else (no scheme, path or credentials). */
export const HOST = /^[a-z0-9.-]+(:[0-9]{1,5})?$/i;
