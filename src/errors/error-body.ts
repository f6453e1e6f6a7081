/**
 * The JSON body of an error answer, the same for every framework: `authErrorHandler()` (Express, Connect,
 * Fastify) and the web-standard entry send it.
 */
import type { AuthError } from './auth-errors.js';

/** The JSON body an `AuthError` is answered with. */
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

/** The headers of an error answer besides its own (`WWW-Authenticate` or `Retry-After`). */
export const ERROR_BODY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store',
});
