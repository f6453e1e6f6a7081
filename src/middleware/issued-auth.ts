/**
 * The identities `authenticate()` attached, and the realm of the verifier that made each. Guards only
 * trust a `req.auth` recorded here: an object put on `req.auth` by anything else (a body parsed into it,
 * a polluted prototype, another library) is treated as no authentication at all.
 */
import type { AuthInfo } from '../types.js';

const issued = new WeakMap<object, string>();

/** Records that `auth` was attached by `authenticate()` with `realm`. */
export function recordIssued(auth: AuthInfo, realm: string): void {
  issued.set(auth, realm);
}

/** The realm of an identity attached by `authenticate()`, or `undefined` for anything else. */
export function issuedRealm(auth: unknown): string | undefined {
  return typeof auth === 'object' && auth !== null ? issued.get(auth) : undefined;
}
