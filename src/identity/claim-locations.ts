/**
 * Where each issuer family puts scopes, roles, client id and tenant, and the merge of a user's
 * {@link ClaimLocations} over a family's lists. The presets return their family's lists as their explicit
 * `claims` option; a verifier merges its `claims` over the generic lists only, so the profile never adds
 * locations that the options do not show.
 */
import type { ClaimLocationLists, ClaimLocations, ClaimPath, IssuerProfile } from '../types.js';
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

const GENERIC: ClaimLocationLists = {
  scopes: ['scope', 'scp'],
  roles: ['roles'],
  clientId: ['client_id', 'azp', 'appid'],
  tenantId: ['tid'],
};

/** Claim locations per issuer family: the values the presets return as `claims`. */
export const PROFILE_CLAIMS: Readonly<Record<IssuerProfile, ClaimLocationLists>> = {
  generic: GENERIC,
  // Entra: delegated scopes in `scp`, app permissions in `roles`, the caller in `azp` (v2.0) or `appid`
  // (v1.0). Entra writes no `client_id`: a claim of that name (a claims-mapping policy) never names the caller.
  entra: { ...GENERIC, scopes: ['scp'], clientId: ['azp', 'appid'] },
  // Auth0 RBAC puts API permissions in `permissions`; they are the API's scopes.
  auth0: { ...GENERIC, scopes: ['scope', 'permissions'] },
  // Okta: `scp` is an array and the client is `cid`.
  okta: { ...GENERIC, clientId: ['cid', 'client_id'] },
  // Keycloak: realm roles; the preset adds the listed clients' roles.
  keycloak: { ...GENERIC, roles: ['realm_access.roles'], clientId: ['client_id', 'azp'] },
  cognito: { ...GENERIC, scopes: ['scope'], roles: ['cognito:groups'], clientId: ['client_id'] },
};

/** One location list as given (a single claim path string, or a list of paths), as a list. */
export function toClaimPathList(value: string | readonly ClaimPath[]): readonly ClaimPath[] {
  return typeof value === 'string' ? [value] : value;
}

/** A fresh, mutable copy of `lists`, so a preset's output never shares arrays with the table above. */
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
 * Merges `overrides` over the lists of `profile` (each given list replaces that list) and compiles every
 * path. Throws a `TypeError` naming the option for a path through `__proto__`, `constructor` or `prototype`.
 */
export function resolveClaimLocations(profile: IssuerProfile, overrides: ClaimLocations | undefined): ResolvedClaimLocations {
  const base = PROFILE_CLAIMS[profile];
  const pick = (name: keyof ClaimLocationLists): readonly CompiledClaimPath[] => {
    const given = overrides?.[name];
    return (given === undefined ? base[name] : toClaimPathList(given)).map((path) => compileClaimPath(path, `claims.${name}`));
  };
  return { scopes: pick('scopes'), roles: pick('roles'), clientId: pick('clientId'), tenantId: pick('tenantId') };
}
