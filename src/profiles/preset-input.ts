/** Shapes the presets' inputs share (their checks are the option toolkit's). */

/** `value` without its trailing slashes. */
export function trimSlashes(value: string): string {
  return value.replace(/\/+$/, '');
}

/** A host name with an optional port, nothing else (no scheme, path or credentials). */
export const HOST = /^[a-z0-9.-]+(:[0-9]{1,5})?$/i;
