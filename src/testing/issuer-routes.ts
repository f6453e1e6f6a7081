/**
 * The test issuer's routes: OpenID Connect Discovery (`/.well-known/openid-configuration`), RFC 8414
 * metadata (`/.well-known/oauth-authorization-server`), the JWK Set (`/jwks`) and the token endpoint
 * (`/token`), each counted, and an authorization endpoint (`/authorize`) that refuses every request.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { sendJson } from './oauth-error.js';
import { TEST_SIGNING_ALGORITHMS } from './signing-keys.js';
import { handleTokenRequest, type TokenEndpointContext } from './token-endpoint.js';

/** Paths of the issuer's endpoints (the issuer identifier has no path). */
export const ISSUER_PATHS = Object.freeze({
  openidConfiguration: '/.well-known/openid-configuration',
  oauthMetadata: '/.well-known/oauth-authorization-server',
  jwks: '/jwks',
  token: '/token',
  authorize: '/authorize',
});

/** Requests served, per endpoint. */
export interface IssuerCounters {
  discovery: number;
  jwks: number;
  token: number;
  issued: number;
}

/** What the routes read from the issuer on every request. */
export interface IssuerRouteContext extends TokenEndpointContext {
  readonly jwksUri: string;
  jwks(): { keys: JWK[] };
  scopesSupported(): string[];
}

/**
 * The authorization server metadata (RFC 8414 §2), served at both well-known locations.
 *
 * It is complete, truthful RFC 8414 metadata for what the test issuer is: an authorization server for the
 * client credentials grant only. `response_types_supported` is empty: its authorization endpoint exists
 * only because clients such as the MCP SDK's refuse metadata without `authorization_endpoint`, and it
 * refuses every request with `unsupported_response_type`. The same document answers at the OpenID Connect
 * discovery location because OAuth clients and resource servers look there first, but it is a
 * client-credentials-only subset, not an OpenID Provider configuration: the test issuer issues no ID
 * tokens, so it leaves out the members OpenID Connect Discovery 1.0 §3 requires for them
 * (`subject_types_supported`, `id_token_signing_alg_values_supported`) rather than advertise what it does
 * not do.
 */
export function issuerMetadata(context: IssuerRouteContext): Record<string, unknown> {
  return {
    issuer: context.issuer,
    authorization_endpoint: `${context.issuer}${ISSUER_PATHS.authorize}`,
    token_endpoint: context.tokenEndpoint,
    jwks_uri: context.jwksUri,
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...TEST_SIGNING_ALGORITHMS],
    scopes_supported: context.scopesSupported(),
  };
}

function readOnly(req: IncomingMessage, res: ServerResponse, send: () => void): void {
  if (req.method === 'GET' || req.method === 'HEAD') send();
  else {
    sendJson(res, 405, { error: 'invalid_request', error_description: 'Method not allowed' }, { Allow: 'GET, HEAD' });
  }
}

function path(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]!;
}

/** The request listener of the issuer; `counters` are incremented as requests arrive. */
export function createIssuerRoutes(context: IssuerRouteContext, counters: IssuerCounters): RequestListener {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    switch (path(req)) {
      case ISSUER_PATHS.openidConfiguration:
      case ISSUER_PATHS.oauthMetadata:
        counters.discovery += 1;
        readOnly(req, res, () => sendJson(res, 200, issuerMetadata(context)));
        return;
      case ISSUER_PATHS.jwks:
        counters.jwks += 1;
        readOnly(req, res, () => sendJson(res, 200, context.jwks(), { 'Content-Type': 'application/jwk-set+json' }));
        return;
      case ISSUER_PATHS.token:
        counters.token += 1;
        if (await handleTokenRequest(req, res, context)) counters.issued += 1;
        return;
      case ISSUER_PATHS.authorize:
        sendJson(res, 400, { error: 'unsupported_response_type', error_description: 'Only the client credentials grant is supported' });
        return;
      default:
        sendJson(res, 404, { error: 'not_found', error_description: 'No such endpoint' });
    }
  };
  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      const detail = `the test issuer failed to answer ${path(req)}: ${String(error)}`;
      process.emitWarning(detail, 'BearerGuardTestIssuerWarning');
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'The test issuer failed' });
      else res.destroy();
    });
  };
}
