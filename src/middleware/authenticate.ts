/**
 * `authenticate()`: the only code that reads the request and decorates it. Extracts the Bearer token,
 * verifies it, sets `req.auth` and calls `next()`; on any failure calls `next(err)` with an
 * {@link AuthError} whose `status`, `statusCode` and `headers` the final handlers of Express and Connect
 * answer with. A custom verifier that throws or rejects with anything else, or resolves to something that
 * is not an identity, reaches `next(err)` with that fault (a 500), never as a 401. Exactly three
 * parameters, never throws, never returns a promise, always ends in `next`.
 */
import { MissingTokenError } from '../errors.js';
import { extractToken, type TokenLocation } from '../token/extract-token.js';
import { createVerifier, VERIFY_NOW, type BearerVerifier } from '../verify/create-verifier.js';
import type { AuthInfo, Verifier, VerifierOptions } from '../types.js';
import type { AuthRequest, Middleware, NextFunction } from './handler-types.js';
import { toCustomIdentity, toVerifierFault } from './custom-identity.js';
import { isAttributeValue } from '../challenge.js';
import { DEFAULT_REALM } from '../errors.js';

/** Options of {@link authenticate}. */
export interface AuthenticateOptions {
  /**
   * Where tokens are accepted. The `Authorization` header always is; add `'query'` for `?access_token=`
   * (RFC 6750 §2.3; discouraged: URLs get logged) or `'body'` for an `access_token` parameter of an
   * `application/x-www-form-urlencoded` body parsed before this middleware (§2.2; never on GET). A body is
   * only seen once parsed: refusing a token sent both in the header and in the body (400) also needs a
   * urlencoded body parser mounted before this middleware.
   * @default ['header']
   */
  tokenLocations?: readonly TokenLocation[];
  /**
   * The realm of challenges for requests without a valid token, when `authenticate` is given a custom
   * {@link Verifier}. With options or a verifier from `createVerifier`, the verifier's realm is used (set
   * `realm` in the verifier options); a different value here throws a `TypeError`.
   * @default "api"
   */
  realm?: string;
}

function isVerifier(value: VerifierOptions | Verifier): value is Verifier {
  return typeof (value as Partial<Verifier>).verify === 'function';
}

const AUTHENTICATE_OPTIONS = new Set(['tokenLocations', 'realm']);

function checkOptions(options: AuthenticateOptions | undefined): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('bearer-guard: the options of authenticate() must be an object');
  }
  for (const name of Object.keys(options)) {
    if (!AUTHENTICATE_OPTIONS.has(name)) throw new TypeError(`bearer-guard: option "${name}" is not a known option`);
  }
}

function resolveLocations(options: AuthenticateOptions | undefined): { query: boolean; body: boolean } {
  const locations = options?.tokenLocations === undefined ? ['header'] : options.tokenLocations;
  if (!Array.isArray(locations) || !locations.every((l) => l === 'header' || l === 'query' || l === 'body')) {
    throw new TypeError('bearer-guard: option "tokenLocations" must be an array of "header", "query" and "body"');
  }
  return { query: locations.includes('query'), body: locations.includes('body') };
}

/**
 * Middleware that accepts only requests with a valid access token and attaches the caller's identity to
 * `req.auth`. Takes {@link VerifierOptions} (a verifier is created once, here) or a {@link Verifier}.
 *
 * @example
 * const app = express();
 * app.use(authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts' }));
 * app.get('/receipts/:id', requireScopes('receipts.read'), (req, res) => res.json({ caller: req.auth?.clientId }));
 */
export function authenticate(verifierOrOptions: VerifierOptions | Verifier, options?: AuthenticateOptions): Middleware {
  if (typeof verifierOrOptions !== 'object' || verifierOrOptions === null) {
    throw new TypeError('bearer-guard: authenticate() takes verifier options or a verifier');
  }
  checkOptions(options);
  const verifier: Verifier = isVerifier(verifierOrOptions) ? verifierOrOptions : createVerifier(verifierOrOptions);
  const own = (verifier as Partial<BearerVerifier>)[VERIFY_NOW];
  const verifierRealm = (verifier as Partial<BearerVerifier>).realm;
  if (options?.realm !== undefined && verifierRealm !== undefined && options.realm !== verifierRealm) {
    // The verifier's own errors carry its realm: two realms would make the challenges of one route disagree.
    throw new TypeError('bearer-guard: option "realm" differs from the realm of the given verifier');
  }
  const realm = options?.realm !== undefined ? options.realm : (verifierRealm ?? DEFAULT_REALM);
  if (typeof realm !== 'string' || realm === '' || !isAttributeValue(realm)) {
    throw new TypeError('bearer-guard: option "realm" must be printable ASCII without " or \\');
  }
  const locations = resolveLocations(options);
  const extractOptions = { ...locations, realm };

  // Also runs inside promise callbacks: nothing it does may escape as an unhandled rejection.
  const accept = (req: AuthRequest, next: NextFunction, auth: AuthInfo): void => {
    try {
      req.auth = auth;
    } catch (error) {
      next(error);
      return;
    }
    next();
  };

  // A custom verifier is outside bearer-guard: any result (a value, a promise, a foreign thenable) is settled
  // through `Promise.resolve` and checked before it becomes `req.auth`; every failure reaches `next`.
  const acceptCustom = (req: AuthRequest, next: NextFunction, result: unknown): void => {
    let auth: AuthInfo;
    try {
      auth = toCustomIdentity(result, realm);
    } catch (error) {
      next(error);
      return;
    }
    accept(req, next, auth);
  };

  const verifyCustom = (req: AuthRequest, next: NextFunction, token: string): void => {
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(verifier.verify(token));
    } catch (error) {
      next(toVerifierFault(error));
      return;
    }
    pending.then(
      (result) => acceptCustom(req, next, result),
      (error: unknown) => next(toVerifierFault(error)),
    );
  };

  return function bearerGuardAuthenticate(req, res, next) {
    let token: string;
    let result: AuthInfo | Promise<AuthInfo>;
    try {
      const extracted = extractToken(req, extractOptions);
      if (extracted === undefined) {
        next(new MissingTokenError('token_missing', { realm }));
        return;
      }
      // RFC 6750 §2.3: responses to requests carrying the token in the URI should be private.
      if (extracted.location === 'query') res.setHeader('Cache-Control', 'private');
      token = extracted.token;
      if (own === undefined) {
        verifyCustom(req, next, token);
        return;
      }
      result = own(token);
    } catch (error) {
      next(error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (auth) => accept(req, next, auth),
        (error: unknown) => next(error),
      );
    } else {
      accept(req, next, result);
    }
  };
}
