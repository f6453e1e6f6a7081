/** Where identity attributes live in a token's claims: the types of the `claims` option. */

/**
 * Where a claim lives in the token payload: a claim name, a dot-path (`realm_access.roles`), or an
 * array of path segments for names that themselves contain dots
 * (`['resource_access', 'my.client', 'roles']`). A string is first looked up as a whole claim name, so
 * namespaced claims such as `https://example.com/roles` work as they are. Only own members of JSON objects
 * are followed; a path through `__proto__`, `constructor` or `prototype` is refused at configuration time.
 */
export type ClaimPath = string | readonly string[];

/**
 * Where one identity attribute lives: a single {@link ClaimPath} string, or a list of claim paths read in
 * order. In a list, a path given as segments is an array inside the list:
 * `[['resource_access', 'my.client', 'roles']]`.
 */
export type ClaimPathList = string | readonly ClaimPath[];

/**
 * Where the identity of the caller lives in the payload. Each list is read in order; `scopes` and
 * `roles` take the union of every location, `clientId` and `tenantId` the first present string. A list
 * given here replaces the default list of that name; the lists left out keep the defaults below (the
 * generic ones: a preset's own lists are in its `claims`, so spread them to extend a preset).
 */
export interface ClaimLocations {
  /**
   * Scope claims: a space-delimited string or an array of strings.
   * @default ['scope', 'scp']
   */
  scopes?: ClaimPathList;
  /**
   * Role claims: an array of strings, or one string holding one role.
   * @default ['roles']
   */
  roles?: ClaimPathList;
  /**
   * The calling application's client id. The first location present in the token decides: when its value
   * is not a non-empty string there is no client id (later locations are not consulted).
   * @default ['client_id', 'azp', 'appid']
   */
  clientId?: ClaimPathList;
  /**
   * The tenant (directory) id; the first location present decides, as for {@link ClaimLocations.clientId}.
   * @default ['tid']
   */
  tenantId?: ClaimPathList;
}

/** Every claim location, each as a list: what a provider preset returns as its `claims`. */
export interface ClaimLocationLists {
  /** Scope claims (see {@link ClaimLocations.scopes}). */
  readonly scopes: readonly ClaimPath[];
  /** Role claims (see {@link ClaimLocations.roles}). */
  readonly roles: readonly ClaimPath[];
  /** Client id claims, first present decides (see {@link ClaimLocations.clientId}). */
  readonly clientId: readonly ClaimPath[];
  /** Tenant claims, first present decides (see {@link ClaimLocations.tenantId}). */
  readonly tenantId: readonly ClaimPath[];
}

