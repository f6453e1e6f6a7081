/**
 * Pure authorization checks of a verified identity against required scopes and app roles. Exact,
 * case-sensitive string comparison; no patterns, no wildcards. The one hierarchy is the verifier's
 * `impliedScopes`: a granted scope also satisfies the scopes it implies (never the other way round). It is
 * applied here, when a requirement is checked, so `AuthInfo.scopes` keeps exactly what the token granted.
 */
import { isScopeToken } from '../errors/challenge.js';
import { failArgument } from '../options/option-checks.js';
import type { ImpliedScopes } from '../verify/config/implied-scopes.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import { issuedBy } from '../verify/identity/issued-identity.js';

/** Whether every required value must be granted (`all`) or one is enough (`any`). */
export type MatchMode = 'all' | 'any';

/** Options of the scope and role checks. */
export interface GrantMatchOptions {
  /** `all`: every required value must be granted; `any`: one is enough. @default "all" */
  readonly match?: MatchMode;
}

/** What {@link hasScopesOrRoles} accepts: any listed scope, or any listed role. */
export interface ScopesOrRoles {
  /** Scopes (from `scope`/`scp`), any one of which is enough. RFC 6750 scope tokens. @default [] */
  readonly scopes?: readonly string[];
  /** App roles (from `roles`), any one of which is enough. Non-empty strings without control characters. @default [] */
  readonly roles?: readonly string[];
}

/** What a required value is: a scope (RFC 6750 `scope-token` grammar) or an app role (free text). */
export type GrantKind = 'scope' | 'role';

/** True when `value` is granted, or implied by a granted scope under `implied`. */
function grants(granted: readonly string[], value: string, implied: ImpliedScopes | undefined): boolean {
  if (granted.includes(value)) return true;
  return implied !== undefined && granted.some((scope) => implied.get(scope)?.includes(value) === true);
}

/**
 * True when `granted` satisfies `required` under `match`; with `implied` (a verifier's closed scope
 * hierarchy), a granted scope also satisfies every scope it implies.
 */
export function hasGrants(
  granted: readonly string[],
  required: readonly string[],
  match: MatchMode = 'all',
  implied?: ImpliedScopes,
): boolean {
  return match === 'all'
    ? required.every((value) => grants(granted, value, implied))
    : required.some((value) => grants(granted, value, implied));
}

/**
 * The scopes `auth` may act with: those its token granted, then every scope they imply under the
 * `impliedScopes` of the verifier that produced it, each once. Without a hierarchy, `auth.scopes` itself.
 *
 * @example
 * // impliedScopes: { 'files:write': ['files:read'] }, token scope "files:write"
 * effectiveScopes(auth) // ['files:write', 'files:read']
 */
export function effectiveScopes(auth: AuthInfo): readonly string[] {
  const implied = issuedBy(auth)?.impliedScopes;
  if (implied === undefined) return auth.scopes;
  return [...new Set(auth.scopes.flatMap((scope) => [scope, ...(implied.get(scope) ?? [])]))];
}

/**
 * True when `auth` holds the required scopes (directly, or implied under its verifier's `impliedScopes`).
 *
 * @example
 * if (!hasScopes(auth, ['receipts.read'])) throw new Error('forbidden');
 */
export function hasScopes(auth: AuthInfo, scopes: string | readonly string[], options?: GrantMatchOptions): boolean {
  const required = typeof scopes === 'string' ? [scopes] : scopes;
  return hasGrants(auth.scopes, required, options?.match, issuedBy(auth)?.impliedScopes);
}

/** True when `auth` holds the required app roles. */
export function hasRoles(auth: AuthInfo, roles: string | readonly string[], options?: GrantMatchOptions): boolean {
  return hasGrants(auth.roles, typeof roles === 'string' ? [roles] : roles, options?.match);
}

/** True when `auth` holds any of `required.scopes` (directly or implied) or any of `required.roles`. */
export function hasScopesOrRoles(auth: AuthInfo, required: ScopesOrRoles): boolean {
  const implied = issuedBy(auth)?.impliedScopes;
  return hasGrants(auth.scopes, required.scopes ?? [], 'any', implied) || hasGrants(auth.roles, required.roles ?? [], 'any');
}

const CONTROL = /\p{Cc}/u;

/** True when `value` may be required as a `kind`: a scope token, or a role without control characters. */
function isGrantValue(value: unknown, kind: GrantKind): value is string {
  if (typeof value !== 'string') return false;
  return kind === 'scope' ? isScopeToken(value) : value !== '' && !CONTROL.test(value);
}

/**
 * Validates a guard's required values at configuration time: a non-empty list of RFC 6750 scope tokens
 * (printable ASCII without space, `"` or `\`) for scopes; of non-empty strings without control characters
 * for roles, since identity providers grant roles such as `Receipts Admin` or `Gérant`. Only values that are
 * scope tokens can be listed in a 403's `scope` challenge attribute. Throws a `TypeError` naming the guard
 * (`where`, e.g. `requireScopes()`) and its argument (`name`). A role holding whitespace is accepted with a
 * one-time process warning: `'Admin Reader'` is one role, not two.
 */
export function toRequirement(values: unknown, name: string, where: string, kind: GrantKind, allowEmpty = false): readonly string[] {
  const list = typeof values === 'string' ? [values] : values;
  if (!Array.isArray(list) || (list.length === 0 && !allowEmpty)) {
    failArgument(name, 'must be a non-empty string or a non-empty array of strings', where);
  }
  for (const value of list) {
    if (isGrantValue(value, kind)) continue;
    if (kind === 'role') failArgument(name, 'must only hold non-empty strings without control characters', where);
    const words = typeof value === 'string' ? value.split(/\s+/).filter((word) => word !== '') : [];
    const hint =
      words.length > 1 && words.every(isScopeToken)
        ? `; for several scopes pass an array: [${words.map((word) => `'${word}'`).join(', ')}]`
        : '';
    failArgument(name, `must only hold scope tokens (printable ASCII without spaces, " or \\)${hint}`, where);
  }
  const required = Object.freeze([...new Set(list as string[])]);
  if (kind === 'role') warnAboutSpacedRoles(required, where);
  return required;
}

const warnedRoles = new Set<string>();

/** Warns once per role that holds whitespace, which is one role (`'Admin Reader'`), not a list. */
function warnAboutSpacedRoles(roles: readonly string[], where: string): void {
  for (const role of roles) {
    if (!/\s/.test(role) || warnedRoles.has(role)) continue;
    warnedRoles.add(role);
    const words = role.split(/\s+/).filter((word) => word !== '');
    process.emitWarning(
      words.length > 1
        ? `${where} requires the role ${JSON.stringify(role)}, one role whose name holds a space. ` +
            `If you meant several roles, pass an array: [${words.map((word) => `'${word}'`).join(', ')}].`
        : `${where} requires the role ${JSON.stringify(role)}, whose name begins or ends with whitespace.`,
      { type: 'BearerGuardWarning', code: 'BEARER_GUARD_ROLE_WITH_SPACE' },
    );
  }
}
