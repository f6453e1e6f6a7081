/**
 * The test issuer's routes, each counted. The plain layout: OpenID Connect Discovery
 * (`/.well-known/openid-configuration`), RFC 8414 metadata (`/.well-known/oauth-authorization-server`),
 * the JWK Set (`/jwks`), the token endpoint (`/token`), the introspection endpoint (`/introspect`) and an
 * authorization endpoint (`/authorize`) that refuses every request. Entra tenant mode brings its own layout
 * (`entra-tenant.ts`).
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { sendJson } from './oauth-error.js';
import { TEST_SIGNING_ALGORITHMS } from './signing-keys.js';
import { handleIntrospectionRequest, type IntrospectionContext } from './introspection-endpoint.js';
import { handleTokenRequest, type TokenEndpointContext } from './token-endpoint.js';

/** Where the issuer's endpoints live. */
export interface IssuerLayout {
  /** Paths that answer with the metadata document. */
  readonly metadata: readonly string[];
  /** The JWK Set. */
  readonly jwks: string;
  /** The token endpoint. */
  readonly token: string;
  /** The introspection endpoint (RFC 7662). */
  readonly introspection: string;
  /** An authorization endpoint that refuses every request (for layouts whose clients require one). */
  readonly authorize?: string;
}

/** The plain layout (the issuer identifier has no path). */
export const ISSUER_PATHS: IssuerLayout = Object.freeze({
  metadata: Object.freeze(['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server']),
  jwks: '/jwks',
  token: '/token',
  introspection: '/introspect',
  authorize: '/authorize',
});

/** Requests served, per endpoint. */
export interface IssuerCounters {
  discovery: number;
  jwks: number;
  token: number;
  issued: number;
  introspection: number;
}

/** What the routes read from the issuer on every request. */
export interface IssuerRouteContext extends TokenEndpointContext, IntrospectionContext {
  readonly layout: IssuerLayout;
  readonly jwksUri: string;
  readonly introspectionEndpoint: string;
  /** The published JWK Set. */
  jwks(): { keys: JWK[] };
  /** The metadata document. */
  metadata(): Record<string, unknown>;
}

/** What {@link issuerMetadata} describes. */
export interface PlainMetadataContext {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly jwksUri: string;
  readonly introspectionEndpoint: string;
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
export function issuerMetadata(context: PlainMetadataContext): Record<string, unknown> {
  return {
    issuer: context.issuer,
    authorization_endpoint: `${context.issuer}${ISSUER_PATHS.authorize}`,
    token_endpoint: context.tokenEndpoint,
    jwks_uri: context.jwksUri,
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: [...TEST_SIGNING_ALGORITHMS],
    introspection_endpoint: context.introspectionEndpoint,
    introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt'],
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
  const { layout } = context;
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const target = path(req);
    if (layout.metadata.includes(target)) {
      counters.discovery += 1;
      readOnly(req, res, () => sendJson(res, 200, context.metadata()));
    } else if (target === layout.jwks) {
      counters.jwks += 1;
      readOnly(req, res, () => sendJson(res, 200, context.jwks(), { 'Content-Type': 'application/jwk-set+json' }));
    } else if (target === layout.token) {
      counters.token += 1;
      if (await handleTokenRequest(req, res, context)) counters.issued += 1;
    } else if (target === layout.introspection) {
      counters.introspection += 1;
      await handleIntrospectionRequest(req, res, context);
    } else if (target === layout.authorize) {
      const description = 'The test issuer supports the client credentials grant only';
      sendJson(res, 400, { error: 'unsupported_response_type', error_description: description });
    } else {
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
