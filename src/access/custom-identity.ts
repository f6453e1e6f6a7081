/**
 * The result of a custom `Verifier` passed to `authenticate()`, checked before it becomes `req.auth`.
 * A verifier that resolves to something else (nothing, an object without scope or role lists…) has a bug:
 * that is a server fault, passed on as a plain `Error` (the framework's 500), never as an `AuthError`,
 * so it can neither pass as an identity nor disguise itself as a 401.
 */
import { recordIssued, type IssuedBy } from '../verify/identity/issued-identity.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';

/** The fixed message of the error passed on for a result that is not an identity. */
export const NOT_AN_IDENTITY = 'bearer-guard: the custom verifier did not resolve to an AuthInfo';

/** The fixed message of the error passed on for a failure that is not an object. */
export const NOT_AN_ERROR = 'bearer-guard: the custom verifier failed with a value that is not an error';

function isStringList(value: unknown): value is string[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (typeof item !== 'string') return false;
  return true;
}

/**
 * True when `value` has what bearer-guard itself relies on: an object with a string `token`, and `scopes`
 * and `roles` arrays of strings (read by the guards).
 */
function isIdentity(value: unknown): value is AuthInfo {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const info = value as Partial<Record<keyof AuthInfo, unknown>>;
  return typeof info.token === 'string' && isStringList(info.scopes) && isStringList(info.roles);
}

/**
 * Checks what a custom verifier resolved to and remembers it as an identity issued `by` (the realm of the
 * `authenticate()` it went through), so that the guards trust it. Throws a plain `Error` (not an
 * `AuthError`) when it is not an identity.
 */
export function toCustomIdentity(result: unknown, by: IssuedBy): AuthInfo {
  if (!isIdentity(result)) throw new Error(NOT_AN_IDENTITY);
  recordIssued(result, by);
  return result;
}

/**
 * What to pass to `next` for a custom verifier's failure: the value itself when it is an object (an
 * `AuthError` keeps its answer, any other error is a 500); otherwise a plain `Error`. Express and Connect
 * take a falsy `next(err)` for success and `next('route')` / `next('router')` for a skip, which would let
 * the request through unauthenticated.
 */
export function toVerifierFault(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? error : new Error(NOT_AN_ERROR, { cause: error });
}
