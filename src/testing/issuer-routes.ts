/**
 * The test issuer's routes: OpenID Connect Discovery (`/.well-known/openid-configuration`), RFC 8414
 * metadata (`/.well-known/oauth-authorization-server`), the JWK Set (`/jwks`) and the token endpoint
 * (`/token`), each counted.
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

/** The authorization server metadata document (RFC 8414 §2), also served as OpenID discovery. */
export function issuerMetadata(context: IssuerRouteContext): Record<string, unknown> {
  return {
    issuer: context.issuer,
    token_endpoint: context.tokenEndpoint,
    jwks_uri: context.jwksUri,
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
