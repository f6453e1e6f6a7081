/**
 * A verifier with `resource`, over real HTTP on Express 5, Express 4 and Connect: every 401 and 403 carries
 * `resource_metadata` beside realm, error and scope; a token's `aud` names the resource in any spelling of
 * it but never a parent, sibling, sub-path or another host; `impliedScopes` lets a broader scope pass a
 * narrower guard, never the reverse, and a 403 names every required scope in one challenge.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  authErrorHandler,
  createVerifier,
  effectiveScopes,
  getAuth,
  hasScopes,
  hasScopesOrRoles,
  requireScopes,
  requireScopesOrRoles,
  type AuthRequest,
  type Middleware,
} from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';

const RESOURCE = 'https://mcp.example.com/mcp';
const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const RM = `resource_metadata="${METADATA}"`;
const IMPLIED = { 'files:admin': ['files:write', 'files:delete'], 'files:write': ['files:read'] };

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE });
});
afterAll(async () => {
  await issuer.close();
});

/** Answers with what `getAuth(req)` holds (a 401 through the error handler when nothing). */
const viaGetAuth: Middleware = (req: AuthRequest, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ clientId: getAuth(req).clientId }));
};

describe.each(FRAMEWORKS)('a verifier with a resource on $name', ({ build }) => {
  let app: Server;
  const token = (claims: Record<string, unknown> = {}, expiresIn?: number): Promise<string> =>
    issuer.sign(claims, expiresIn === undefined ? {} : { expiresIn });

  beforeAll(async () => {
    const verifier = createVerifier({ issuer: issuer.url, resource: RESOURCE, impliedScopes: IMPLIED, keys: { cooldownMs: 0 } });
    const auth = authenticate(verifier);
    const optional = authenticate(verifier, { optional: true });
    const custom = authenticate({
      issuer: issuer.url,
      resource: RESOURCE,
      resourceMetadataUrl: 'https://docs.example.com/prm.json',
      realm: 'files',
    });
    app = build(
      [
        { path: '/mcp', chain: [auth] },
        { path: '/read', chain: [auth, requireScopes('files:read')] },
        { path: '/write', chain: [auth, requireScopes('files:write')] },
        { path: '/read-and-delete', chain: [auth, requireScopes(['files:read', 'files:delete'])] },
        { path: '/either', chain: [auth, requireScopesOrRoles({ scopes: ['files:read'], roles: ['Files.Reader'] })] },
        { path: '/optional', chain: [optional, requireScopes('files:read')] },
        { path: '/optional-get-auth', chain: [optional, viaGetAuth] },
        { path: '/custom', chain: [custom, requireScopes('files:read')] },
        { path: '/query', chain: [authenticate(verifier, { tokenLocations: ['header', 'query'] })] },
      ],
      authErrorHandler(),
    );
  });

  describe('challenges', () => {
    it('answers 401 with realm and resource_metadata when no token is sent', async () => {
      const res = await request(app).get('/mcp');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", ${RM}`);
    });

    it('answers 401 with resource_metadata to another scheme', async () => {
      const res = await request(app).get('/mcp').set('Authorization', 'Basic dXNlcjpwdw==');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", ${RM}`);
    });

    it('answers 401 invalid_token with resource_metadata to an expired token', async () => {
      const res = await request(app).get('/mcp').set('Authorization', `Bearer ${await token({}, -300)}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="api", error="invalid_token", error_description="The access token expired", ${RM}`,
      );
    });

    it('answers 401 invalid_token with resource_metadata to a token for another resource', async () => {
      const res = await request(app).get('/mcp').set('Authorization', `Bearer ${await token({ aud: `${RESOURCE}2` })}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted", ${RM}`,
      );
    });

    it('answers 403 insufficient_scope with scope and resource_metadata', async () => {
      const res = await request(app).get('/write').set('Authorization', `Bearer ${await token({ scope: 'files:read' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", ' +
          `scope="files:write", ${RM}`,
      );
    });

    it('answers a request let on by optional authentication with the verifier\'s challenge', async () => {
      for (const path of ['/optional', '/optional-get-auth']) {
        const res = await request(app).get(path);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", ${RM}`);
      }
    });

    it('names the configured resourceMetadataUrl, in the verifier\'s realm', async () => {
      const missing = await request(app).get('/custom');
      expect(missing.headers['www-authenticate']).toBe('Bearer realm="files", resource_metadata="https://docs.example.com/prm.json"');
      const res = await request(app).get('/custom').set('Authorization', `Bearer ${await token({ scope: 'files:list' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="files", error="insufficient_scope", error_description="The access token lacks a required scope", ' +
          'scope="files:read", resource_metadata="https://docs.example.com/prm.json"',
      );
    });

    it('answers a malformed request 400 invalid_request without resource_metadata', async () => {
      const res = await request(app).get(`/query?access_token=a&access_token=b`);
      expect(res.status).toBe(400);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="invalid_request", error_description="The access token was sent in more than one way"',
      );
    });
  });

  describe('the resource as audience', () => {
    it.each([
      RESOURCE,
      `${RESOURCE}/`,
      'HTTPS://MCP.EXAMPLE.COM/mcp',
      'https://mcp.example.com:443/mcp',
      'https://mcp.example.com/x/../mcp',
      'https://mcp.example.com/%6dcp',
    ])('accepts a token whose aud is %s', async (aud) => {
      const res = await request(app).get('/mcp').set('Authorization', `Bearer ${await token({ aud: ['api://other', aud] })}`);
      expect(res.status).toBe(200);
    });

    it.each([
      'https://mcp.example.com',
      'https://mcp.example.com/',
      'https://mcp.example.com/mcp2',
      'https://mcp.example.com/mcp/x',
      'https://mcp.example.com/mcp//',
      'https://mcp.example.com/MCP',
      'https://other.example.com/mcp',
      'https://mcp.example.com.evil.example/mcp',
      'https://mcp.example.com:8443/mcp',
      'http://mcp.example.com/mcp',
      'https://mcp.example.com/mcp?x=1',
      'https://mcp.example.com/mcp#x',
      'https://user@mcp.example.com/mcp',
      'api://mcp',
    ])('refuses a token whose aud is %s (audience_mismatch)', async (aud) => {
      const res = await request(app).get('/mcp').set('Authorization', `Bearer ${await token({ aud })}`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted", ${RM}`,
      );
    });
  });

  describe('impliedScopes', () => {
    it('lets a files:write token through requireScopes("files:read")', async () => {
      const res = await request(app).get('/read').set('Authorization', `Bearer ${await token({ scope: 'files:write' })}`);
      expect(res.status).toBe(200);
      expect(res.body.scopes).toEqual(['files:write']);
    });

    it('lets a files:admin token through both, transitively', async () => {
      const admin = `Bearer ${await token({ scope: 'files:admin' })}`;
      expect((await request(app).get('/read').set('Authorization', admin)).status).toBe(200);
      expect((await request(app).get('/write').set('Authorization', admin)).status).toBe(200);
      expect((await request(app).get('/read-and-delete').set('Authorization', admin)).status).toBe(200);
    });

    it('never lets a files:read token through requireScopes("files:write")', async () => {
      const res = await request(app).get('/write').set('Authorization', `Bearer ${await token({ scope: 'files:read' })}`);
      expect(res.status).toBe(403);
    });

    it('lists every required scope in one challenge when several are missing', async () => {
      const res = await request(app).get('/read-and-delete').set('Authorization', `Bearer ${await token({ scope: 'files:list' })}`);
      expect(res.status).toBe(403);
      expect(res.headers['www-authenticate']).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", ' +
          `scope="files:read files:delete", ${RM}`,
      );
    });

    it('applies to the scopes of requireScopesOrRoles too', async () => {
      const res = await request(app).get('/either').set('Authorization', `Bearer ${await token({ scope: 'files:write' })}`);
      expect(res.status).toBe(200);
    });
  });
});

describe('hasScopes, hasScopesOrRoles and effectiveScopes with impliedScopes', () => {
  it('follow the hierarchy of the verifier that produced the identity, one way only', async () => {
    const verifier = createVerifier({ issuer: issuer.url, resource: RESOURCE, impliedScopes: IMPLIED });
    const writer = await verifier.verify(await issuer.sign({ scope: 'files:write' }));
    expect(writer.scopes).toEqual(['files:write']);
    expect(effectiveScopes(writer)).toEqual(['files:write', 'files:read']);
    expect(hasScopes(writer, ['files:write', 'files:read'])).toBe(true);
    expect(hasScopes(writer, 'files:delete')).toBe(false);
    expect(hasScopesOrRoles(writer, { scopes: ['files:read'] })).toBe(true);

    const reader = await verifier.verify(await issuer.sign({ scope: 'files:read' }));
    expect(effectiveScopes(reader)).toEqual(['files:read']);
    expect(hasScopes(reader, 'files:write')).toBe(false);
    expect(hasScopesOrRoles(reader, { scopes: ['files:write', 'files:admin'] })).toBe(false);
  });

  it('compare exactly for an identity of a verifier without a hierarchy', async () => {
    const verifier = createVerifier({ issuer: issuer.url, resource: RESOURCE });
    const writer = await verifier.verify(await issuer.sign({ scope: 'files:write' }));
    expect(effectiveScopes(writer)).toBe(writer.scopes);
    expect(hasScopes(writer, 'files:read')).toBe(false);
  });
});
