/**
 * Reading untrusted JSON safely: the bottom layer. Tokens, key sets, metadata and introspection responses
 * are decoded JSON; every member the library judges is read as an own member, so a polluted
 * `Object.prototype` can never supply a missing one.
 */

/** A JSON object as decoded from a JWT segment or a JSON response. */
export type JsonObject = Record<string, unknown>;

/** True for a non-null, non-array object (what a JSON object decodes to). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The own member `name` of a decoded JSON object, never an inherited value: even with `Object.prototype`
 * polluted by some other code, a member the object does not carry reads as `undefined`.
 */
export function ownMember(object: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/** True when `value` is a string other than `''`. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}
