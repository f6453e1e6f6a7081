/**
 * `verify`'s checks, made by the middleware's own code: the credential as `authenticate()` reads it
 * (`extractToken`), the verifier's pipeline (a `createVerifier` verifier, through the entry `authenticate()` calls)
 * with a check trace, then the route's guards (`requireScopes`, `requireRoles`, `requireScopesOrRoles`) run
 * as middleware on the verified identity. Every check lands in the report, passed or refused, and the
 * answer is the error the API would send.
 */
import { isAuthError, type AuthError } from '../../errors/auth-errors.js';
import type { OutcomeStage } from '../../events/verify-events.js';
import type { AuthRequest, Middleware } from '../../middleware/handler-types.js';
import { requireRoles, requireScopes, requireScopesOrRoles } from '../../middleware/require-grants.js';
import { extractToken } from '../../request/extract-token.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import { VERIFY_NOW, type BearerVerifier } from '../../verifier/create-verifier.js';
import type { CheckTrace } from '../../verify/check-trace.js';
import type { AuthInfo } from '../../verify/identity/auth-info.js';
import type { RouteRequirements } from './verify-args.js';

/** One check: its stage, whether it passed, what was expected against what the token holds. */
export interface CheckLine {
  readonly stage: OutcomeStage;
  readonly passed: boolean;
  /** The stable reason of a refusal. */
  readonly reason?: string;
  readonly detail: string | null;
}

/** The verdict: the checks made and the answer the API would send. */
export interface Verdict {
  readonly checks: readonly CheckLine[];
  /** The verified identity (also when a guard refused it). */
  readonly auth: AuthInfo | undefined;
  /** The refusal, when there is one. */
  readonly error: AuthError | undefined;
}

/** One guard of the route and what it requires. */
export interface RouteGuard {
  readonly guard: Middleware;
  readonly requires: RouteRequirements;
}

/** The route's guards, as they would be mounted. Throws a `TypeError` naming a bad value. */
export function toGuards(requirements: RouteRequirements, realm: string | undefined): RouteGuard[] {
  const { scopes, roles, any } = requirements;
  const realmOnly = realm === undefined ? {} : { realm };
  const options = { match: any ? 'any' : 'all', ...realmOnly } as const;
  if (any && scopes.length > 0 && roles.length > 0) return [{ guard: requireScopesOrRoles({ scopes, roles }, realmOnly), requires: requirements }];
  const guards: RouteGuard[] = [];
  if (scopes.length > 0) guards.push({ guard: requireScopes(scopes, options), requires: { scopes, roles: [], any } });
  if (roles.length > 0) guards.push({ guard: requireRoles(roles, options), requires: { scopes: [], roles, any } });
  return guards;
}

function describeGrants(requires: RouteRequirements, auth: AuthInfo): string {
  const { scopes, roles, any } = requires;
  const parts = (name: string, wanted: readonly string[], granted: readonly string[]): string[] =>
    wanted.length === 0 ? [] : [`${name} ${JSON.stringify(wanted)}`, `${name} ${JSON.stringify(granted)}`];
  const [wantScopes, hasScopes] = parts('scopes', scopes, auth.scopes);
  const [wantRoles, hasRoles] = parts('roles', roles, auth.roles);
  const wants = [wantScopes, wantRoles].filter((part) => part !== undefined).join(' or ');
  const has = [hasScopes, hasRoles].filter((part) => part !== undefined).join(' and ');
  return `requires ${wants} (${any ? 'any one' : 'all'}); the token grants ${has}`;
}

/** Runs `guard` as middleware on a request holding `auth`; the error it passes on, if any. */
function runGuard(guard: Middleware, auth: AuthInfo): unknown {
  const req = { auth, method: 'GET', url: '/', originalUrl: '/', headers: {} } as unknown as AuthRequest;
  let called = false;
  let outcome: unknown;
  guard(req, {} as never, (error?: unknown) => {
    called = true;
    outcome = error;
  });
  if (!called) throw new Error('a guard did not call next');
  return outcome;
}

/** Makes every check on `token`; rejects only with a fault that is not a refusal (a bug). */
export async function runChecks(token: string, verifier: BearerVerifier, guards: readonly RouteGuard[]): Promise<Verdict> {
  const checks: CheckLine[] = [];
  const trace: CheckTrace = {
    passed: (stage, detail) => checks.push({ stage, passed: true, detail }),
    refused: (stage, error, detail) => checks.push({ stage, passed: false, reason: error.reason, detail: detail ?? null }),
  };
  const headers = { authorization: `Bearer ${token}` };
  let auth: AuthInfo;
  try {
    const extracted = extractToken({ method: 'GET', url: '/', headers }, { realm: verifier.realm });
    trace.passed('credential', 'Authorization: Bearer and a token of RFC 6750 b64token characters');
    const request: VerifyRequest = { method: 'GET', url: '/', headers };
    auth = await verifier[VERIFY_NOW](extracted!.token, request, { trace });
  } catch (error) {
    if (!isAuthError(error)) throw error;
    if (checks.length === 0) trace.refused('credential', error, 'the token holds characters outside RFC 6750 b64token');
    return { checks, auth: undefined, error };
  }
  for (const { guard, requires } of guards) {
    const outcome = runGuard(guard, auth);
    if (outcome === undefined) {
      trace.passed('guard', describeGrants(requires, auth));
      continue;
    }
    if (!isAuthError(outcome)) throw outcome;
    trace.refused('guard', outcome, describeGrants(requires, auth));
    return { checks, auth, error: outcome };
  }
  return { checks, auth, error: undefined };
}
