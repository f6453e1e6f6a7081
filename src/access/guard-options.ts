/**
 * Options of the route guards, validated once when a guard is created: `match` (scope and role guards) and
 * `realm` (every guard). An unknown option name throws, so a misspelt option never passes silently.
 */
import type { GrantMatchOptions, MatchMode } from '../guards/check-grants.js';
import { oneOf, optionsObject, realmOption } from '../options/option-checks.js';

/** Options of every guard (`requireScopesOrRoles` takes only these). */
export interface GuardOptions {
  /**
   * The `realm` of the 401 answered when the guard is reached without an identity set by `authenticate()`.
   * A request that carries one is always answered in the realm of the verifier that produced it, and one let
   * on without credentials by `authenticate({ optional: true })` in that verifier's, so the challenges of one
   * route agree (`resource_metadata` included).
   * @default "api"
   */
  readonly realm?: string;
}

/** Options of `requireScopes` and `requireRoles`. */
export interface MatchGuardOptions extends GrantMatchOptions, GuardOptions {}

/** Guard options after validation. */
export interface ResolvedGuardOptions {
  /** How the required values are matched. */
  readonly match: MatchMode;
  /** The realm of the 401 answered without an identity. */
  readonly realm: string;
}

const WITH_MATCH: readonly string[] = ['match', 'realm'];
const REALM_ONLY: readonly string[] = ['realm'];

/**
 * Validates the options of the guard `name` (e.g. `requireScopes()`). `withMatch` says whether `match` is one
 * of its options. Throws a `TypeError` naming the offending option.
 */
export function resolveGuardOptions(options: unknown, name: string, withMatch: boolean): ResolvedGuardOptions {
  const given = optionsObject(options, '', withMatch ? WITH_MATCH : REALM_ONLY, name) ?? {};
  const realm = realmOption(given.realm, 'realm', name);
  const match = withMatch ? (oneOf(given.match, 'match', ['all', 'any'] as const, name) ?? 'all') : 'all';
  return { match, realm };
}
