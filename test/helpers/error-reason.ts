/**
 * An error middleware for tests that answers a bearer-guard error with its status and headers and a JSON
 * body holding its stable `reason`, so HTTP tests can assert the exact reason code; anything else goes on
 * to the framework's own final handler.
 */
import { isAuthError, type ErrorMiddleware } from '../../src/index.js';

/** Answers `{ "reason": "<code>" }` with the error's status and headers. */
export const reasonErrorHandler: ErrorMiddleware = (error, _req, res, next) => {
  if (!isAuthError(error)) {
    next(error);
    return;
  }
  res.statusCode = error.status;
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ reason: error.reason }));
};
