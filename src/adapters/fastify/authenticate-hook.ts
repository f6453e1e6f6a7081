/**
 * `authenticate()` for Fastify: a hook (usable as `onRequest`, `preValidation` or `preHandler`, route by
 * route or for a whole plugin context) that reads the credential, verifies it with the request as context
 * and sets `request.auth`; a refusal is passed to `done(err)`, so Fastify's error handling answers it with
 * the error's `statusCode` and `headers` (the challenge, or `Retry-After`). Synchronous when the key is at
 * hand. The decisions are those of every framework (`access/authenticator.ts`).
 */
import type { FastifyReply, FastifyRequest, onRequestHookHandler, preHandlerHookHandler, preValidationHookHandler } from 'fastify';
import { createAuthenticator, type AuthenticateOptions } from '../../access/authenticator.js';
import { markPassedAuthenticate } from '../../access/passed-authenticate.js';
import { RequestView } from '../../access/request-view.js';
import type { AuthInfo } from '../../verify/identity/auth-info.js';
import type { Verifier } from '../../verify/verifier.js';
import type { VerifierOptions } from '../../verify/verifier-options.js';
import './fastify-augment.js';

/** A bearer-guard hook: usable as an `onRequest`, `preValidation` or `preHandler` hook. */
export type FastifyHook = onRequestHookHandler & preValidationHookHandler & preHandlerHookHandler;

/** The `done` of a callback-style Fastify hook. */
type Done = (error?: Error) => void;

/**
 * A hook that accepts only requests with a valid access token and sets `request.auth`. Takes verifier
 * options (a verifier is created once, here; a list of option sets for several issuers) or a verifier, and
 * the options of bearer-guard's `authenticate()` (`tokenLocations`, `realm`, `optional`). A body token is
 * only seen where the body is parsed: in a `preValidation` or `preHandler` hook.
 *
 * @example
 * app.get('/receipts', { preHandler: [authenticate(options), requireScopes('receipts.read')] }, handler);
 */
export function authenticate(
  verifierOrOptions: VerifierOptions | readonly VerifierOptions[] | Verifier,
  options?: AuthenticateOptions,
): FastifyHook {
  const authenticator = createAuthenticator(verifierOrOptions, options, 'authenticate()');
  const accept = (request: FastifyRequest, done: Done, auth: AuthInfo): void => {
    request.auth = auth;
    done();
  };
  const hook = function bearerGuardAuthenticate(request: FastifyRequest, reply: FastifyReply, done: Done): void {
    let result: AuthInfo | Promise<AuthInfo>;
    try {
      const raw = request.raw;
      const credential = { method: request.method, url: request.url, headers: request.headers, rawHeaders: raw.rawHeaders, body: request.body };
      const extracted = authenticator.read(credential, request);
      if (extracted === undefined) {
        markPassedAuthenticate(request, authenticator.issuedBy);
        done();
        return;
      }
      // RFC 6750 §2.3: responses to requests carrying the token in the URI should be private.
      if (extracted.location === 'query') reply.header('Cache-Control', 'private');
      const nonce = authenticator.dpopNonce(extracted);
      if (nonce !== undefined) reply.header('DPoP-Nonce', nonce);
      result = authenticator.verify(extracted.token, new RequestView(raw), request);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (result instanceof Promise) {
      result.then(
        (auth) => accept(request, done, auth),
        (error: unknown) => done(error as Error),
      );
    } else {
      accept(request, done, result);
    }
  };
  return hook as unknown as FastifyHook;
}
