/**
 * Options of the route guards, validated once when a guard is created: `match` (scope and role guards) and
 * `realm` (every guard). An unknown option name throws, so a misspelt option never passes silently.
 */
import { isAttributeValue } from '../challenge.js';
import { DEFAULT_REALM } from '../errors.js';
import { toMatchMode, type GrantMatchOptions, type MatchMode } from '../guards/check-grants.js';

/** Options of every guard (`requireScopesOrRoles` takes only these). */
export interface GuardOptions {
  /**
   * The `realm` of the 401 answered when the guard is reached without an identity set by `authenticate()`.
   * A request that carries one is always answered in the realm of the verifier that produced it, so the
   * challenges of one route agree.
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

const WITH_MATCH: ReadonlySet<string> = new Set(['match', 'realm']);
const REALM_ONLY: ReadonlySet<string> = new Set(['realm']);

/**
 * Validates the options of the guard `name` (e.g. `requireScopes(options)`). `withMatch` says whether
 * `match` is one of its options. Throws a `TypeError` naming the offending option.
 */
export function resolveGuardOptions(options: unknown, name: string, withMatch: boolean): ResolvedGuardOptions {
  if (options === undefined) return { match: 'all', realm: DEFAULT_REALM };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`bearer-guard: ${name} must be an object`);
  }
  const known = withMatch ? WITH_MATCH : REALM_ONLY;
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new TypeError(`bearer-guard: ${name}.${key} is not a known option`);
  }
  const { realm = DEFAULT_REALM } = options as GuardOptions;
  if (typeof realm !== 'string' || realm === '' || !isAttributeValue(realm)) {
    throw new TypeError(`bearer-guard: ${name}.realm must be a non-empty printable ASCII string without " or \\`);
  }
  const match = withMatch ? toMatchMode(options as GrantMatchOptions, name) : 'all';
  return { match, realm };
}
