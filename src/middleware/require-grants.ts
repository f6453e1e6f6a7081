/**
 * Per-route guards: `requireScopes`, `requireRoles`, `requireScopesOrRoles`. Each fails closed: without an
 * identity attached by `authenticate()` it answers 401 ({@link AuthenticationRequiredError}); with one that
 * lacks the grant, 403 `insufficient_scope` whose `scope` attribute lists every required value that is an
 * RFC 6750 scope token (`err.scope` lists them all).
 */
import { AuthenticationRequiredError, InsufficientScopeError, type InsufficientScopeReason } from '../errors.js';
import { hasGrants, toRequirement, type ScopesOrRoles } from '../guards/check-grants.js';
import type { AuthInfo } from '../types.js';
import type { Middleware } from './handler-types.js';
import { issuedRealm } from '../identity/issued-identity.js';
import { resolveGuardOptions, type GuardOptions, type MatchGuardOptions } from './guard-options.js';

function createGuard(
  required: readonly string[],
  reason: InsufficientScopeReason,
  unauthenticatedRealm: string,
  allows: (auth: AuthInfo) => boolean,
): Middleware {
  const unauthenticated = { realm: unauthenticatedRealm };
  return function bearerGuardRequire(req, _res, next) {
    const auth = req.auth;
    const realm = issuedRealm(auth);
    if (realm === undefined) {
      next(new AuthenticationRequiredError(unauthenticated));
      return;
    }
    if (allows(auth!)) next();
    else next(new InsufficientScopeError(reason, { realm, scope: required }));
  };
}

/**
 * Requires scopes (from `scope`/`scp`): RFC 6750 scope tokens. 403 `insufficient_scope` when missing.
 * Throws a `TypeError` naming the argument or option when they are invalid or unknown.
 *
 * @example
 * app.post('/receipts', requireScopes('receipts.write'), handler);
 * app.get('/reports', requireScopes(['reports.read', 'reports.export'], { match: 'any' }), handler);
 */
export function requireScopes(scopes: string | readonly string[], options?: MatchGuardOptions): Middleware {
  const required = toRequirement(scopes, 'requireScopes(scopes)', 'scope');
  const { match, realm } = resolveGuardOptions(options, 'requireScopes(options)', true);
  return createGuard(required, 'scope_missing', realm, (auth) => hasGrants(auth.scopes, required, match));
}

/**
 * Requires app roles (from `roles`: the application permissions of client-credentials tokens). A role is
 * any non-empty string without control characters (`Receipts.Admin`, `Receipts Admin`, `Gérant`); only
 * roles that are RFC 6750 scope tokens appear in the 403's `scope` attribute.
 *
 * @example
 * app.delete('/receipts/:id', requireRoles('Receipts.Admin'), handler);
 */
export function requireRoles(roles: string | readonly string[], options?: MatchGuardOptions): Middleware {
  const required = toRequirement(roles, 'requireRoles(roles)', 'role');
  const { match, realm } = resolveGuardOptions(options, 'requireRoles(options)', true);
  return createGuard(required, 'role_missing', realm, (auth) => hasGrants(auth.roles, required, match));
}

/**
 * Requires ANY listed scope OR ANY listed role: the natural guard for an API called both on behalf of
 * users (delegated scopes) and by daemons (app roles). Scopes are RFC 6750 scope tokens; roles any
 * non-empty strings without control characters. Throws a `TypeError` naming the argument or option when
 * they are invalid or unknown.
 *
 * @example
 * app.get('/receipts/:id', requireScopesOrRoles({ scopes: ['receipts.read'], roles: ['Receipts.Read.All'] }), h);
 */
export function requireScopesOrRoles(required: ScopesOrRoles, options?: GuardOptions): Middleware {
  if (typeof required !== 'object' || required === null || Array.isArray(required)) {
    throw new TypeError('bearer-guard: requireScopesOrRoles() takes { scopes?, roles? }');
  }
  for (const key of Object.keys(required)) {
    if (key !== 'scopes' && key !== 'roles') {
      throw new TypeError(`bearer-guard: requireScopesOrRoles({ ${key} }) is not a known option`);
    }
  }
  const scopes = toRequirement(required.scopes ?? [], 'requireScopesOrRoles({ scopes })', 'scope', true);
  const roles = toRequirement(required.roles ?? [], 'requireScopesOrRoles({ roles })', 'role', true);
  if (scopes.length + roles.length === 0) {
    throw new TypeError('bearer-guard: requireScopesOrRoles() needs at least one scope or role');
  }
  const { realm } = resolveGuardOptions(options, 'requireScopesOrRoles(options)', false);
  return createGuard([...scopes, ...roles], 'scope_or_role_missing', realm, (auth) =>
    hasGrants(auth.scopes, scopes, 'any') || hasGrants(auth.roles, roles, 'any'),
  );
}
