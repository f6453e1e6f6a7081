/**
 * An optional JSON error middleware: renders an {@link AuthError} as
 * `{ "error": "...", "error_description": "..." }` with its status and headers, and passes anything else on.
 * Works with Express and Connect (uses only `node:http` response methods).
 */
import { isAuthError } from '../errors/auth-errors.js';
import { ERROR_BODY_HEADERS, toAuthErrorBody } from '../errors/error-body.js';
import type { ErrorMiddleware } from './handler-types.js';

export { toAuthErrorBody, type AuthErrorBody } from '../errors/error-body.js';

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
    for (const [name, value] of Object.entries(ERROR_BODY_HEADERS)) res.setHeader(name, value);
    res.end(JSON.stringify(toAuthErrorBody(error)));
  };
}
