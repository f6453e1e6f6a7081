/**
 * Outcomes the middleware decides itself (no credentials, a malformed request, a guard's 403 or its 401
 * without `authenticate()`, a custom verifier's refusal): published as outcome events and debug lines in
 * the same shape as the pipeline's, with the request's method and path (never its query string).
 */
import type { IncomingMessage } from 'node:http';
import type { AuthError } from '../errors/auth-errors.js';
import { debug, debugEnabled } from '../events/debug-log.js';
import { hasVerifyListeners, publishVerifyEvent, type OutcomeStage } from '../events/verify-events.js';
import { pathOf } from '../request/verify-request.js';

/** Publishes the refusal `error`, decided at `stage`, of `req` (when somebody listens or the debug log is on). */
export function publishRefusal(error: AuthError, stage: OutcomeStage, req: IncomingMessage & { originalUrl?: string }): void {
  const listening = hasVerifyListeners();
  const logging = debugEnabled();
  if (!listening && !logging) return;
  const method = req.method;
  const path = pathOf(req.originalUrl ?? req.url);
  if (listening) {
    publishVerifyEvent({
      type: 'rejected',
      stage,
      status: error.status,
      reason: error.reason,
      ...(method === undefined ? {} : { method }),
      ...(path === undefined ? {} : { path }),
    });
  }
  if (logging) debug(`${error.status} ${error.reason} at ${stage} (${method ?? ''} ${path ?? ''})`);
}
