/**
 * Outcomes decided around the pipeline (no credentials, a malformed request, a guard's 403 or its 401
 * without authentication, a custom verifier's refusal): published as outcome events and debug lines in the
 * same shape as the pipeline's, with the request's method and path (never its query string). Framework
 * neutral: a Node request, a Fastify request and a web `Request` all describe their place the same way.
 */
import type { AuthError } from '../errors/auth-errors.js';
import { debug, debugEnabled } from '../events/debug-log.js';
import { hasVerifyListeners, publishVerifyEvent, type OutcomeStage } from '../events/verify-events.js';
import { pathOf } from '../request/verify-request.js';

/** Where a request outcome happened: a Node `IncomingMessage`, an Express or Fastify request all fit. */
export interface RequestPlace {
  /** The request method. */
  readonly method?: string | undefined;
  /** The URL the client sent, when a mount path rewrote `url` (Express, Connect, Fastify). */
  readonly originalUrl?: string | undefined;
  /** The request target (path and query). */
  readonly url?: string | undefined;
}

/**
 * Publishes the refusal `error`, decided at `stage`, of the request at `place` (when somebody listens or the
 * debug log is on). `detail` (expected against actual, or a caller's error) goes to the debug log only.
 */
export function publishRefusal(error: AuthError, stage: OutcomeStage, place: RequestPlace, detail?: () => string): void {
  const listening = hasVerifyListeners();
  const logging = debugEnabled();
  if (!listening && !logging) return;
  const method = place.method;
  const path = pathOf(place.originalUrl ?? place.url);
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
  if (logging) {
    const why = detail === undefined ? '' : `: ${detail()}`;
    debug(`${error.status} ${error.reason} at ${stage}${why} (${method ?? ''} ${path ?? ''})`);
  }
}
