/**
 * `protectedResourceMetadata()`: serves the OAuth 2.0 Protected Resource Metadata document (RFC 9728) that
 * the `resource_metadata` of a verifier's challenges points at, so that a client refused with 401 can find
 * the authorization server and get a token (the MCP authorization flow).
 *
 * Only the document's path (and the root location, when asked) is answered; every other request falls
 * through to `next()`. `GET` and `HEAD` get the JSON document, `OPTIONS` a CORS preflight answer, any other
 * method 405. Every answer allows any origin: the document is public and read without credentials.
 */
import type { ServerResponse } from 'node:http';
import { pathOf } from '../request/verify-request.js';
import type { Middleware, MiddlewareRequest } from './handler-types.js';
import {
  resolveResourceMetadata,
  type ProtectedResourceMetadataOptions,
  type Rfc9728MetadataOptions,
} from './resource-metadata-options.js';

const ALLOW = 'GET, HEAD, OPTIONS';
// A comma-separated list of header names (RFC 9110 tokens), short enough to echo back in a preflight answer.
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

function preflight(req: MiddlewareRequest, res: ServerResponse): void {
  res.statusCode = 204;
  res.setHeader('Allow', ALLOW);
  res.setHeader('Access-Control-Allow-Methods', ALLOW);
  const requested = req.headers['access-control-request-headers'];
  if (typeof requested === 'string' && requested.length <= 1024 && HEADER_LIST.test(requested)) {
    // Browsers send e.g. `mcp-protocol-version`; the document is public, so any header may accompany a GET.
    res.setHeader('Access-Control-Allow-Headers', requested);
  }
  res.setHeader('Vary', 'Access-Control-Request-Headers');
  res.setHeader('Access-Control-Max-Age', '86400');
  res.end();
}

/**
 * Middleware serving the protected resource metadata of `options.resource` (RFC 9728 §3) at its well-known
 * path: `/.well-known/oauth-protected-resource` inserted before the resource's path, as the verifier's
 * `resource_metadata` names it. Mount it at the application's root, before `authenticate()`. Throws a
 * `TypeError` naming the option when the options are invalid.
 *
 * @example
 * app.use(protectedResourceMetadata({
 *   resource: 'https://mcp.example.com/mcp',
 *   authorizationServers: ['https://login.example.com'],
 *   scopesSupported: ['files:read', 'files:write'],
 * })); // GET /.well-known/oauth-protected-resource/mcp
 */
export function protectedResourceMetadata(
  options: ProtectedResourceMetadataOptions | Rfc9728MetadataOptions,
): Middleware<MiddlewareRequest> {
  const { body, paths } = resolveResourceMetadata(options);
  const length = String(Buffer.byteLength(body));
  return function bearerGuardResourceMetadata(req, res, next) {
    const path = pathOf((req as { originalUrl?: string }).originalUrl ?? req.url);
    if (path === undefined || !paths.has(path)) {
      next();
      return;
    }
    try {
      res.setHeader('Access-Control-Allow-Origin', '*');
      if (req.method === 'GET' || req.method === 'HEAD') {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Content-Length', length);
        res.setHeader('Cache-Control', 'public, max-age=3600');
        res.end(req.method === 'GET' ? body : undefined);
      } else if (req.method === 'OPTIONS') {
        preflight(req, res);
      } else {
        res.statusCode = 405;
        res.setHeader('Allow', ALLOW);
        res.end();
      }
    } catch (error) {
      next(error);
    }
  };
}
