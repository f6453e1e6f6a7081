/**
 * Frozen, own-member-only views of decoded JSON and of an {@link AuthInfo}, for caller code that judges a
 * token (`validate`, `requireClaims`, an issuer resolver). Objects are copied onto null prototypes, so a
 * member the token does not carry reads as `undefined` even when `Object.prototype` is polluted, and a
 * `__proto__` member is plain data; arrays are copied; everything is frozen, so the rule cannot change what
 * the rest of the request sees. Built with an explicit stack: a deeply nested claim cannot overflow it.
 */
import type { JsonObject } from '../../json.js';
import type { AuthInfo } from './auth-info.js';

type Container = Record<string, unknown> | unknown[];

function emptyLike(value: object): Container {
  return Array.isArray(value) ? [] : (Object.create(null) as Record<string, unknown>);
}

/**
 * A deep copy of `value` in which every object has a null prototype and only its own enumerable members,
 * every array is a plain array, and everything is frozen. Values that are not objects are returned as they
 * are; a `Date` becomes a new `Date` of the same time.
 */
export function ownView<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  const root = emptyLike(value);
  // Shared or cyclic references (possible in a custom verifier's identity) are copied once.
  const copies = new Map<object, Container>([[value, root]]);
  const pending: [source: object, target: Container][] = [[value, root]];
  while (pending.length > 0) {
    const [source, target] = pending.pop()!;
    for (const key of Object.keys(source)) {
      const member = (source as Record<string, unknown>)[key];
      let copy: unknown = member;
      if (member instanceof Date) copy = new Date(member.getTime());
      else if (typeof member === 'object' && member !== null) {
        let child = copies.get(member);
        if (child === undefined) {
          child = emptyLike(member);
          copies.set(member, child);
          pending.push([member, child]);
        }
        copy = child;
      }
      // defineProperty, not assignment: a `__proto__` member stays a member.
      Object.defineProperty(target, key, { value: copy, enumerable: true, writable: true, configurable: true });
    }
  }
  for (const container of copies.values()) Object.freeze(container);
  return root as T;
}

/** A frozen, own-member-only view of a decoded payload or header. */
export function jsonView(value: Readonly<JsonObject>): Readonly<JsonObject> {
  return ownView(value);
}

const authViews = new WeakMap<AuthInfo, AuthInfo>();

/**
 * The frozen, own-member-only view of `auth` (its `header` and `payload` included), built once per identity:
 * the identities of cached tokens share theirs.
 */
export function authView(auth: AuthInfo): AuthInfo {
  let view = authViews.get(auth);
  if (view === undefined) {
    view = ownView(auth);
    authViews.set(auth, view);
  }
  return view;
}
