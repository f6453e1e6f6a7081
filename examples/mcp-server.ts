/**
 * mcp-server: an MCP server (the MCP TypeScript SDK's McpServer over Streamable HTTP) protected as the MCP
 * authorization spec asks. A request without a token is answered 401 with `resource_metadata`; the
 * metadata document (RFC 9728) names the authorization server; a client gets a token for this resource and
 * calls the tools. Every MCP request needs `files:read`; `write_file` also needs `files:write`, which implies
 * `files:read`. Tools see the caller as the SDK's `AuthInfo` (`extra.authInfo`).
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/mcp-server.ts               local test issuer; prints a client to connect with
 *   ISSUER=https://login.example.com RESOURCE=https://mcp.example.com/mcp npx tsx examples/mcp-server.ts
 *   npx tsx examples/mcp-server.ts --check       self-check with the SDK's own client: exits 0 or 1
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import express from 'express';
import { z } from 'zod';
import {
  authenticate,
  authErrorHandler,
  getAuth,
  protectedResourceMetadata,
  requireScopes,
  toMcpAuthInfo,
  type Middleware,
  type MiddlewareRequest,
  type VerifierOptions,
} from 'bearer-guard';
import { runMcpExample } from './support/run-mcp-example.js';

/** The MCP server of one request: two tools. */
function filesServer(): McpServer {
  const server = new McpServer({ name: 'files', version: '1.0.0' });
  server.registerTool('list_files', { description: 'Lists the files' }, (extra) => ({
    content: [{ type: 'text', text: JSON.stringify({ files: ['notes.txt'], caller: extra.authInfo?.clientId }) }],
  }));
  server.registerTool('write_file', { description: 'Writes a file', inputSchema: { name: z.string() } }, ({ name }) => ({
    content: [{ type: 'text', text: `wrote ${name}` }],
  }));
  return server;
}

/** Tools that need more than the route's `files:read`. */
const TOOL_SCOPES = new Map([['write_file', requireScopes('files:write')]]);

/** A `tools/call` of a tool listed above goes through that tool's guard (403 with the scope it needs). */
const requireToolScopes: Middleware<MiddlewareRequest & { body?: unknown }> = (req, res, next) => {
  const { method, params } = (req.body ?? {}) as { method?: unknown; params?: { name?: unknown } };
  const guard = method === 'tools/call' && typeof params?.name === 'string' ? TOOL_SCOPES.get(params.name) : undefined;
  if (guard === undefined) next();
  else guard(req, res, next);
};

/** The app, for verifier options that name the `resource` (the MCP endpoint's URL) and its issuer. */
export function createApp(verifier: VerifierOptions & { resource: string }): express.Express {
  const app = express();
  app.use(
    protectedResourceMetadata({
      resource: verifier.resource,
      authorizationServers: [String(verifier.issuer)],
      scopesSupported: ['files:read', 'files:write'],
      resourceName: 'Files (bearer-guard example)',
    }),
  );
  const path = new URL(verifier.resource).pathname;
  const guard = authenticate({ ...verifier, impliedScopes: { 'files:write': ['files:read'] } });
  app.post(path, express.json(), guard, requireScopes('files:read'), requireToolScopes, (req, res, next) => {
    // Stateless: a server and a transport per request. The transport hands `req.auth` to the tools as
    // `extra.authInfo`, so it gets the SDK's shape; getAuth(req) is bearer-guard's identity, typed.
    const server = filesServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void Promise.all([transport.close(), server.close()]));
    server
      .connect(transport)
      .then(() => transport.handleRequest(Object.assign(req, { auth: toMcpAuthInfo(getAuth(req)) }), res, req.body))
      .catch(next);
  });
  app.all(path, (_req, res) => void res.status(405).set('Allow', 'POST').end());
  app.use(authErrorHandler());
  return app;
}

await runMcpExample(createApp);
