/**
 * Which identities were produced by verification, and the realm of the verifier that produced each.
 * Guards only trust a `req.auth` known here: an object put on `req.auth` by anything else (a body parsed
 * into it, a polluted prototype, another library) counts as no authentication at all.
 *
 * Identities from bearer-guard's own verifiers carry a hidden property keyed by a module-private symbol,
 * which JSON, query strings and prototype pollution cannot create; those of custom verifiers passed to
 * `authenticate()` are remembered in a `WeakMap`.
 */
const REALM: unique symbol = Symbol('bearer-guard.realm');
const fromCustomVerifiers = new WeakMap<object, string>();

/** Marks `info` (not yet frozen) as produced by a verifier of `realm`. */
export function tagIssued<T extends object>(info: T, realm: string): T {
  Object.defineProperty(info, REALM, { value: realm, enumerable: false });
  return info;
}

/** Remembers an identity returned by a custom verifier, unless it is already tagged. */
export function recordIssued(info: object, realm: string): void {
  if (!Object.hasOwn(info, REALM)) fromCustomVerifiers.set(info, realm);
}

/** The realm of a verified identity, or `undefined` for anything that is not one. */
export function issuedRealm(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Object.hasOwn(value, REALM)) return (value as { [REALM]: string })[REALM];
  return fromCustomVerifiers.get(value);
}
