/**
 * An MCP server as the MCP TypeScript SDK builds one (McpServer + Streamable HTTP transport), guarded by
 * bearer-guard, and the SDK's own MCP clients (1.x, and 2.x's @modelcontextprotocol/client) authenticating
 * with client credentials against the test issuer: the whole RFC 9728 discovery flow over real HTTP on
 * 127.0.0.1, on Express 5, Express 4 and Connect.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Client as Client2,
  ClientCredentialsProvider as ClientCredentialsProvider2,
  StreamableHTTPClientTransport as StreamableHTTPClientTransport2,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import connect from 'connect';
import express5 from 'express';
import express4 from 'express4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
} from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

type Req = MiddlewareRequest & { body?: unknown };

function filesServer(): McpServer {
  const server = new McpServer({ name: 'files', version: '1.0.0' });
  server.registerTool('list_files', { description: 'Lists the files' }, (extra) => ({
    content: [{ type: 'text', text: JSON.stringify({ files: ['notes.txt'], authInfo: extra.authInfo }) }],
  }));
  server.registerTool(
    'write_file',
    { description: 'Writes a file', inputSchema: { name: z.string() } },
    ({ name }) => ({ content: [{ type: 'text', text: `wrote ${name}` }] }),
  );
  return server;
}

/** Scope each tool needs beyond the route's own. */
const TOOL_GUARDS = new Map<string, Middleware<MiddlewareRequest>>([['write_file', requireScopes('files:write')]]);

/** Runs the guard of every tool a JSON-RPC message (or batch) calls. */
const requireToolScopes: Middleware<Req> = (req, res, next) => {
  const messages: unknown[] = Array.isArray(req.body) ? req.body : [req.body];
  const guards = messages.flatMap((message) => {
    const { method, params } = (message ?? {}) as { method?: unknown; params?: { name?: unknown } };
    const guard = method === 'tools/call' && typeof params?.name === 'string' ? TOOL_GUARDS.get(params.name) : undefined;
    return guard === undefined ? [] : [guard];
  });
  const step = (index: number) => (error?: unknown): void => {
    if (error !== undefined) next(error);
    else if (index === guards.length) next();
    else guards[index]!(req, res, step(index + 1));
  };
  step(0)();
};

/** The MCP endpoint: a server and a stateless transport per request, `req.auth` in the SDK's shape. */
function handleMcp(req: Req, res: ServerResponse, next: (error?: unknown) => void): void {
  const server = filesServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => {
    void transport.close();
    void server.close();
  });
  server
    .connect(transport)
    .then(() => transport.handleRequest(Object.assign(req, { auth: toMcpAuthInfo(getAuth(req)) }), res, req.body))
    .catch(next);
}

type Build = (resource: string, verifier: VerifierOptions) => (req: IncomingMessage, res: ServerResponse) => void;

function metadata(resource: string, verifier: VerifierOptions) {
  return protectedResourceMetadata({
    resource,
    authorizationServers: [String(verifier.issuer)],
    scopesSupported: ['files:read', 'files:write'],
  });
}

function expressBuild(factory: typeof express5): Build {
  return (resource, verifier) => {
    const app = factory();
    app.set('env', 'test');
    app.use(metadata(resource, verifier));
    app.post('/mcp', factory.json(), authenticate(verifier), requireScopes('files:read'), requireToolScopes, handleMcp);
    app.all('/mcp', (_req, res) => void res.status(405).set('Allow', 'POST').end());
    app.use(authErrorHandler());
    return app;
  };
}

const connectBuild: Build = (resource, verifier) => {
  const app = connect();
  app.use(metadata(resource, verifier));
  const chain: Middleware<Req>[] = [
    express5.json() as never,
    authenticate(verifier),
    requireScopes('files:read'),
    requireToolScopes,
    handleMcp,
  ];
  app.use('/mcp', (req: Req, res: ServerResponse, next: (error?: unknown) => void) => {
    if (req.method !== 'POST') {
      res.statusCode = 405;
      res.setHeader('Allow', 'POST');
      res.end();
      return;
    }
    const step = (index: number) => (error?: unknown): void => {
      if (error !== undefined) next(error);
      else chain[index]!(req, res, step(index + 1));
    };
    step(0)();
  });
  app.use(authErrorHandler());
  return app;
};

const FRAMEWORKS: readonly [string, Build][] = [
  ['Express 5', expressBuild(express5)],
  ['Express 4', expressBuild(express4 as unknown as typeof express5)],
  ['Connect + node:http', connectBuild],
];

interface Running {
  server: Server;
  origin: string;
  resource: string;
  metadataUrl: string;
}

/** Starts a server for `build` on a free port; `verifier` gets the resource URL once the port is known. */
async function start(build: Build, verifier: (resource: string) => VerifierOptions): Promise<Running> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => handler!(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const resource = `${origin}/mcp`;
  handler = build(resource, verifier(resource));
  return { server, origin, resource, metadataUrl: `${origin}/.well-known/oauth-protected-resource/mcp` };
}

async function stop(running: Running | undefined): Promise<void> {
  if (running === undefined) return;
  running.server.closeAllConnections();
  await new Promise((resolve) => running.server.close(resolve));
}

/** A port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A fetch that notes `METHOD URL STATUS WWW-Authenticate` of every exchange. */
function recordingFetch(seen: string[]): typeof fetch {
  return async (input, init) => {
    const res = await fetch(input, init);
    const challenge = res.headers.get('www-authenticate');
    seen.push(`${init?.method ?? 'GET'} ${String(input)} ${res.status}${challenge === null ? '' : ` ${challenge}`}`);
    return res;
  };
}

function mcpClient(
  running: Running,
  issuer: TestIssuer,
  clientId: string,
  seen: string[],
): { client: Client; transport: StreamableHTTPClientTransport } {
  const authProvider = new ClientCredentialsProvider({ clientId, clientSecret: `${clientId}-secret`, expectedIssuer: issuer.url });
  const transport = new StreamableHTTPClientTransport(new URL(running.resource), { authProvider, fetch: recordingFetch(seen) });
  return { client: new Client({ name: clientId, version: '1.0.0' }), transport };
}

/** A JSON-RPC `tools/call` of `name` sent directly, with `token`. */
function callTool(running: Running, token: string, name: string): Promise<Response> {
  return fetch(running.resource, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: { name: 'a.txt' } } }),
  });
}

function textOf(result: unknown): string {
  return ((result as { content: { text: string }[] }).content[0]!).text;
}

describe.each(FRAMEWORKS)('an MCP server on %s', (_name, build) => {
  let issuer: TestIssuer;
  let running: Running;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    running = await start(build, (resource) => ({
      issuer: issuer.url,
      resource,
      impliedScopes: { 'files:write': ['files:read'] },
      keys: { cooldownMs: 0 },
    }));
    const { resource, origin } = running;
    issuer.addClient({ clientId: 'agent', clientSecret: 'agent-secret', scopes: ['files:read', 'files:write'], audience: resource });
    issuer.addClient({ clientId: 'reader', clientSecret: 'reader-secret', scopes: ['files:read'], audience: resource });
    issuer.addClient({ clientId: 'writer', clientSecret: 'writer-secret', scopes: ['files:write'], audience: resource });
    issuer.addClient({ clientId: 'elsewhere', clientSecret: 'elsewhere-secret', scopes: ['files:read'], audience: `${origin}/mcp2` });
  });

  afterAll(async () => {
    await stop(running);
    await issuer?.close();
  });

  it('answers 401 with resource_metadata, and the SDK client reads it, gets a token and calls tools', async () => {
    const seen: string[] = [];
    const { client, transport } = mcpClient(running, issuer, 'agent', seen);
    issuer.resetCounters();
    await client.connect(transport);
    const { resource, metadataUrl } = running;
    expect(seen.slice(0, 4)).toEqual([
      `POST ${resource} 401 Bearer realm="api", resource_metadata="${metadataUrl}"`,
      `GET ${metadataUrl} 200`,
      `GET ${issuer.url}/.well-known/oauth-authorization-server 200`,
      `POST ${issuer.tokenEndpoint} 200`,
    ]);
    expect(issuer.tokensIssued).toBe(1);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(['list_files', 'write_file']);
    const listed = JSON.parse(textOf(await client.callTool({ name: 'list_files', arguments: {} }))) as {
      files: string[];
      authInfo: Record<string, unknown> & { extra: Record<string, unknown> };
    };
    expect(listed.files).toEqual(['notes.txt']);
    // The tool sees the SDK's AuthInfo: seconds, a URL, the client and the scopes.
    expect(listed.authInfo).toMatchObject({
      clientId: 'agent',
      scopes: ['files:read', 'files:write'],
      resource,
      resourceMetadataUrl: metadataUrl,
      extra: { issuer: issuer.url, audience: [resource], isAppOnly: true },
    });
    expect(Number.isInteger(listed.authInfo.expiresAt)).toBe(true);
    expect(textOf(await client.callTool({ name: 'write_file', arguments: { name: 'a.txt' } }))).toBe('wrote a.txt');
    expect(issuer.tokensIssued).toBe(1);
    await client.close();
  });

  it('lets the 2.x client (@modelcontextprotocol/client) do the same', async () => {
    const seen: string[] = [];
    const authProvider = new ClientCredentialsProvider2({ clientId: 'agent', clientSecret: 'agent-secret', expectedIssuer: issuer.url });
    const client = new Client2({ name: 'agent', version: '2.0.0' });
    await client.connect(new StreamableHTTPClientTransport2(new URL(running.resource), { authProvider, fetch: recordingFetch(seen) }));
    expect(seen[0]).toBe(`POST ${running.resource} 401 Bearer realm="api", resource_metadata="${running.metadataUrl}"`);
    expect(seen).toContain(`GET ${running.metadataUrl} 200`);
    expect(textOf(await client.callTool({ name: 'write_file', arguments: { name: 'b.txt' } }))).toBe('wrote b.txt');
    await client.close();
  });

  it('lets a files:write token call the files:read route (impliedScopes), never the other way round', async () => {
    const seen: string[] = [];
    const writer = mcpClient(running, issuer, 'writer', seen);
    await writer.client.connect(writer.transport);
    expect(JSON.parse(textOf(await writer.client.callTool({ name: 'list_files', arguments: {} })))).toMatchObject({
      authInfo: { scopes: ['files:write', 'files:read'], extra: { grantedScopes: ['files:write'] } },
    });
    await writer.client.close();
  });

  it('answers 403 insufficient_scope with scope and resource_metadata when a tool needs a scope the token lacks', async () => {
    const token = await issuer.sign({ aud: running.resource, scope: 'files:read' });
    const res = await callTool(running, token, 'write_file');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", ' +
        `scope="files:write", resource_metadata="${running.metadataUrl}"`,
    );

    // The SDK client steps up once (the issuer will not grant files:write to this client), then gives up.
    const seen: string[] = [];
    const reader = mcpClient(running, issuer, 'reader', seen);
    await reader.client.connect(reader.transport);
    await expect(reader.client.callTool({ name: 'write_file', arguments: { name: 'a.txt' } })).rejects.toThrow(/403/);
    expect(seen.filter((line) => line.includes(' 403 '))).toContain(
      `POST ${running.resource} 403 Bearer realm="api", error="insufficient_scope", ` +
        `error_description="The access token lacks a required scope", scope="files:write", resource_metadata="${running.metadataUrl}"`,
    );
    await reader.client.close();
  });

  it('answers 401 invalid_token with resource_metadata to a token for another resource', async () => {
    const token = await issuer.sign({ aud: `${running.origin}/mcp2`, scope: 'files:read files:write' });
    const res = await callTool(running, token, 'list_files');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted", ' +
        `resource_metadata="${running.metadataUrl}"`,
    );

    const seen: string[] = [];
    const elsewhere = mcpClient(running, issuer, 'elsewhere', seen);
    await expect(elsewhere.client.connect(elsewhere.transport)).rejects.toThrow();
    expect(seen).toContain(
      `POST ${running.resource} 401 Bearer realm="api", error="invalid_token", ` +
        `error_description="The access token audience is not accepted", resource_metadata="${running.metadataUrl}"`,
    );
  });

  it('answers 503 with Retry-After, not 401, when the issuer\'s keys cannot be fetched', async () => {
    const dead = await closedPort();
    const down = await start(build, (resource) => ({ issuer: issuer.url, resource, jwksUri: `http://127.0.0.1:${dead}/jwks` }));
    try {
      issuer.addClient({ clientId: `agent-${dead}`, clientSecret: `agent-${dead}-secret`, scopes: ['files:read'], audience: down.resource });
      const token = await issuer.sign({ aud: down.resource, scope: 'files:read' });
      const res = await callTool(down, token, 'list_files');
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(res.headers.get('www-authenticate')).toBeNull();

      const seen: string[] = [];
      const agent = mcpClient(down, issuer, `agent-${dead}`, seen);
      await expect(agent.client.connect(agent.transport)).rejects.toThrow(/temporarily unavailable/);
      expect(seen.filter((line) => line.startsWith(`POST ${down.resource} `)).map((line) => line.split(' ')[2])).toEqual(['401', '503']);
    } finally {
      await stop(down);
    }
  });
});
