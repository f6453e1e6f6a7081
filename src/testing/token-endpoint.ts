/**
 * The token endpoint: the client credentials grant (RFC 6749 §4.4) with the successful response of §5.1
 * and the errors of §5.2. Requests are `POST` with an `application/x-www-form-urlencoded` body whose
 * parameters each appear at most once (§3.2).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateClient, type ClientAuthContext } from './client-auth.js';
import { sendJson, sendTokenError, TokenEndpointError } from './oauth-error.js';
import { isScopeToken, type RegisteredClient, type TestClientAuthMethod } from './test-client.js';

/** Largest accepted request body, in bytes. */
const MAX_BODY_BYTES = 64 * 1024;

/** What the token endpoint needs from the issuer. */
export interface TokenEndpointContext extends ClientAuthContext {
  /**
   * The successful response (RFC 6749 §5.1) to `client`, authenticated with `method`, for the request's
   * `scope` parameter (`null` when absent). Throws {@link TokenEndpointError} to refuse the scope.
   */
  issue(client: RegisteredClient, scope: string | null, method: TestClientAuthMethod): Promise<Record<string, unknown>>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new TokenEndpointError('invalid_request', 'The request body is too large'));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The form parameters of a `POST` to `endpoint` (named in errors): `application/x-www-form-urlencoded`,
 * each parameter at most once.
 */
export async function readParams(req: IncomingMessage, endpoint = 'token endpoint'): Promise<URLSearchParams> {
  if (req.method !== 'POST') {
    throw new TokenEndpointError('invalid_request', `The ${endpoint} only accepts POST`, {
      status: 405,
      headers: { Allow: 'POST' },
    });
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new TokenEndpointError('invalid_request', 'The body must be application/x-www-form-urlencoded');
  }
  const params = new URLSearchParams(await readBody(req));
  const seen = new Set<string>();
  for (const name of params.keys()) {
    if (seen.has(name)) throw new TokenEndpointError('invalid_request', `The parameter ${name} is repeated`);
    seen.add(name);
  }
  return params;
}

/** The scopes granted for the request's `scope` parameter (all allowed scopes when it is absent). */
export function grantScopes(client: RegisteredClient, requested: string | null): readonly string[] {
  if (requested === null) return client.scopes;
  const words = requested.split(' ').filter((word) => word !== '');
  if (words.length === 0 || !words.every(isScopeToken)) {
    throw new TokenEndpointError('invalid_scope', 'The scope parameter is malformed');
  }
  const refused = words.filter((word) => !client.scopes.includes(word));
  if (refused.length > 0) {
    throw new TokenEndpointError('invalid_scope', `The client may not request the scope ${refused.join(' ')}`);
  }
  return [...new Set(words)];
}

/** Answers one token request. Resolves to true when a token was issued. */
export async function handleTokenRequest(
  req: IncomingMessage,
  res: ServerResponse,
  context: TokenEndpointContext,
): Promise<boolean> {
  try {
    const params = await readParams(req);
    const grantType = params.get('grant_type');
    if (grantType === null || grantType === '') throw new TokenEndpointError('invalid_request', 'Missing grant_type');
    if (grantType !== 'client_credentials') {
      throw new TokenEndpointError('unsupported_grant_type', 'Only the client_credentials grant is supported');
    }
    const { client, method } = await authenticateClient(context, req.headers.authorization, params);
    sendJson(res, 200, await context.issue(client, params.get('scope'), method));
    return true;
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    sendTokenError(res, error);
    return false;
  }
}
