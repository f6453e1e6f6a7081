/**
 * The runner of the MCP server example; it is not part of bearer-guard and holds nothing you need to copy.
 *
 * - With ISSUER and RESOURCE (optional PORT) set: serves the example for that issuer and resource.
 * - Without them: starts a local test issuer, registers a client and prints how to connect.
 * - With `--check` or EXAMPLE_SELF_TEST=1: starts a test issuer and the server, lets the MCP SDK's own
 *   client authenticate with client credentials and call the tools, sends the refusals by hand, prints the
 *   answers and exits 0 when all were as expected, 1 otherwise.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { VerifierOptions } from 'bearer-guard';
import { createTestIssuer, type TestIssuer } from 'bearer-guard/testing';

type CreateApp = (verifier: VerifierOptions & { resource: string }) => RequestListener;

async function listen(app: RequestListener, port = 0, host = '127.0.0.1'): Promise<{ server: Server; origin: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, origin: `http://${host}:${(server.address() as AddressInfo).port}` };
}

/** Starts the example for a resource at `/mcp` of a new server; `extra` adds verifier options. */
async function start(createApp: CreateApp, issuer: TestIssuer, extra: Partial<VerifierOptions> = {}) {
  let app: RequestListener = (_req, res) => res.end();
  const running = await listen((req, res) => app(req, res));
  const resource = `${running.origin}/mcp`;
  app = createApp({ issuer: issuer.url, resource, ...extra });
  return { ...running, resource, metadataUrl: `${running.origin}/.well-known/oauth-protected-resource/mcp` };
}

function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A `tools/call` sent by hand with `token`, answered with its status and challenge. */
async function callTool(resource: string, token: string, name: string): Promise<string> {
  const res = await fetch(resource, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: { name: 'a.txt' } } }),
  });
  return `${res.status} ${res.headers.get('www-authenticate') ?? `Retry-After: ${res.headers.get('retry-after')}`}`;
}

async function check(createApp: CreateApp): Promise<boolean> {
  const issuer = await createTestIssuer();
  const mcp = await start(createApp, issuer);
  const down = await start(createApp, issuer, { jwksUri: `${issuer.url}/no-such-key-set` });
  issuer.addClient({ clientId: 'agent', clientSecret: 'agent-secret', scopes: ['files:read', 'files:write'], audience: mcp.resource });
  let failures = 0;
  const expect = (title: string, seen: string, ok: boolean): void => {
    console.log(`${ok ? '✓' : '✗'} ${title}\n      ${seen}`);
    if (!ok) failures += 1;
  };
  const rm = `resource_metadata="${mcp.metadataUrl}"`;
  try {
    const bare = await fetch(mcp.resource, { method: 'POST' });
    const challenge = bare.headers.get('www-authenticate') ?? '';
    expect('no token: 401 naming the metadata', `${bare.status} ${challenge}`, bare.status === 401 && challenge === `Bearer realm="api", ${rm}`);

    const metadata = (await (await fetch(mcp.metadataUrl)).json()) as { authorization_servers?: string[] };
    const servers = JSON.stringify(metadata.authorization_servers);
    expect('the metadata names the issuer', servers, servers === JSON.stringify([issuer.url]));

    const authProvider = new ClientCredentialsProvider({ clientId: 'agent', clientSecret: 'agent-secret', expectedIssuer: issuer.url });
    const client = new Client({ name: 'agent', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.resource), { authProvider }));
    const tools = (await client.listTools()).tools.map((tool) => tool.name).join(', ');
    expect('the SDK client gets a token by itself and lists the tools', tools, tools === 'list_files, write_file');
    const text = async (name: string): Promise<string> =>
      ((await client.callTool({ name, arguments: { name: 'a.txt' } })) as { content: { text: string }[] }).content[0]!.text;
    const listed = await text('list_files');
    expect('tools/call list_files', listed, listed === '{"files":["notes.txt"],"caller":"agent"}');
    const written = await text('write_file');
    expect('tools/call write_file', written, written === 'wrote a.txt');
    await client.close();

    const other = await callTool(mcp.resource, await issuer.sign({ aud: `${mcp.resource}2`, scope: 'files:read' }), 'list_files');
    expect('a token for another resource: 401', other, other.startsWith('401 ') && other.includes('error="invalid_token"') && other.endsWith(rm));

    const reader = await callTool(mcp.resource, await issuer.sign({ aud: mcp.resource, scope: 'files:read' }), 'write_file');
    expect('write_file without files:write: 403', reader, reader.startsWith('403 ') && reader.endsWith(`scope="files:write", ${rm}`));

    const outage = await callTool(down.resource, await issuer.sign({ aud: down.resource, scope: 'files:read' }), 'list_files');
    expect('keys unavailable: 503, not 401', outage, /^503 Retry-After: \d+$/.test(outage));
  } finally {
    await Promise.all([stop(mcp.server), stop(down.server)]);
    await issuer.close();
  }
  console.log(failures === 0 ? 'All checks passed.' : `${failures} check(s) failed.`);
  return failures === 0;
}

async function serve(createApp: CreateApp): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const { ISSUER: issuerUrl, RESOURCE: resource } = process.env;
  if (issuerUrl !== undefined && issuerUrl !== '' && resource !== undefined && resource !== '') {
    await listen(createApp({ issuer: issuerUrl, resource }), port, '0.0.0.0');
    console.log(`Serving ${resource} on port ${port} for ${issuerUrl}. Ctrl-C stops.`);
    return;
  }
  const issuer = await createTestIssuer();
  const resourceUrl = `http://localhost:${port}/mcp`;
  await listen(createApp({ issuer: issuer.url, resource: resourceUrl }), port, 'localhost');
  issuer.addClient({ clientId: 'mcp-client', clientSecret: 'mcp-secret', scopes: ['files:read', 'files:write'], audience: resourceUrl });
  console.log(`MCP server at ${resourceUrl}, local test issuer at ${issuer.url}. Ctrl-C stops.`);
  console.log('Connect an MCP client with client credentials: client id "mcp-client", secret "mcp-secret".');
}

/** Runs the example in the mode its command line and environment ask for. */
export async function runMcpExample(createApp: CreateApp): Promise<void> {
  try {
    if (process.argv.includes('--check') || process.env.EXAMPLE_SELF_TEST === '1') {
      process.exitCode = (await check(createApp)) ? 0 : 1;
    } else {
      await serve(createApp);
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
