/**
 * The route guards for Fastify, as `preHandler` hooks: `requireScopes`, `requireRoles`,
 * `requireScopesOrRoles`, `requireClaims`, with the rules, refusals and challenges of every framework
 * (`access/route-guards.ts`); a refusal goes to `done(err)` (Fastify's error handling). And
 * `authErrorHandler()`, a Fastify error handler that answers bearer-guard errors with the JSON body of the
 * Express one and leaves every other error to Fastify's.
 */
import type { FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { GuardOptions, MatchGuardOptions } from '../../access/guard-options.js';
import { withRouteGuard, type GuardHandle, type RouteGuard } from '../../access/route-guard.js';
import { claimsGuard, rolesGuard, scopesGuard, scopesOrRolesGuard, type ClaimRule } from '../../access/route-guards.js';
import { isAuthError } from '../../errors/auth-errors.js';
import { ERROR_BODY_HEADERS, toAuthErrorBody } from '../../errors/error-body.js';
import type { ScopesOrRoles } from '../../guards/check-grants.js';
import './fastify-augment.js';

/** A route guard for Fastify: a `preHandler` hook (also accepted by the web-standard entry). */
export type FastifyGuard = preHandlerHookHandler & GuardHandle;

function toPreHandler(guard: RouteGuard): FastifyGuard {
  const hook = function bearerGuardRequire(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
    const error = guard.check(request.auth, request, true);
    if (error === undefined) done();
    else done(error);
  };
  return withRouteGuard(hook as unknown as preHandlerHookHandler, guard);
}

/** Requires scopes (RFC 6750 scope tokens): 403 `insufficient_scope` when one is missing. */
export function requireScopes(scopes: string | readonly string[], options?: MatchGuardOptions): FastifyGuard {
  return toPreHandler(scopesGuard(scopes, options));
}

/** Requires app roles: 403 `insufficient_scope` when one is missing. */
export function requireRoles(roles: string | readonly string[], options?: MatchGuardOptions): FastifyGuard {
  return toPreHandler(rolesGuard(roles, options));
}

/** Requires ANY listed scope OR ANY listed role. */
export function requireScopesOrRoles(required: ScopesOrRoles, options?: GuardOptions): FastifyGuard {
  return toPreHandler(scopesOrRolesGuard(required, options));
}

/**
 * Requires the identity to pass `rule` (which gets a frozen, own-member-only view of `request.auth`):
 * 403 `insufficient_scope`, reason `claim_rule_failed`, unless it returns exactly `true`.
 */
export function requireClaims(rule: ClaimRule, options?: GuardOptions): FastifyGuard {
  return toPreHandler(claimsGuard(rule, options));
}

/**
 * A Fastify error handler that answers bearer-guard errors as `authErrorHandler()` does on Express (status,
 * challenge or `Retry-After`, `Cache-Control: no-store`, JSON `{ error, error_description }`) and hands every
 * other error to Fastify's own handler.
 *
 * @example
 * app.setErrorHandler(authErrorHandler());
 */
export function authErrorHandler(): (error: unknown, request: FastifyRequest, reply: FastifyReply) => void {
  return function bearerGuardErrorHandler(error, _request, reply) {
    if (!isAuthError(error)) throw error;
    void reply
      .code(error.status)
      .headers({ ...error.headers, ...ERROR_BODY_HEADERS })
      .send(JSON.stringify(toAuthErrorBody(error)));
  };
}
