/**
 * Where each issuer family puts scopes, roles, client id and tenant, and the merge of a user's
 * {@link ClaimLocations} over those defaults.
 */
import type { ClaimLocations, ClaimPath, IssuerProfile } from '../types.js';
import { compileClaimPath, type CompiledClaimPath } from './claim-path.js';

/** Claim locations with every list present and compiled. */
export interface ResolvedClaimLocations {
  readonly scopes: readonly CompiledClaimPath[];
  readonly roles: readonly CompiledClaimPath[];
  readonly clientId: readonly CompiledClaimPath[];
  readonly tenantId: readonly CompiledClaimPath[];
}

type Locations = { readonly [K in keyof ClaimLocations]-?: readonly ClaimPath[] };

const GENERIC: Locations = {
  scopes: ['scope', 'scp'],
  roles: ['roles'],
  clientId: ['client_id', 'azp', 'appid'],
  tenantId: ['tid'],
};

/** Claim-location defaults per issuer family; the presets only differ in these values. */
export const PROFILE_CLAIMS: Readonly<Record<IssuerProfile, Locations>> = {
  generic: GENERIC,
  entra: GENERIC,
  // Auth0 RBAC puts API permissions in `permissions`; they are the API's scopes.
  auth0: { ...GENERIC, scopes: ['scope', 'permissions'] },
  // Okta: `scp` is an array and the client is `cid`.
  okta: { ...GENERIC, clientId: ['cid', 'client_id'] },
  // Keycloak: realm roles; client roles are added per client by the preset.
  keycloak: { ...GENERIC, roles: ['realm_access.roles'], clientId: ['client_id', 'azp'] },
  cognito: { ...GENERIC, scopes: ['scope'], roles: ['cognito:groups'], clientId: ['client_id'] },
};

/**
 * Merges `overrides` over the defaults of `profile` (list by list) and compiles every path. Throws a
 * `TypeError` naming the option for a path through `__proto__`, `constructor` or `prototype`.
 */
export function resolveClaimLocations(profile: IssuerProfile, overrides: ClaimLocations | undefined): ResolvedClaimLocations {
  const base = PROFILE_CLAIMS[profile];
  const pick = (name: keyof Locations): readonly CompiledClaimPath[] =>
    (overrides?.[name] ?? base[name]).map((path) => compileClaimPath(path, `claims.${name}`));
  return { scopes: pick('scopes'), roles: pick('roles'), clientId: pick('clientId'), tenantId: pick('tenantId') };
}
