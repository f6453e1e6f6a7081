/**
 * Token endpoint error responses (RFC 6749 §5.2) and the JSON writer shared by every route.
 */
import type { ServerResponse } from 'node:http';

/** The error codes the test issuer's token endpoint answers with. */
export type TokenErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unauthorized_client';

/** A refused token request: its status, RFC 6749 §5.2 code, description and extra headers. */
export class TokenEndpointError extends Error {
  /** HTTP status: 401 for `invalid_client`, 405 for a method other than POST, else 400. */
  readonly status: 400 | 401 | 405;
  /** The RFC 6749 §5.2 `error` code. */
  readonly error: TokenErrorCode;
  /** Extra response headers (`WWW-Authenticate` for failed Basic authentication, `Allow` on 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    error: TokenErrorCode,
    description: string,
    options: { status?: 400 | 401 | 405; headers?: Record<string, string> } = {},
  ) {
    super(description);
    this.name = 'TokenEndpointError';
    this.error = error;
    this.status = options.status ?? (error === 'invalid_client' ? 401 : 400);
    this.headers = options.headers ?? {};
  }
}

/** Writes `value` as JSON, by default with `Cache-Control: no-store` (RFC 6749 §5.1, §5.2). */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    Pragma: 'no-cache',
    ...headers,
    'Content-Length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}

/** Answers a refused token request. */
export function sendTokenError(res: ServerResponse, failure: TokenEndpointError): void {
  sendJson(res, failure.status, { error: failure.error, error_description: failure.message }, { ...failure.headers });
}
