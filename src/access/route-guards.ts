/**
 * The guard rules behind `requireScopes`, `requireRoles`, `requireScopesOrRoles` and `requireClaims`,
 * validated once when a guard is created (a `TypeError` naming the guard and its argument or option).
 * Each framework wraps them in its own shape (an Express middleware, a Fastify `preHandler`).
 */
import { hasGrants, toRequirement, type ScopesOrRoles } from '../guards/check-grants.js';
import { failArgument } from '../options/option-checks.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import { authView } from '../verify/identity/own-view.js';
import { resolveGuardOptions, type GuardOptions, type MatchGuardOptions } from './guard-options.js';
import { createRouteGuard, type RouteGuard } from './route-guard.js';

/** A claim rule of `requireClaims`: `true` lets the request pass; anything else, or a throw, refuses it. */
export type ClaimRule = (auth: AuthInfo) => boolean;

/** The rule of `requireScopes(scopes, options)`. */
export function scopesGuard(scopes: string | readonly string[], options?: MatchGuardOptions): RouteGuard {
  const required = toRequirement(scopes, 'scopes', 'requireScopes()', 'scope');
  const { match, realm } = resolveGuardOptions(options, 'requireScopes()', true);
  return createRouteGuard('requireScopes()', required, 'scope_missing', realm, (auth, implied) =>
    hasGrants(auth.scopes, required, match, implied),
  );
}

/** The rule of `requireRoles(roles, options)`. */
export function rolesGuard(roles: string | readonly string[], options?: MatchGuardOptions): RouteGuard {
  const required = toRequirement(roles, 'roles', 'requireRoles()', 'role');
  const { match, realm } = resolveGuardOptions(options, 'requireRoles()', true);
  return createRouteGuard('requireRoles()', required, 'role_missing', realm, (auth) => hasGrants(auth.roles, required, match));
}

/** The rule of `requireScopesOrRoles(required, options)`. */
export function scopesOrRolesGuard(required: ScopesOrRoles, options?: GuardOptions): RouteGuard {
  const where = 'requireScopesOrRoles()';
  if (typeof required !== 'object' || required === null || Array.isArray(required)) {
    failArgument('required', 'must be an object { scopes?, roles? }', where);
  }
  for (const key of Object.keys(required)) {
    if (key !== 'scopes' && key !== 'roles') failArgument(`required.${key}`, 'is not a known member', where);
  }
  const scopes = toRequirement(required.scopes ?? [], 'scopes', where, 'scope', true);
  const roles = toRequirement(required.roles ?? [], 'roles', where, 'role', true);
  if (scopes.length + roles.length === 0) failArgument('required', 'needs at least one scope or role', where);
  const { realm } = resolveGuardOptions(options, where, false);
  return createRouteGuard(where, [...scopes, ...roles], 'scope_or_role_missing', realm, (auth, implied) =>
    hasGrants(auth.scopes, scopes, 'any', implied) || hasGrants(auth.roles, roles, 'any'),
  );
}

/**
 * The rule of `requireClaims(rule, options)`: `rule` gets a frozen, own-member-only view of the identity
 * (its `payload` and `header` included) and must return exactly `true`.
 */
export function claimsGuard(rule: ClaimRule, options?: GuardOptions): RouteGuard {
  if (typeof rule !== 'function') failArgument('rule', 'must be a function (auth) => boolean', 'requireClaims()');
  const { realm } = resolveGuardOptions(options, 'requireClaims()', false);
  return createRouteGuard('requireClaims()', [], 'claim_rule_failed', realm, (auth) => rule(authView(auth)) === true);
}
