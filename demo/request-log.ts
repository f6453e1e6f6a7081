/**
 * The Receipts API's request log, one line per response: method, path, status, the caller, and for a refusal
 * its reason. A 503 also names its cause (the failed fetch, with the system error code such as
 * `ECONNREFUSED` or `ENOTFOUND`), so an API started against an unreachable issuer says why.
 */
import type { AuthError, AuthInfo } from '../src/index.js';

/** One answered request. */
export interface LoggedResponse {
  method: string;
  path: string;
  status: number;
  auth: AuthInfo | undefined;
  /** The bearer-guard refusal behind the response, if any. */
  error: AuthError | undefined;
}

/** The caller in a few words: client, scopes and roles. */
export function describeCaller(auth: AuthInfo | undefined): string {
  if (auth === undefined) return 'no identity';
  const grants = [...auth.scopes, ...auth.roles.map((role) => `role:${role}`)].join(' ') || 'no scopes or roles';
  return `client ${auth.clientId ?? '(none)'} ${grants}`;
}

/** The first system error code (`ECONNREFUSED`, a TLS code…) along a chain of causes. */
function systemCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

/** Why a request was refused: the reason, and for a 503 the cause's message with its system code. */
export function describeRefusal(error: AuthError | undefined): string {
  if (error === undefined) return '';
  if (error.status !== 503) return error.reason;
  const { cause } = error;
  const message = cause instanceof Error ? cause.message : 'no cause recorded';
  const code = systemCode(cause);
  return `${error.reason}: ${message}${code === undefined || message.includes(code) ? '' : ` (${code})`}`;
}

/** The log line of one response. */
export function requestLogLine(entry: LoggedResponse): string {
  const refusal = describeRefusal(entry.error);
  return `${entry.method} ${entry.path} → ${entry.status}  ${describeCaller(entry.auth)}${refusal === '' ? '' : `  (${refusal})`}`;
}
