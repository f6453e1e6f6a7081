/**
 * The debug log, turned on the Node way: `NODE_DEBUG=bearer-guard`. One line per refusal with the stable
 * reason and, where one is known, what was expected against what arrived
 * (`iss "https://a/" is not one of ["https://a"]`). Clients still get the uniform public description; only
 * this log is precise. Lines never hold a token, a signature or a secret; they may hold claim values and
 * URLs (credentials redacted), which is why the log is off by default.
 */
import { debuglog } from 'node:util';

const log = debuglog('bearer-guard');

/** True when the debug log is on: check before building a line. */
export function debugEnabled(): boolean {
  return log.enabled;
}

/** Writes one line to the debug log (when it is on). */
export function debug(line: string): void {
  log('%s', line);
}

/** A value for a debug line: JSON for strings and lists, cut to 200 characters. */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
