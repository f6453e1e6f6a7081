/**
 * The web-standard entry, for runtimes and frameworks built on the Fetch API (Hono, Bun, Deno, Next.js
 * route handlers, workers): a `Request` in; the verified {@link AuthInfo} out, or a ready RFC 6750
 * `Response` (status, challenge, JSON body) identical to what `authErrorHandler()` answers on Express.
 * The same decisions as `authenticate()` (`access/authenticator.ts`) and the same guards.
 *
 * Fetch specifics: a `Request` joins repeated header lines with ", ", so an `Authorization` value holding
 * ", " counts as several lines (400 either way); a form body is read from a clone, only for
 * `application/x-www-form-urlencoded` requests of a method that has a body, and only up to
 * {@link MAX_FORM_BODY_BYTES} (a larger body is not searched for a token). Fetch keeps Host out of the
 * headers: the verifier gets it from the URL, and an `https:` URL counts as a TLS connection.
 */
import { createAuthenticator, type AuthenticateOptions, type Authenticator } from '../access/authenticator.js';
import type { RequestPlace } from '../access/refusal.js';
import { markPassedAuthenticate } from '../access/passed-authenticate.js';
import { routeGuardOf, type GuardHandle, type RouteGuard } from '../access/route-guard.js';
import { isAuthError, type AuthError } from '../errors/auth-errors.js';
import { ERROR_BODY_HEADERS, toAuthErrorBody } from '../errors/error-body.js';
import type { TokenRequest } from '../request/extract-token.js';
import type { VerifyRequest } from '../request/verify-request.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import type { Verifier } from '../verify/verifier.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { readFormToken } from './form-body.js';

/** The largest `application/x-www-form-urlencoded` body searched for an `access_token`, in bytes. */
export const MAX_FORM_BODY_BYTES = 64 * 1024;

/** Authenticates web-standard requests. */
export interface WebAuthenticator {
  /**
   * The identity of `request` once it passes every guard, or the `Response` to send back (400, 401, 403,
   * 503). Rejects only with a fault of the application (a custom verifier's bug, an issuer resolver that
   * throws), never for a bad request or token.
   */
  (request: Request, ...guards: GuardHandle[]): Promise<AuthInfo | Response>;
  /** As the call, but rejects with the {@link AuthError} instead of answering it (to build your own answer). */
  check(request: Request, ...guards: GuardHandle[]): Promise<AuthInfo>;
}

/** A {@link WebAuthenticator} with `optional: true`: `undefined` for a request without credentials. */
export interface OptionalWebAuthenticator {
  /** As {@link WebAuthenticator}; `undefined` when the request has no credentials and no guard is given. */
  (request: Request, ...guards: GuardHandle[]): Promise<AuthInfo | Response | undefined>;
  /** As the call, but rejects with the {@link AuthError} instead of answering it. */
  check(request: Request, ...guards: GuardHandle[]): Promise<AuthInfo | undefined>;
}

const WHERE = 'createWebAuthenticator()';

/**
 * The `Response` that answers `error`: its status, its headers (`WWW-Authenticate`, or `Retry-After` on
 * 503), `Content-Type: application/json; charset=utf-8`, `Cache-Control: no-store`, and the JSON body of
 * `authErrorHandler()`.
 */
export function toAuthResponse(error: AuthError): Response {
  const headers = new Headers({ ...error.headers, ...ERROR_BODY_HEADERS });
  return new Response(JSON.stringify(toAuthErrorBody(error)), { status: error.status, headers });
}

/** Checks identities obtained earlier against guards: see {@link authorize}. */
export interface Authorize {
  /** `undefined` when `auth` passes every guard, otherwise the `Response` to send back. */
  (auth: unknown, ...guards: GuardHandle[]): Response | undefined;
  /** As the call, but throws the {@link AuthError} instead of answering it. */
  check(auth: unknown, ...guards: GuardHandle[]): void;
}

function checkGuards(auth: unknown, ...guards: GuardHandle[]): void {
  const rules = guards.map((guard) => routeGuardOf(guard, 'authorize()'));
  for (const rule of rules) {
    const error = rule.check(auth, {}, false);
    if (error !== undefined) throw error;
  }
}

/**
 * Checks an identity obtained earlier (e.g. kept by a framework's middleware) against `guards`: `undefined`
 * when it passes, otherwise the `Response` (401 without an identity bearer-guard produced, 403 without the
 * grant). `authorize.check()` throws the `AuthError` instead.
 *
 * @example
 * const denied = authorize(c.get('auth'), requireScopes('receipts.read'));
 * if (denied) return denied;
 */
export const authorize: Authorize = Object.assign(
  (auth: unknown, ...guards: GuardHandle[]): Response | undefined => {
    try {
      checkGuards(auth, ...guards);
      return undefined;
    } catch (error) {
      if (isAuthError(error)) return toAuthResponse(error);
      throw error;
    }
  },
  { check: checkGuards },
);

/** The request target in origin form (`/receipts/7?x=1`), as Node gives it. */
function targetOf(request: Request): string {
  const url = request.url;
  const start = url.indexOf('/', url.indexOf('//') + 2);
  return start === -1 ? '/' : url.slice(start);
}

/** The host (and port) of an absolute URL. */
function hostOf(url: string): string {
  const start = url.indexOf('//') + 2;
  const end = url.indexOf('/', start);
  return url.slice(start, end === -1 ? url.length : end);
}

/** Where a request is, for outcome events (its target read only when somebody listens). */
function placeOf(request: Request): RequestPlace {
  return {
    method: request.method,
    get url() {
      return targetOf(request);
    },
  };
}

/**
 * The request context of the pipeline as on Node (the target in origin form, the Host header, whether the
 * connection is `https:`), so that a DPoP proof's `htu` is compared with the URL the client used; read lazily.
 */
function contextOf(request: Request): VerifyRequest {
  let headers: Record<string, string> | undefined;
  return {
    method: request.method,
    secure: request.url.startsWith('https:'),
    get url() {
      return targetOf(request);
    },
    get headers() {
      if (headers === undefined) {
        headers = {};
        for (const [name, value] of request.headers) headers[name] = value;
        // The Fetch API keeps Host out of the headers (its runtime put it in the URL): restored from the URL,
        // as Node's request would carry it (DPoP's `htu`, issuer resolvers keyed by host).
        headers.host ??= hostOf(request.url);
      }
      return headers;
    },
  };
}

async function tokenRequestOf(request: Request): Promise<TokenRequest> {
  const authorization = request.headers.get('authorization') ?? undefined;
  const type = request.headers.get('content-type') ?? undefined;
  const headers = {
    // Fetch joins repeated lines with ", ", which a b64token never holds.
    authorization: authorization?.includes(', ') === true ? authorization.split(', ') : authorization,
    'content-type': type,
  };
  const body = await readFormToken(request, type, MAX_FORM_BODY_BYTES);
  return { method: request.method, url: request.url, headers, body };
}

async function run(authenticator: Authenticator, rules: readonly RouteGuard[], request: Request): Promise<AuthInfo | undefined> {
  const place = placeOf(request);
  const extracted = authenticator.read(await tokenRequestOf(request), place);
  // Let on without credentials (optional): the guards answer 401 with this verifier's challenge.
  if (extracted === undefined) markPassedAuthenticate(place, authenticator.issuedBy);
  const auth = extracted === undefined ? undefined : await authenticator.verify(extracted.token, contextOf(request), place);
  for (const rule of rules) {
    const error = rule.check(auth, place, false);
    if (error !== undefined) throw error;
  }
  return auth;
}

/**
 * Creates the web-standard authentication for verifier options (a verifier is created once, here; a list
 * of option sets for several issuers) or a verifier. Options are those of `authenticate()`; with
 * `tokenLocations: ['query']`, send `Cache-Control: private` on your answers (RFC 6750 §2.3), which
 * bearer-guard cannot add to a response it does not build.
 *
 * @example
 * const authenticateRequest = createWebAuthenticator({ issuer: 'https://login.example.com/', audience: 'api://receipts' });
 * export async function GET(request: Request): Promise<Response> {
 *   const auth = await authenticateRequest(request, requireScopes('receipts.read'));
 *   if (auth instanceof Response) return auth;
 *   return Response.json({ caller: auth.clientId });
 * }
 */
export function createWebAuthenticator(
  verifierOrOptions: VerifierOptions | readonly VerifierOptions[] | Verifier,
  options: AuthenticateOptions & { optional: true },
): OptionalWebAuthenticator;
export function createWebAuthenticator(
  verifierOrOptions: VerifierOptions | readonly VerifierOptions[] | Verifier,
  options?: AuthenticateOptions,
): WebAuthenticator;
export function createWebAuthenticator(
  verifierOrOptions: VerifierOptions | readonly VerifierOptions[] | Verifier,
  options?: AuthenticateOptions,
): WebAuthenticator | OptionalWebAuthenticator {
  const authenticator = createAuthenticator(verifierOrOptions, options, WHERE);
  const check = (request: Request, ...guards: GuardHandle[]): Promise<AuthInfo | undefined> => {
    try {
      return run(authenticator, guards.map((guard) => routeGuardOf(guard, WHERE)), request);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  const answer = (request: Request, ...guards: GuardHandle[]): Promise<AuthInfo | Response | undefined> =>
    check(request, ...guards).catch((error: unknown) => {
      if (isAuthError(error)) return toAuthResponse(error);
      throw error;
    });
  return Object.assign(answer, { check }) as WebAuthenticator | OptionalWebAuthenticator;
}
