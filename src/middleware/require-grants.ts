/**
 * Per-route guards: `requireScopes`, `requireRoles`, `requireScopesOrRoles`. Each fails closed: without an
 * identity attached by `authenticate()` it answers 401 ({@link AuthenticationRequiredError}); with one that
 * lacks the grant, 403 `insufficient_scope` whose `scope` attribute lists every required value that is an
 * RFC 6750 scope token (`err.scope` lists them all), in one challenge. Both carry the challenge of the
 * verifier concerned (its realm and `resource_metadata`). Scopes honour the verifier's `impliedScopes`.
 */
import { AuthenticationRequiredError, InsufficientScopeError, type InsufficientScopeReason } from '../errors/auth-errors.js';
import { hasGrants, toRequirement, type ScopesOrRoles } from '../guards/check-grants.js';
import type { ImpliedScopes } from '../verify/config/implied-scopes.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import type { Middleware, MiddlewareRequest } from './handler-types.js';
import { issuedBy } from '../verify/identity/issued-identity.js';
import { failArgument } from '../options/option-checks.js';
import { resolveGuardOptions, type GuardOptions, type MatchGuardOptions } from './guard-options.js';
import { publishRefusal } from './outcome.js';
import { passedAuthenticate } from './passed-authenticate.js';

function createGuard(
  name: string,
  required: readonly string[],
  reason: InsufficientScopeReason,
  unauthenticatedRealm: string,
  allows: (auth: AuthInfo, implied: ImpliedScopes | undefined) => boolean,
): Middleware<MiddlewareRequest> {
  const unauthenticated = { realm: unauthenticatedRealm };
  let warned = false;
  return function bearerGuardRequire(req, _res, next) {
    const auth = req.auth;
    const by = issuedBy(auth);
    if (by === undefined) {
      // Let on by `authenticate({ optional: true })`: that verifier's challenge; otherwise the guard's realm.
      const passed = passedAuthenticate(req);
      const error = new AuthenticationRequiredError(passed ?? unauthenticated);
      if (!warned && passed === undefined) {
        // Fail closed, and say why once: every request through this guard is answered 401.
        warned = true;
        const route = `${req.method ?? ''} ${(req as { originalUrl?: string }).originalUrl?.split('?')[0] ?? ''}`.trim();
        process.emitWarning(
          `${name} on ${route} ran without an identity from authenticate(): every request is answered 401. ` +
            'Mount authenticate() before the guard (app.use(authenticate(options)) or on the route, first).',
          { type: 'BearerGuardWarning', code: 'BEARER_GUARD_NO_AUTHENTICATE' },
        );
      }
      publishRefusal(error, 'guard', req);
      next(error);
      return;
    }
    if (allows(auth as AuthInfo, by.impliedScopes)) {
      next();
      return;
    }
    const error = new InsufficientScopeError(reason, { realm: by.realm, authParams: by.authParams, scope: required });
    publishRefusal(error, 'guard', req);
    next(error);
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
export function requireScopes(scopes: string | readonly string[], options?: MatchGuardOptions): Middleware<MiddlewareRequest> {
  const required = toRequirement(scopes, 'scopes', 'requireScopes()', 'scope');
  const { match, realm } = resolveGuardOptions(options, 'requireScopes()', true);
  return createGuard('requireScopes()', required, 'scope_missing', realm, (auth, implied) =>
    hasGrants(auth.scopes, required, match, implied),
  );
}

/**
 * Requires app roles (from `roles`: the application permissions of client-credentials tokens). A role is
 * any non-empty string without control characters (`Receipts.Admin`, `Receipts Admin`, `Gérant`); only
 * roles that are RFC 6750 scope tokens appear in the 403's `scope` attribute.
 *
 * @example
 * app.delete('/receipts/:id', requireRoles('Receipts.Admin'), handler);
 */
export function requireRoles(roles: string | readonly string[], options?: MatchGuardOptions): Middleware<MiddlewareRequest> {
  const required = toRequirement(roles, 'roles', 'requireRoles()', 'role');
  const { match, realm } = resolveGuardOptions(options, 'requireRoles()', true);
  return createGuard('requireRoles()', required, 'role_missing', realm, (auth) => hasGrants(auth.roles, required, match));
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
export function requireScopesOrRoles(required: ScopesOrRoles, options?: GuardOptions): Middleware<MiddlewareRequest> {
  if (typeof required !== 'object' || required === null || Array.isArray(required)) {
    failArgument('required', 'must be an object { scopes?, roles? }', 'requireScopesOrRoles()');
  }
  for (const key of Object.keys(required)) {
    if (key !== 'scopes' && key !== 'roles') failArgument(`required.${key}`, 'is not a known member', 'requireScopesOrRoles()');
  }
  const scopes = toRequirement(required.scopes ?? [], 'scopes', 'requireScopesOrRoles()', 'scope', true);
  const roles = toRequirement(required.roles ?? [], 'roles', 'requireScopesOrRoles()', 'role', true);
  if (scopes.length + roles.length === 0) {
    failArgument('required', 'needs at least one scope or role', 'requireScopesOrRoles()');
  }
  const { realm } = resolveGuardOptions(options, 'requireScopesOrRoles()', false);
  return createGuard('requireScopesOrRoles()', [...scopes, ...roles], 'scope_or_role_missing', realm, (auth, implied) =>
    hasGrants(auth.scopes, scopes, 'any', implied) || hasGrants(auth.roles, roles, 'any'),
  );
}
