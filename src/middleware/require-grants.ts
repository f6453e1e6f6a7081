/**
 * Per-route guards for Express and Connect: `requireScopes`, `requireRoles`, `requireScopesOrRoles`,
 * `requireClaims`. Each fails closed: without an identity attached by `authenticate()` it answers 401
 * ({@link AuthenticationRequiredError}); with one that lacks the grant, 403 `insufficient_scope` whose `scope`
 * attribute lists every required value that is an RFC 6750 scope token (`err.scope` lists them all). The
 * rules themselves are framework neutral (`access/route-guards.ts`); each middleware also carries its rule,
 * so the web-standard entry accepts the same guards.
 */
import type { ScopesOrRoles } from '../guards/check-grants.js';
import type { GuardOptions, MatchGuardOptions } from '../access/guard-options.js';
import { withRouteGuard, type GuardHandle, type RouteGuard } from '../access/route-guard.js';
import { claimsGuard, rolesGuard, scopesGuard, scopesOrRolesGuard, type ClaimRule } from '../access/route-guards.js';
import type { Middleware, MiddlewareRequest } from './handler-types.js';

/** A route guard: Express and Connect middleware, also accepted by the web-standard entry. */
export type GuardMiddleware = Middleware<MiddlewareRequest> & GuardHandle;

function toMiddleware(guard: RouteGuard): GuardMiddleware {
  const middleware: Middleware<MiddlewareRequest> = function bearerGuardRequire(req, _res, next) {
    const error = guard.check(req.auth, req, true);
    if (error === undefined) next();
    else next(error);
  };
  return withRouteGuard(middleware, guard);
}

/**
 * Requires scopes (from `scope`/`scp`): RFC 6750 scope tokens. 403 `insufficient_scope` when missing.
 * Throws a `TypeError` naming the argument or option when they are invalid or unknown.
 *
 * @example
 * app.post('/receipts', requireScopes('receipts.write'), handler);
 * app.get('/reports', requireScopes(['reports.read', 'reports.export'], { match: 'any' }), handler);
 */
export function requireScopes(scopes: string | readonly string[], options?: MatchGuardOptions): GuardMiddleware {
  return toMiddleware(scopesGuard(scopes, options));
}

/**
 * Requires app roles (from `roles`: the application permissions of client-credentials tokens). A role is
 * any non-empty string without control characters (`Receipts.Admin`, `Receipts Admin`, `Gérant`); only
 * roles that are RFC 6750 scope tokens appear in the 403's `scope` attribute.
 *
 * @example
 * app.delete('/receipts/:id', requireRoles('Receipts.Admin'), handler);
 */
export function requireRoles(roles: string | readonly string[], options?: MatchGuardOptions): GuardMiddleware {
  return toMiddleware(rolesGuard(roles, options));
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
export function requireScopesOrRoles(required: ScopesOrRoles, options?: GuardOptions): GuardMiddleware {
  return toMiddleware(scopesOrRolesGuard(required, options));
}

/**
 * Requires the identity to pass `rule`, a per-route authorization rule over any claim: 403
 * `insufficient_scope` (reason `claim_rule_failed`, no `scope` attribute) unless `rule` returns exactly
 * `true`. `rule` gets a frozen, own-member-only view of `req.auth` (its `payload` and `header` included),
 * so an inherited or polluted member never satisfies it; a rule that throws refuses the request (403,
 * never 500) and its error goes to the debug log (`NODE_DEBUG=bearer-guard`).
 *
 * @example
 * app.post('/payouts', requireClaims((auth) => auth.payload.acr === 'mfa'), handler);
 */
export function requireClaims(rule: ClaimRule, options?: GuardOptions): GuardMiddleware {
  return toMiddleware(claimsGuard(rule, options));
}
