/**
 * `authenticate()` for Express and Connect: reads the credential, verifies it with the request as context,
 * sets `req.auth` and calls `next()`; on any failure calls `next(err)` with an {@link AuthError} whose
 * `status`, `statusCode` and `headers` the final handlers of Express and Connect answer with. A custom
 * verifier that throws or rejects with anything else, or resolves to something that is not an identity,
 * reaches `next(err)` with that fault (a 500), never as a 401. Exactly three parameters, never throws, never
 * returns a promise, always ends in `next`. The decisions themselves are framework neutral
 * (`access/authenticator.ts`).
 */
import { createAuthenticator, type AuthenticateOptions } from '../access/authenticator.js';
import { markPassedAuthenticate } from '../access/passed-authenticate.js';
import { RequestView } from '../access/request-view.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import type { Verifier } from '../verify/verifier.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import type { AuthRequest, Middleware, MiddlewareRequest, NextFunction } from './handler-types.js';

export type { AuthenticateOptions };

/**
 * Middleware that accepts only requests with a valid access token and attaches the caller's identity to
 * `req.auth`. Takes {@link VerifierOptions} (a verifier is created once, here; an array of them for several
 * issuers, each with its own rules) or a {@link Verifier}. With `{ optional: true }`, a request without any
 * credentials goes on without `req.auth`; one with credentials is verified as always.
 *
 * @example
 * const app = express();
 * app.use(authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts' }));
 * app.get('/receipts/:id', requireScopes('receipts.read'), (req, res) => res.json({ caller: req.auth?.clientId }));
 */
export function authenticate(
  verifierOrOptions: VerifierOptions | readonly VerifierOptions[] | Verifier,
  options?: AuthenticateOptions,
): Middleware<MiddlewareRequest> {
  const authenticator = createAuthenticator(verifierOrOptions, options, 'authenticate()');

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

  return function bearerGuardAuthenticate(request, res, next) {
    // Whatever another library declares `req.auth` as, bearer-guard sets its own identity there.
    const req = request as AuthRequest;
    let result: AuthInfo | Promise<AuthInfo>;
    try {
      const extracted = authenticator.read(req, req);
      if (extracted === undefined) {
        markPassedAuthenticate(req, authenticator.issuedBy);
        next();
        return;
      }
      // RFC 6750 §2.3: responses to requests carrying the token in the URI should be private.
      if (extracted.location === 'query') res.setHeader('Cache-Control', 'private');
      const nonce = authenticator.dpopNonce(extracted);
      if (nonce !== undefined) res.setHeader('DPoP-Nonce', nonce);
      result = authenticator.verify(extracted.token, new RequestView(req), req);
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
