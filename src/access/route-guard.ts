/**
 * A per-route guard, framework neutral: a check of the identity authentication attached, decided the same
 * way on Express, Connect, Fastify and the web-standard entry. It fails closed: without an identity that a
 * bearer-guard verifier (or a custom verifier given to authentication) produced, it answers 401
 * ({@link AuthenticationRequiredError}); with one that fails the rule, 403 `insufficient_scope` whose `scope`
 * attribute lists every required value that is an RFC 6750 scope token. A rule that throws is a refusal
 * (403), never a 500; its error goes to the debug log.
 */
import { AuthenticationRequiredError, InsufficientScopeError, type AuthError, type InsufficientScopeReason } from '../errors/auth-errors.js';
import type { ImpliedScopes } from '../verify/config/implied-scopes.js';
import { isJsonObject, ownMember } from '../json.js';
import { challengeOf, issuedBy } from '../verify/identity/issued-identity.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import { passedAuthenticate } from './passed-authenticate.js';
import { publishRefusal, type RequestPlace } from './refusal.js';

/** The key under which a guard made for a framework carries its framework-neutral {@link RouteGuard}. */
export const ROUTE_GUARD: unique symbol = Symbol('bearer-guard.routeGuard');

/** One route rule. */
export interface RouteGuard {
  /** The factory that made it, e.g. `requireScopes()`. */
  readonly name: string;
  /**
   * The refusal of `auth` (whatever a request holds) at `place`, or `undefined` when it passes; a refusal is
   * published as an outcome. With `warn`, the first 401 of the guard for a request that did not go through
   * authentication (`place` is the framework's request object) also warns that authentication is missing.
   */
  check(auth: unknown, place: RequestPlace, warn: boolean): AuthError | undefined;
}

/**
 * What every guard factory returns, whatever the framework (an Express middleware, a Fastify `preHandler`):
 * it carries its rule, so guards made for one framework serve the web-standard entry too.
 */
export interface GuardHandle {
  /** @internal The framework-neutral rule. */
  readonly [ROUTE_GUARD]: RouteGuard;
}

/** The {@link RouteGuard} `handle` carries; a `TypeError` naming `where` when it carries none. */
export function routeGuardOf(handle: unknown, where: string): RouteGuard {
  const guard =
    (typeof handle === 'function' || (typeof handle === 'object' && handle !== null)) &&
    Object.hasOwn(handle, ROUTE_GUARD)
      ? (handle as GuardHandle)[ROUTE_GUARD]
      : undefined;
  if (guard === undefined) {
    throw new TypeError(`bearer-guard: ${where} takes guards made by requireScopes(), requireRoles(), requireScopesOrRoles() or requireClaims()`);
  }
  return guard;
}

/** Attaches `guard` to `carrier` (a framework's guard function) and returns it. */
export function withRouteGuard<T extends object>(carrier: T, guard: RouteGuard): T & GuardHandle {
  Object.defineProperty(carrier, ROUTE_GUARD, { value: guard, enumerable: false });
  return carrier as T & GuardHandle;
}

function describe(error: unknown): string {
  return `the rule threw ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`;
}

/** True for an identity whose token is bound to a DPoP key (`cnf.jkt`). */
function isDpopBound(auth: AuthInfo): boolean {
  const payload: unknown = auth.payload; // a custom verifier's identity may have none
  if (!isJsonObject(payload)) return false;
  const cnf = ownMember(payload, 'cnf');
  return isJsonObject(cnf) && typeof ownMember(cnf, 'jkt') === 'string';
}

/**
 * A guard named `name` that lets an identity pass when `allows` returns `true` (anything else, or a throw,
 * refuses with `reason`, listing `required` in the challenge). `unauthenticatedRealm` is the realm of the
 * 401 without an identity; a refusal of an identity is answered in the realm of the verifier that made it.
 */
export function createRouteGuard(
  name: string,
  required: readonly string[],
  reason: InsufficientScopeReason,
  unauthenticatedRealm: string,
  allows: (auth: AuthInfo, implied: ImpliedScopes | undefined) => boolean,
): RouteGuard {
  const unauthenticated = { realm: unauthenticatedRealm };
  let warned = false;
  return {
    name,
    check(auth, place, warn) {
      const by = issuedBy(auth);
      if (by === undefined) {
        // Let on by optional authentication: that verifier's challenge; otherwise the guard's own realm.
        const passed = passedAuthenticate(place);
        const error = new AuthenticationRequiredError(passed === undefined ? unauthenticated : challengeOf(passed));
        if (!warned && warn && passed === undefined) {
          // Fail closed, and say why once: every request through this guard is answered 401.
          warned = true;
          const route = `${place.method ?? ''} ${(place.originalUrl ?? place.url ?? '').split('?')[0]}`.trim();
          process.emitWarning(
            `${name} on ${route} ran without an identity from authenticate(): every request is answered 401. ` +
              'Mount authenticate() before the guard (app.use(authenticate(options)) or on the route, first).',
            { type: 'BearerGuardWarning', code: 'BEARER_GUARD_NO_AUTHENTICATE' },
          );
        }
        publishRefusal(error, 'guard', place);
        return error;
      }
      let detail: (() => string) | undefined;
      try {
        if (allows(auth as AuthInfo, by.impliedScopes) === true) return undefined;
      } catch (thrown) {
        detail = () => describe(thrown);
      }
      // A DPoP-bound token came with the DPoP scheme (Bearer is refused for it): the error goes in that challenge.
      const error = new InsufficientScopeError(reason, { ...challengeOf(by, isDpopBound(auth as AuthInfo)), scope: required });
      publishRefusal(error, 'guard', place, detail);
      return error;
    },
  };
}
