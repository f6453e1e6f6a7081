/**
 * One introspection call (RFC 7662 §2.1): `POST` of the form `token=…&token_type_hint=access_token` with
 * `Accept: application/json` and the resource server's client authentication, through the bounded HTTP
 * client (a total deadline, a byte cap, status 200 only, never a redirect: the request carries the token
 * and the credentials). Faults reject with {@link KeyFetchError}, whose message names the endpoint and the
 * fault, never the token, a credential or the response body.
 */
import { fetchJson, type FetchLike } from '../http/fetch-json.js';
import { clientAuthParts } from './client-authentication.js';
import { toIntrospectionAnswer, type IntrospectionAnswer } from './introspection-answer.js';
import type { ResolvedIntrospectionOptions } from './introspection-options.js';

const NO_REDIRECT_HOSTS: ReadonlySet<string> = new Set();

/** Asks `endpoint` about `token`. */
export async function requestIntrospection(
  token: string,
  endpoint: string,
  settings: ResolvedIntrospectionOptions,
  fetch: FetchLike,
): Promise<IntrospectionAnswer> {
  const auth = clientAuthParts(settings.clientId, settings.credentials, settings.issuer);
  const form = new URLSearchParams({ token, token_type_hint: 'access_token', ...auth.params });
  const document = await fetchJson(endpoint, {
    method: 'POST',
    form,
    headers: auth.headers,
    accept: 'application/json',
    timeoutMs: settings.timeoutMs,
    maxResponseBytes: settings.maxResponseBytes,
    allowedRedirectHosts: NO_REDIRECT_HOSTS,
    fetch,
  });
  return toIntrospectionAnswer(document, endpoint);
}
