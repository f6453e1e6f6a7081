/**
 * An introspection response (RFC 7662 §2.2) read safely: a JSON object whose own `active` member is a
 * boolean, or it is no answer at all (a server-side fault: 503, never 401). An inactive answer keeps
 * nothing else. An active one keeps every member but those that hold secrets: Boruta, for one, returns the
 * client's `private_key` in its introspection responses, which must never reach `req.auth`, a log or a
 * shared cache.
 */
import { KeyFetchError } from '../http/fetch-json.js';
import { isJsonObject, ownMember, type JsonObject } from '../json.js';

/** What the introspection endpoint said about a token. */
export interface IntrospectionAnswer {
  /** RFC 7662 `active`. */
  readonly active: boolean;
  /** The response members (of an active answer), secrets removed; `{}` for an inactive one. */
  readonly claims: JsonObject;
}

/** Response members that hold secrets and are dropped from every answer. */
export const SECRET_MEMBERS: readonly string[] = Object.freeze([
  'private_key',
  'client_secret',
  'secret',
  'password',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
]);

/** The answer of every inactive token. */
export const INACTIVE: IntrospectionAnswer = Object.freeze({ active: false, claims: Object.freeze({}) });

/**
 * The answer in `document` (decoded JSON, owned by the caller: secret members are deleted from it). Throws
 * {@link KeyFetchError} `invalid_document` when it is not an object with a boolean `active`.
 */
export function toIntrospectionAnswer(document: unknown, url: string): IntrospectionAnswer {
  if (!isJsonObject(document)) throw new KeyFetchError('invalid_document', url, 'the introspection response is not a JSON object');
  const active = ownMember(document, 'active');
  if (typeof active !== 'boolean') {
    throw new KeyFetchError('invalid_document', url, 'the introspection response has no boolean "active"');
  }
  if (!active) return INACTIVE;
  for (const name of SECRET_MEMBERS) {
    if (Object.hasOwn(document, name)) delete document[name];
  }
  return { active: true, claims: document };
}
