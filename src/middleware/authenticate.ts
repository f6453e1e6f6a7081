/**
 * `authenticate()`: the only code that reads the request and decorates it. Reads the credential, verifies
 * it with the request as context, sets `req.auth` and calls `next()`; on any failure calls `next(err)` with
 * an {@link AuthError} whose `status`, `statusCode` and `headers` the final handlers of Express and Connect
 * answer with. A custom verifier that throws or rejects with anything else, or resolves to something that
 * is not an identity, reaches `next(err)` with that fault (a 500), never as a 401. Exactly three
 * parameters, never throws, never returns a promise, always ends in `next`.
 */
import { isAuthError, MissingTokenError } from '../errors/auth-errors.js';
import { booleanOption, fail, optionsObject, realmOption } from '../options/option-checks.js';
import { extractToken, type TokenLocation } from '../request/extract-token.js';
import { createVerifier, ISSUED_BY, VERIFY_NOW, type BearerVerifier } from '../verifier/create-verifier.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import { issuedByRealm } from '../verify/identity/issued-identity.js';
import type { Verifier } from '../verify/verifier.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { toCustomIdentity, toVerifierFault } from './custom-identity.js';
import type { AuthRequest, Middleware, MiddlewareRequest, NextFunction } from './handler-types.js';
import { publishRefusal } from './outcome.js';
import { markPassedAuthenticate } from './passed-authenticate.js';
import { RequestView } from './request-view.js';

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
  /**
   * Let requests without any credentials through, without `req.auth` (guards downstream still answer 401).
   * A request that does carry credentials is verified as always: an invalid token is refused, never
   * ignored (RFC 6750 §3.1).
   * @default false
   */
  optional?: boolean;
}

function isVerifier(value: VerifierOptions | Verifier): value is Verifier {
  return typeof (value as Partial<Verifier>).verify === 'function';
}

const AUTHENTICATE_OPTIONS = ['tokenLocations', 'realm', 'optional'];
const WHERE = 'authenticate()';

function resolveLocations(value: unknown): { query: boolean; body: boolean } {
  const locations = value === undefined ? ['header'] : value;
  if (!Array.isArray(locations) || !locations.every((l) => l === 'header' || l === 'query' || l === 'body')) {
    fail('tokenLocations', 'must be an array of "header", "query" and "body"', WHERE);
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
 * app.get('/receipts/:id', requireScopes('receipts.read'), (req, res) => res.json({ caller: getAuth(req).clientId }));
 */
export function authenticate(
  verifierOrOptions: VerifierOptions | Verifier,
  options?: AuthenticateOptions,
): Middleware<MiddlewareRequest> {
  if (typeof verifierOrOptions !== 'object' || verifierOrOptions === null) {
    throw new TypeError('bearer-guard: authenticate() takes verifier options or a verifier');
  }
  const given = optionsObject(options, '', AUTHENTICATE_OPTIONS, WHERE) ?? {};
  const verifier: Verifier = isVerifier(verifierOrOptions) ? verifierOrOptions : createVerifier(verifierOrOptions);
  const own = (verifier as Partial<BearerVerifier>)[VERIFY_NOW];
  const verifierRealm = (verifier as Partial<BearerVerifier>).realm;
  if (given.realm !== undefined && verifierRealm !== undefined && given.realm !== verifierRealm) {
    // The verifier's own errors carry its realm: two realms would make the challenges of one route disagree.
    fail('realm', 'differs from the realm of the given verifier', WHERE);
  }
  const realm = realmOption(given.realm ?? verifierRealm, 'realm', WHERE);
  // The challenge of every 401 decided here: the verifier's own (with `resource_metadata`), or the realm alone.
  const issuedBy = (verifier as Partial<BearerVerifier>)[ISSUED_BY] ?? issuedByRealm(realm);
  const challenge = { realm, authParams: issuedBy.authParams };
  const optional = booleanOption(given.optional, 'optional', WHERE) === true;
  const extractOptions = { ...resolveLocations(given.tokenLocations), realm };

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
      auth = toCustomIdentity(result, issuedBy);
    } catch (error) {
      next(error);
      return;
    }
    accept(req, next, auth);
  };

  const refuseCustom = (req: AuthRequest, next: NextFunction, error: unknown): void => {
    const fault = toVerifierFault(error);
    if (isAuthError(fault)) publishRefusal(fault, 'custom', req);
    next(fault);
  };

  const verifyCustom = (req: AuthRequest, next: NextFunction, token: string): void => {
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(verifier.verify(token, new RequestView(req)));
    } catch (error) {
      refuseCustom(req, next, error);
      return;
    }
    pending.then(
      (result) => acceptCustom(req, next, result),
      (error: unknown) => refuseCustom(req, next, error),
    );
  };

  return function bearerGuardAuthenticate(request, res, next) {
    const req = request as MiddlewareRequest as AuthRequest;
    let result: AuthInfo | Promise<AuthInfo>;
    try {
      let extracted;
      try {
        extracted = extractToken(req, extractOptions);
      } catch (error) {
        if (isAuthError(error)) publishRefusal(error, 'credential', req);
        throw error;
      }
      if (extracted === undefined) {
        if (optional) {
          markPassedAuthenticate(req, issuedBy);
          next();
          return;
        }
        const missing = new MissingTokenError('token_missing', challenge);
        publishRefusal(missing, 'credential', req);
        next(missing);
        return;
      }
      // RFC 6750 §2.3: responses to requests carrying the token in the URI should be private.
      if (extracted.location === 'query') res.setHeader('Cache-Control', 'private');
      if (own === undefined) {
        verifyCustom(req, next, extracted.token);
        return;
      }
      result = own(extracted.token, new RequestView(req));
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
