/**
 * Where the access token comes from (RFC 6750 §2): the `Authorization: Bearer` header always; the
 * `access_token` form-body parameter (§2.2) and query parameter (§2.3) only when enabled. A token offered
 * in more than one place is a 400 whether or not those places are enabled (§2, §3.1), as is a repeated or
 * non-string parameter, an empty Bearer, or a header that breaks `Bearer 1*SP b64token`. Another scheme
 * (`Basic …`) is not a Bearer credential at all. `DPoP` (RFC 9449 §7.1) and `MTLS_POP` take the same
 * grammar, and count only when the verifier checks them. Framework-agnostic: reads a plain request shape.
 */
import { InvalidRequestError, type InvalidRequestReason } from '../errors/auth-errors.js';
import { queryToken } from './query-token.js';

/** Where a token may be taken from. */
export type TokenLocation = 'header' | 'query' | 'body';

/** The request fields token extraction reads (a Node `IncomingMessage` has them all). */
export interface TokenRequest {
  /** The HTTP method; a body token is never taken from `GET` or `HEAD`. @default "GET" */
  readonly method?: string | undefined;
  /** The request target (path and query, as in `IncomingMessage.url`), read for `?access_token=`. */
  readonly url?: string | undefined;
  /** The request headers with lower-case names, as Node parses them (`authorization`, `content-type`). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Node's raw header list, used to detect repeated `Authorization` lines. */
  readonly rawHeaders?: readonly string[] | undefined;
  /** The parsed body (e.g. by `express.urlencoded()`), when the app parses bodies. */
  readonly body?: unknown;
}

/** Options of {@link extractToken}. */
export interface ExtractTokenOptions {
  /** Also accept `?access_token=` (RFC 6750 §2.3). @default false */
  readonly query?: boolean;
  /** Also accept an `access_token` form-body parameter (RFC 6750 §2.2). @default false */
  readonly body?: boolean;
  /** The `realm` of the 400 challenge. */
  readonly realm?: string;
  /** Also accept the `DPoP` scheme (RFC 9449 §7.1), for a verifier that checks DPoP proofs. @default false */
  readonly dpop?: boolean;
  /** Also accept the `MTLS_POP` scheme, for a verifier that checks certificate-bound tokens. @default false */
  readonly mtlsPop?: boolean;
}

/** The `Authorization` scheme a token came with (`Bearer` for query and body tokens). */
export type CredentialScheme = 'Bearer' | 'DPoP' | 'MTLS_POP';

/** The extracted token and where it came from. */
export interface ExtractedToken {
  /** The access token itself (RFC 6750 `b64token` when from the header), without the `Bearer ` prefix. */
  readonly token: string;
  /** Where the token was found. */
  readonly location: TokenLocation;
  /** `DPoP` or `MTLS_POP` when the token came with that scheme; absent for Bearer (and query or body tokens). */
  readonly scheme?: Exclude<CredentialScheme, 'Bearer'>;
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const SCHEME_END = /[ \t]/;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

function fail(reason: InvalidRequestReason, realm: string | undefined): never {
  throw new InvalidRequestError(reason, realm === undefined ? undefined : { realm });
}

function countAuthorizationLines(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 13 && name.toLowerCase() === 'authorization') count++;
  }
  return count;
}

/** The scheme named `name` (any case), when `options` accept it. */
function schemeOf(name: string, options: ExtractTokenOptions): CredentialScheme | undefined {
  const lower = name.toLowerCase();
  if (lower === 'bearer') return 'Bearer';
  if (lower === 'dpop' && options.dpop === true) return 'DPoP';
  return lower === 'mtls_pop' && options.mtlsPop === true ? 'MTLS_POP' : undefined;
}

/** The token of an `Authorization` value and its scheme; `undefined` for a scheme not accepted. */
function fromHeader(value: string, realm: string | undefined, options: ExtractTokenOptions): ExtractedToken | undefined {
  const end = value.search(SCHEME_END);
  const scheme = schemeOf(end === -1 ? value : value.slice(0, end), options);
  if (scheme === undefined) return undefined;
  if (end === -1) fail('token_empty', realm);
  if (value.charCodeAt(end) !== 0x20) fail('authorization_malformed', realm);
  let start = end;
  while (value.charCodeAt(start) === 0x20) start++;
  const token = value.slice(start);
  if (token === '') fail('token_empty', realm);
  if (!B64TOKEN.test(token)) fail('authorization_malformed', realm);
  return scheme === 'Bearer' ? { token, location: 'header' } : { token, location: 'header', scheme };
}

/** The `access_token` parameter of a form-encoded body parsed by the app, if any. */
function fromBody(request: TokenRequest, headers: TokenRequest['headers'], realm: string | undefined): string | undefined {
  // The header first: most requests have no form body, and reading `body` off a request that has none walks
  // its whole prototype chain.
  const type = headers['content-type'];
  if (typeof type !== 'string' || !FORM_TYPE.test(type)) return undefined;
  const body = request.body;
  if (typeof body !== 'object' || body === null || !Object.hasOwn(body, 'access_token')) return undefined;
  const value = (body as Record<string, unknown>).access_token;
  if (Array.isArray(value)) fail('token_multiple', realm);
  if (typeof value !== 'string' || value === '') fail('token_parameter_invalid', realm);
  return value;
}

/**
 * Finds the access token of `request`. Returns `undefined` when no Bearer credentials were offered in an
 * enabled location; throws {@link InvalidRequestError} (400) for malformed or ambiguous requests.
 */
export function extractToken(request: TokenRequest, options: ExtractTokenOptions = {}): ExtractedToken | undefined {
  const realm = options.realm;
  // Each request field is read once: frameworks give every request object a shape of its own (Express sets
  // its prototype per request), so every property read on one is a slow lookup.
  const { headers, rawHeaders, url } = request;
  const authorization = headers.authorization;
  let header: ExtractedToken | undefined;
  if (authorization !== undefined) {
    if (Array.isArray(authorization) || (rawHeaders !== undefined && countAuthorizationLines(rawHeaders) > 1)) {
      fail('authorization_multiple', realm);
    }
    // A hand-built request (another framework, a test) may hold anything: never a TypeError, a 400.
    if (typeof authorization !== 'string') fail('authorization_malformed', realm);
    header = fromHeader(authorization, realm, options);
  }
  const query = url === undefined ? undefined : queryToken(url, realm);
  const body = fromBody(request, headers, realm);
  const offered = (header === undefined ? 0 : 1) + (query === undefined ? 0 : 1) + (body === undefined ? 0 : 1);
  if (offered > 1) fail('token_multiple', realm);
  if (header !== undefined) return header;
  if (query !== undefined && options.query === true) return { token: query, location: 'query' };
  if (body !== undefined && options.body === true) {
    // RFC 6750 §2.2: the body method is only for methods whose body has defined semantics, never GET.
    const method = (request.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return { token: body, location: 'body' };
  }
  return undefined;
}
