/**
 * Reading a claim by name or path without touching prototypes: only own properties of plain JSON objects
 * are followed, so inherited names (`toString`, `constructor`…) never resolve, and the names `__proto__`,
 * `constructor` and `prototype` are refused as path segments at configuration time and never followed,
 * even where a payload holds them as its own JSON members.
 */
import type { ClaimPath } from './claim-types.js';


/** A claim path split into segments, ready for {@link readClaim}. */
export type CompiledClaimPath = { readonly whole: string | undefined; readonly segments: readonly string[] };

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `name` is `__proto__`, `constructor` or `prototype`: never a usable claim path segment. */
export function isForbiddenSegment(name: string): boolean {
  return FORBIDDEN_SEGMENTS.has(name);
}

/**
 * Splits a {@link ClaimPath} once, at configuration time. Throws a `TypeError` naming `option` when a
 * segment is `__proto__`, `constructor` or `prototype`.
 */
export function compileClaimPath(path: ClaimPath, option = 'claims'): CompiledClaimPath {
  const compiled = typeof path === 'string' ? { whole: path, segments: path.split('.') } : { whole: undefined, segments: [...path] };
  if (compiled.segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) {
    throw new TypeError(`bearer-guard: option "${option}" must not name "__proto__", "constructor" or "prototype"`);
  }
  return compiled;
}

function child(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || FORBIDDEN_SEGMENTS.has(name)) return undefined;
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * The value at `path` in `payload`: a string path is first tried as one whole claim name (so namespaced
 * claims like `https://example.com/roles` work), then as a dot-path.
 */
export function readClaim(payload: Readonly<Record<string, unknown>>, path: CompiledClaimPath): unknown {
  if (path.whole !== undefined) {
    const direct = child(payload, path.whole);
    if (direct !== undefined || path.segments.length === 1) return direct;
  }
  let value: unknown = payload;
  for (const segment of path.segments) {
    value = child(value, segment);
    if (value === undefined) return undefined;
  }
  return value;
}
