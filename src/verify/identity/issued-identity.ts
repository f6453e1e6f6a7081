/**
 * Which identities were produced by verification, and what the guards need to know of the verifier that
 * produced each ({@link IssuedBy}: the realm and further auth-params of its challenges, its protected
 * resource, its scope hierarchy). Guards only trust a `req.auth` known here: an object put on `req.auth` by
 * anything else (a body parsed into it, a polluted prototype, another library) counts as no authentication.
 *
 * Identities from bearer-guard's own verifiers carry a hidden property keyed by a module-private symbol,
 * which JSON, query strings and prototype pollution cannot create; those of custom verifiers passed to
 * `authenticate()` are remembered in a `WeakMap`. One `IssuedBy` object is made per verifier and shared by
 * all its identities.
 */
import type { AuthParam } from '../../errors/challenge.js';
import type { DpopChallengeOptions } from '../../errors/dpop-challenge.js';
import type { ImpliedScopes } from '../config/implied-scopes.js';

/** What the guards and the MCP adapter need of the verifier that produced an identity. */
export interface IssuedBy {
  /** The `realm` of its challenges. */
  readonly realm: string;
  /** Further auth-params of its challenges (`resource_metadata`), frozen. */
  readonly authParams: readonly AuthParam[];
  /** Its protected resource's identifier, as configured; `undefined` without one. */
  readonly resource?: string | undefined;
  /** The URL of that resource's metadata; `undefined` without a resource. */
  readonly resourceMetadataUrl?: string | undefined;
  /** Its scope hierarchy; `undefined` without one. */
  readonly impliedScopes?: ImpliedScopes | undefined;
  /** The `DPoP` challenge of its answers (accepted proof algorithms, DPoP required); `undefined` without DPoP. */
  readonly dpop?: DpopChallengeOptions | undefined;
}

/**
 * The options of an error answered for the verifier `by`: its realm, auth-params and `DPoP` challenge, the
 * error in the `DPoP` one when the request `presented` a DPoP-bound token.
 */
export function challengeOf(
  by: IssuedBy,
  presented = false,
): { realm: string; authParams: readonly AuthParam[]; dpop: DpopChallengeOptions | undefined } {
  const dpop = by.dpop === undefined ? undefined : presented ? { ...by.dpop, presented } : by.dpop;
  return { realm: by.realm, authParams: by.authParams, dpop };
}

const ISSUED_BY: unique symbol = Symbol('bearer-guard.issuedBy');
const fromCustomVerifiers = new WeakMap<object, IssuedBy>();
const NO_PARAMS: readonly AuthParam[] = Object.freeze([]);

/** The {@link IssuedBy} of a verifier known only by its realm (a custom verifier, a guard's own 401). */
export function issuedByRealm(realm: string): IssuedBy {
  return Object.freeze({ realm, authParams: NO_PARAMS });
}

/** Marks `info` (not yet frozen) as produced by the verifier `by`. */
export function tagIssued<T extends object>(info: T, by: IssuedBy): T {
  Object.defineProperty(info, ISSUED_BY, { value: by, enumerable: false });
  return info;
}

/** Remembers an identity returned by a custom verifier, unless it is already tagged. */
export function recordIssued(info: object, by: IssuedBy): void {
  if (!Object.hasOwn(info, ISSUED_BY)) fromCustomVerifiers.set(info, by);
}

/** The verifier that produced a verified identity, or `undefined` for anything that is not one. */
export function issuedBy(value: unknown): IssuedBy | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Object.hasOwn(value, ISSUED_BY)) return (value as { [ISSUED_BY]: IssuedBy })[ISSUED_BY];
  return fromCustomVerifiers.get(value);
}

/** The realm of a verified identity, or `undefined` for anything that is not one. */
export function issuedRealm(value: unknown): string | undefined {
  return issuedBy(value)?.realm;
}
