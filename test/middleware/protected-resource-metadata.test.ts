/**
 * protectedResourceMetadata(): the RFC 9728 document at its well-known path, over real HTTP on Express 5,
 * Express 4 and Connect: GET and HEAD, CORS (any origin, preflight), 405 for other methods, every other path
 * falling through, and every option validated at creation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import connect from 'connect';
import express5 from 'express';
import express4 from 'express4';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { protectedResourceMetadata, type Middleware, type MiddlewareRequest, type ProtectedResourceMetadataOptions, type Rfc9728MetadataOptions } from '../../src/index.js';

const BASE: ProtectedResourceMetadataOptions = {
  resource: 'https://mcp.example.com/mcp',
  authorizationServers: ['https://login.example.com'],
};
const PATH = '/.well-known/oauth-protected-resource/mcp';

/** Answers what fell through the middleware with 404 "fell through". */
function fallThrough(_req: IncomingMessage, res: ServerResponse): void {
  res.statusCode = 404;
  res.end('fell through');
}

type Build = (middleware: Middleware<MiddlewareRequest>) => Server;

const BUILDS: readonly [string, Build][] = [
  ['Express 5', (mw) => createServer(express5().use(mw).use(fallThrough))],
  ['Express 4', (mw) => createServer(express4().use(mw).use(fallThrough))],
  ['Connect + node:http', (mw) => createServer(connect().use(mw).use(fallThrough))],
];

describe.each(BUILDS)('protectedResourceMetadata() on %s', (_name, build) => {
  const app = build(
    protectedResourceMetadata({
      ...BASE,
      authorizationServers: ['https://login.example.com', 'https://login.example.com/tenants/a'],
      scopesSupported: ['files:read', 'files:write'],
      resourceName: 'Files',
      resourceDocumentation: 'https://docs.example.com/files',
      dpopSigningAlgValuesSupported: ['ES256'],
      dpopBoundAccessTokensRequired: false,
    }),
  );

  it('answers GET with the document: resource as configured, header bearer method, the given members', async () => {
    const res = await request(app).get(PATH);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.text).toBe(
      JSON.stringify({
        resource: 'https://mcp.example.com/mcp',
        authorization_servers: ['https://login.example.com', 'https://login.example.com/tenants/a'],
        scopes_supported: ['files:read', 'files:write'],
        bearer_methods_supported: ['header'],
        resource_name: 'Files',
        resource_documentation: 'https://docs.example.com/files',
        dpop_signing_alg_values_supported: ['ES256'],
        dpop_bound_access_tokens_required: false,
      }),
    );
  });

  it('answers GET with a query string, which it ignores', async () => {
    expect((await request(app).get(`${PATH}?x=1`)).status).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const get = await request(app).get(PATH);
    const head = await request(app).head(PATH);
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
    expect(head.headers['content-type']).toBe('application/json');
    expect(head.text ?? '').toBe('');
  });

  it('answers a CORS preflight with 204, the methods, and the requested headers', async () => {
    const res = await request(app)
      .options(PATH)
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'GET')
      .set('Access-Control-Request-Headers', 'mcp-protocol-version, x-trace');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(res.headers['access-control-allow-headers']).toBe('mcp-protocol-version, x-trace');
    expect(res.headers['access-control-max-age']).toBe('86400');
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
  });

  it('does not echo requested headers that are not a list of header names', async () => {
    const res = await request(app).options(PATH).set('Access-Control-Request-Headers', 'x-a, <script>');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-headers']).toBeUndefined();
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s with 405 and Allow', async (method) => {
    const res = await request(app)[method.toLowerCase() as 'post'](PATH).send('x');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD, OPTIONS');
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it.each([
    '/',
    '/mcp',
    '/.well-known/oauth-protected-resource',
    '/.well-known/oauth-protected-resource/mcp/',
    '/.well-known/oauth-protected-resource/mcp/x',
    '/.well-known/oauth-protected-resource/mcp2',
    '/.well-known/oauth-protected-resource/MCP',
    '/.well-known/oauth-authorization-server',
  ])('lets GET %s fall through', async (path) => {
    const res = await request(app).get(path);
    expect(res.status).toBe(404);
    expect(res.text).toBe('fell through');
  });

  it('lets other methods on other paths fall through', async () => {
    expect((await request(app).post('/mcp').send('x')).text).toBe('fell through');
  });
});

describe('protectedResourceMetadata() locations', () => {
  const served = async (options: ProtectedResourceMetadataOptions, path: string): Promise<number> =>
    (await request(BUILDS[0]![1](protectedResourceMetadata(options))).get(path)).status;

  it('serves a resource without a path at the root location', async () => {
    const options = { ...BASE, resource: 'https://mcp.example.com' };
    expect(await served(options, '/.well-known/oauth-protected-resource')).toBe(200);
    expect(await served({ ...options, resource: 'https://mcp.example.com/' }, '/.well-known/oauth-protected-resource')).toBe(200);
  });

  it('also serves at the root location with serveAtRoot', async () => {
    expect(await served({ ...BASE, serveAtRoot: true }, '/.well-known/oauth-protected-resource')).toBe(200);
    expect(await served({ ...BASE, serveAtRoot: true }, PATH)).toBe(200);
  });

  it('serves at the path of resourceMetadataUrl instead, when given', async () => {
    const options = { ...BASE, resourceMetadataUrl: 'https://mcp.example.com/meta/prm.json' };
    expect(await served(options, '/meta/prm.json')).toBe(200);
    expect(await served(options, PATH)).toBe(404);
  });

  it('keeps the resource exactly as configured in the document', async () => {
    const app = BUILDS[0]![1](protectedResourceMetadata({ ...BASE, resource: 'https://MCP.example.com:443/mcp/' }));
    const res = await request(app).get('/.well-known/oauth-protected-resource/mcp/');
    expect(res.body.resource).toBe('https://MCP.example.com:443/mcp/');
  });

  it('takes each member under its RFC 9728 name too, and serves signed_metadata as given', async () => {
    const signed = 'eyJhbGciOiJFUzI1NiJ9.eyJyZXNvdXJjZSI6Imh0dHBzOi8vbWNwLmV4YW1wbGUuY29tL21jcCJ9.c2ln';
    const options: Rfc9728MetadataOptions = {
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://login.example.com'],
      scopes_supported: ['files:read'],
      resource_name: 'Files',
      signed_metadata: signed,
    };
    const res = await request(BUILDS[0]![1](protectedResourceMetadata(options))).get(PATH);
    expect(res.body).toEqual({
      resource: 'https://mcp.example.com/mcp',
      authorization_servers: ['https://login.example.com'],
      scopes_supported: ['files:read'],
      bearer_methods_supported: ['header'],
      resource_name: 'Files',
      signed_metadata: signed,
    });
  });

  it('serves the bearer methods given', async () => {
    const app = BUILDS[0]![1](protectedResourceMetadata({ ...BASE, bearerMethodsSupported: ['header', 'body'] }));
    expect((await request(app).get(PATH)).body.bearer_methods_supported).toEqual(['header', 'body']);
  });
});

describe('protectedResourceMetadata() option validation', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['no resource', { resource: undefined }, 'resource'],
    ['a plain-http resource', { resource: 'http://mcp.example.com/mcp' }, 'resource'],
    ['a resource with a query', { resource: 'https://mcp.example.com/mcp?x' }, 'resource'],
    ['a resource with a fragment', { resource: 'https://mcp.example.com/mcp#x' }, 'resource'],
    ['no authorization servers', { authorizationServers: undefined }, 'authorizationServers'],
    ['an empty authorization server list', { authorizationServers: [] }, 'authorizationServers'],
    ['a string for authorization servers', { authorizationServers: 'https://login.example.com' }, 'authorizationServers'],
    ['an authorization server with a query', { authorizationServers: ['https://login.example.com/?x=1'] }, 'authorizationServers'],
    ['a plain-http authorization server', { authorizationServers: ['http://login.example.com'] }, 'authorizationServers'],
    ['a spaced scope', { scopesSupported: ['files read'] }, 'scopesSupported'],
    ['a scope list that is a string', { scopesSupported: 'files:read' }, 'scopesSupported'],
    ['an unknown bearer method', { bearerMethodsSupported: ['cookie'] }, 'bearerMethodsSupported'],
    ['a relative documentation URL', { resourceDocumentation: '/docs' }, 'resourceDocumentation'],
    ['a javascript: policy URL', { resourcePolicyUri: 'javascript:alert(1)' }, 'resourcePolicyUri'],
    ['a plain-http jwksUri', { jwksUri: 'http://mcp.example.com/jwks' }, 'jwksUri'],
    ['"none" as a signing algorithm', { resourceSigningAlgValuesSupported: ['none'] }, 'resourceSigningAlgValuesSupported'],
    ['an empty DPoP algorithm list', { dpopSigningAlgValuesSupported: [] }, 'dpopSigningAlgValuesSupported'],
    ['a non-boolean DPoP requirement', { dpopBoundAccessTokensRequired: 'yes' }, 'dpopBoundAccessTokensRequired'],
    ['a resource name with a newline', { resourceName: 'Files\nSet-Cookie: x' }, 'resourceName'],
    ['a metadata URL with a query', { resourceMetadataUrl: 'https://mcp.example.com/prm?x=1' }, 'resourceMetadataUrl'],
    ['a non-boolean serveAtRoot', { serveAtRoot: 1 }, 'serveAtRoot'],
    ['an unknown option', { scopes: ['files:read'] }, 'scopes'],
    ['a member under both its names', { resource_name: 'Files', resourceName: 'Files' }, 'resource_name'],
    ['signed metadata that is not a JWT', { signedMetadata: '{"resource":"x"}' }, 'signedMetadata'],
    ['an invalid member under its RFC name', { scopes_supported: ['files read'] }, 'scopesSupported'],
  ])('throws a TypeError naming the option for %s', (_name, patch, named) => {
    const options: Record<string, unknown> = { ...BASE, ...patch };
    for (const [name, value] of Object.entries(patch)) if (value === undefined) delete options[name];
    expect(() => protectedResourceMetadata(options as never)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(`protectedResourceMetadata() option "${named}"`) }),
    );
  });

  it('throws a TypeError for options that are not an object', () => {
    expect(() => protectedResourceMetadata(null as never)).toThrow(TypeError);
    expect(() => protectedResourceMetadata(undefined as never)).toThrow(TypeError);
  });
});
