/**
 * The `impliedScopes` option: a scope hierarchy such as `{ 'files:write': ['files:read'] }` (a token granted
 * `files:write` also satisfies a guard requiring `files:read`, never the other way round). Validated once and
 * closed transitively here (`admin` → `files:write` → `files:read` gives `admin` both); a cycle would make two
 * scopes one and is refused. The guards apply it; `AuthInfo.scopes` keeps what the token says.
 */
import { isScopeToken } from '../../errors/challenge.js';
import { child, fail } from '../../options/option-checks.js';
import { isJsonObject } from '../../json.js';

/** Each scope of a hierarchy → every scope it implies, directly or not (never itself). */
export type ImpliedScopes = ReadonlyMap<string, readonly string[]>;

const SCOPES = 'must map scope tokens to non-empty arrays of scope tokens';

function readEdges(value: unknown, path: string, where: string | undefined): Map<string, readonly string[]> {
  const proto: unknown = isJsonObject(value) ? Object.getPrototypeOf(value) : undefined;
  if (proto !== Object.prototype && proto !== null) fail(path, SCOPES, where); // a Map would pass silently
  const given = value as Record<string, unknown>;
  const edges = new Map<string, readonly string[]>();
  for (const [scope, implied] of Object.entries(given)) {
    if (!isScopeToken(scope)) fail(path, SCOPES, where);
    const at = child(path, scope);
    if (!Array.isArray(implied) || implied.length === 0 || !implied.every((s) => typeof s === 'string' && isScopeToken(s))) {
      fail(at, 'must be a non-empty array of scope tokens', where);
    }
    if (implied.includes(scope)) fail(at, 'must not hold the scope itself', where);
    edges.set(scope, [...new Set(implied as string[])]);
  }
  return edges;
}

/**
 * Validates `impliedScopes` and returns its transitive closure; `undefined` when absent or empty (the guards
 * then compare scopes exactly, at no cost). Throws a `TypeError` naming the option for anything else, and for
 * a cycle (`a` → `b` → `a`).
 */
export function resolveImpliedScopes(value: unknown, path = 'impliedScopes', where?: string): ImpliedScopes | undefined {
  if (value === undefined) return undefined;
  const edges = readEdges(value, path, where);
  if (edges.size === 0) return undefined;
  const closure = new Map<string, readonly string[]>();
  const visit = (scope: string, trail: readonly string[]): readonly string[] => {
    const done = closure.get(scope);
    if (done !== undefined) return done;
    if (trail.includes(scope)) {
      fail(path, `must not lead a scope back to itself (${[...trail.slice(trail.indexOf(scope)), scope].join(' → ')})`, where);
    }
    const all = new Set<string>();
    for (const next of edges.get(scope) ?? []) {
      all.add(next);
      for (const further of visit(next, [...trail, scope])) all.add(further);
    }
    const result = Object.freeze([...all]);
    if (edges.has(scope)) closure.set(scope, result);
    return result;
  };
  for (const scope of edges.keys()) visit(scope, []);
  return closure;
}
