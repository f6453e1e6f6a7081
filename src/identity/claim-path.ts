/**
 * Reading a claim by name or path without touching prototypes: only own properties of plain JSON objects
 * are followed, so `__proto__`, `constructor` and friends never resolve to anything inherited.
 */
import type { ClaimPath } from '../types.js';

/** A claim path split into segments, ready for {@link readClaim}. */
export type CompiledClaimPath = { readonly whole: string | undefined; readonly segments: readonly string[] };

/** Splits a {@link ClaimPath} once, at configuration time. */
export function compileClaimPath(path: ClaimPath): CompiledClaimPath {
  if (typeof path === 'string') return { whole: path, segments: path.split('.') };
  return { whole: undefined, segments: [...path] };
}

function child(value: unknown, name: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
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
