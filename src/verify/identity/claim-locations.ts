/**
 * Where each issuer family puts scopes, roles, client id and tenant, and the merge of a user's
 * {@link ClaimLocations} over a family's lists. The presets return their family's lists as their explicit
 * `claims` option; a verifier merges its `claims` over the generic lists only, so the profile never adds
 * locations that the options do not show.
 */
import type { ClaimLocationLists, ClaimLocations, ClaimPath } from './claim-types.js';
import { compileClaimPath, type CompiledClaimPath } from './claim-path.js';

/** Claim locations with every list present and compiled. */
export interface ResolvedClaimLocations {
  readonly scopes: readonly CompiledClaimPath[];
  readonly roles: readonly CompiledClaimPath[];
  readonly clientId: readonly CompiledClaimPath[];
  readonly tenantId: readonly CompiledClaimPath[];
}

/** The names of the claim-location lists. */
export const CLAIM_LOCATION_NAMES = ['scopes', 'roles', 'clientId', 'tenantId'] as const satisfies readonly (keyof ClaimLocations)[];

/**
 * The default claim locations of every verifier (a preset spells its family's own out in its `claims`
 * option): scopes in `scope` and `scp`, roles in `roles`, the caller in `client_id`, `azp` or `appid`, the
 * tenant in `tid`.
 */
export const GENERIC_CLAIMS: ClaimLocationLists = Object.freeze({
  scopes: Object.freeze(['scope', 'scp']),
  roles: Object.freeze(['roles']),
  clientId: Object.freeze(['client_id', 'azp', 'appid']),
  tenantId: Object.freeze(['tid']),
});

/** One location list as given (a single claim path string, or a list of paths), as a list. */
export function toClaimPathList(value: string | readonly ClaimPath[]): readonly ClaimPath[] {
  return typeof value === 'string' ? [value] : value;
}

/** A fresh, mutable copy of `lists`, so a preset's output never shares arrays with its family's lists. */
export function copyClaimLocations(lists: ClaimLocationLists): ClaimLocationLists {
  const copy = (paths: readonly ClaimPath[]): ClaimPath[] => paths.map((path) => (typeof path === 'string' ? path : [...path]));
  return {
    scopes: copy(lists.scopes),
    roles: copy(lists.roles),
    clientId: copy(lists.clientId),
    tenantId: copy(lists.tenantId),
  };
}

function isClaimPath(path: unknown): boolean {
  if (typeof path === 'string') return path !== '';
  return Array.isArray(path) && path.length > 0 && path.every((segment: unknown) => typeof segment === 'string' && segment !== '');
}

/**
 * Validates the `claims` option: an object whose known members are each one claim path string or a list
 * of claim paths (names, dot-paths, arrays of segments). Returns a copy holding lists only (a single
 * string becomes a one-path list). Throws a `TypeError` naming the faulty option.
 */
export function toClaimLocations(value: unknown): Partial<ClaimLocationLists> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError('bearer-guard: option "claims" must be an object');
  }
  const known: readonly string[] = CLAIM_LOCATION_NAMES;
  const result: { -readonly [K in keyof ClaimLocationLists]?: readonly ClaimPath[] } = {};
  for (const [name, paths] of Object.entries(value)) {
    if (!known.includes(name)) throw new TypeError(`bearer-guard: option "claims.${name}" is not a known option`);
    const valid = typeof paths === 'string' ? paths !== '' : Array.isArray(paths) && paths.every(isClaimPath);
    if (!valid) {
      throw new TypeError(
        `bearer-guard: option "claims.${name}" must be a claim name or dot-path, or an array of claim names, dot-paths or arrays of path segments`,
      );
    }
    const list = toClaimPathList(paths as string | readonly ClaimPath[]);
    result[name as keyof ClaimLocationLists] = list.map((path) => (typeof path === 'string' ? path : [...path]));
  }
  return result;
}

/**
 * Merges `overrides` over the lists of `base` (the generic ones by default) (each given list replaces that list) and compiles every
 * path. Throws a `TypeError` naming the option for a path through `__proto__`, `constructor` or `prototype`.
 */
export function resolveClaimLocations(
  overrides: ClaimLocations | undefined,
  base: ClaimLocationLists = GENERIC_CLAIMS,
): ResolvedClaimLocations {
  const pick = (name: keyof ClaimLocationLists): readonly CompiledClaimPath[] => {
    const given = overrides?.[name];
    return (given === undefined ? base[name] : toClaimPathList(given)).map((path) => compileClaimPath(path, `claims.${name}`));
  };
  return { scopes: pick('scopes'), roles: pick('roles'), clientId: pick('clientId'), tenantId: pick('tenantId') };
}
