/**
 * An optional JSON error middleware: renders an {@link AuthError} as
 * `{ "error": "...", "error_description": "..." }` with its status and headers, and passes anything else on.
 * Works with Express and Connect (uses only `node:http` response methods).
 */
import { isAuthError, type AuthError } from '../errors/auth-errors.js';
import type { ErrorMiddleware } from './handler-types.js';

/** The JSON body {@link authErrorHandler} sends. */
export interface AuthErrorBody {
  /** The OAuth error code; `unauthorized` when no credentials were sent, `temporarily_unavailable` on 503. */
  error: string;
  /** The fixed public description. */
  error_description: string;
}

/** The JSON body for `error`. */
export function toAuthErrorBody(error: AuthError): AuthErrorBody {
  const code = error.error ?? (error.status === 503 ? 'temporarily_unavailable' : 'unauthorized');
  return { error: code, error_description: error.description };
}

/**
 * Error middleware that answers bearer-guard errors as JSON (other errors go to the next error handler).
 *
 * @example
 * app.use(authErrorHandler());
 */
export function authErrorHandler(): ErrorMiddleware {
  return function bearerGuardErrorHandler(error, _req, res, next) {
    if (!isAuthError(error) || res.headersSent) {
      next(error);
      return;
    }
    res.statusCode = error.status;
    for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.end(JSON.stringify(toAuthErrorBody(error)));
  };
}
