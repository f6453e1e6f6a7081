/**
 * Per-route guards: `requireScopes`, `requireRoles`, `requireScopesOrRoles`. Each fails closed: without an
 * identity attached by `authenticate()` it answers 401; with one that lacks the grant, 403
 * `insufficient_scope` whose `scope` attribute lists every value the guard requires.
 */
import { InsufficientScopeError, MissingTokenError, type InsufficientScopeReason } from '../errors.js';
import {
  hasGrants,
  toMatchMode,
  toRequirement,
  type GrantMatchOptions,
  type ScopesOrRoles,
} from '../guards/check-grants.js';
import type { AuthInfo } from '../types.js';
import type { Middleware } from './handler-types.js';
import { issuedRealm } from '../identity/issued-identity.js';

function createGuard(
  required: readonly string[],
  reason: InsufficientScopeReason,
  allows: (auth: AuthInfo) => boolean,
): Middleware {
  return function bearerGuardRequire(req, _res, next) {
    const auth = req.auth;
    const realm = issuedRealm(auth);
    if (realm === undefined) {
      next(new MissingTokenError('authentication_required'));
      return;
    }
    if (allows(auth!)) next();
    else next(new InsufficientScopeError(reason, { realm, scope: required }));
  };
}

/**
 * Requires scopes (from `scope`/`scp`). 403 `insufficient_scope` when missing.
 *
 * @example
 * app.post('/receipts', requireScopes('receipts.write'), handler);
 * app.get('/reports', requireScopes(['reports.read', 'reports.export'], { match: 'any' }), handler);
 */
export function requireScopes(scopes: string | readonly string[], options?: GrantMatchOptions): Middleware {
  const required = toRequirement(scopes, 'requireScopes(scopes)');
  const match = toMatchMode(options, 'requireScopes(options)');
  return createGuard(required, 'scope_missing', (auth) => hasGrants(auth.scopes, required, match));
}

/**
 * Requires app roles (from `roles`: the application permissions of client-credentials tokens).
 *
 * @example
 * app.delete('/receipts/:id', requireRoles('Receipts.Admin'), handler);
 */
export function requireRoles(roles: string | readonly string[], options?: GrantMatchOptions): Middleware {
  const required = toRequirement(roles, 'requireRoles(roles)');
  const match = toMatchMode(options, 'requireRoles(options)');
  return createGuard(required, 'role_missing', (auth) => hasGrants(auth.roles, required, match));
}

/**
 * Requires ANY listed scope OR ANY listed role: the natural guard for an API called both on behalf of
 * users (delegated scopes) and by daemons (app roles).
 *
 * @example
 * app.get('/receipts/:id', requireScopesOrRoles({ scopes: ['receipts.read'], roles: ['Receipts.Read.All'] }), h);
 */
export function requireScopesOrRoles(required: ScopesOrRoles): Middleware {
  if (typeof required !== 'object' || required === null) {
    throw new TypeError('bearer-guard: requireScopesOrRoles() takes { scopes?, roles? }');
  }
  const scopes = toRequirement(required.scopes ?? [], 'requireScopesOrRoles({ scopes })', true);
  const roles = toRequirement(required.roles ?? [], 'requireScopesOrRoles({ roles })', true);
  if (scopes.length + roles.length === 0) {
    throw new TypeError('bearer-guard: requireScopesOrRoles() needs at least one scope or role');
  }
  return createGuard([...scopes, ...roles], 'scope_or_role_missing', (auth) =>
    hasGrants(auth.scopes, scopes, 'any') || hasGrants(auth.roles, roles, 'any'),
  );
}
