/**
 * The verifier options of a protected resource: `resource`, `resourceMetadataUrl` (its RFC 9728 §3.1
 * default) and `impliedScopes` (validated, closed transitively, cycles refused), each checked at creation.
 */
import { describe, expect, it } from 'vitest';
import { authenticate, createVerifier } from '../../../src/index.js';
import { resolveImpliedScopes } from '../../../src/verify/config/implied-scopes.js';
import { resolveOptions } from '../../../src/verify/config/resolve-options.js';
import { resolveResource, toResourceMetadataUrl } from '../../../src/verify/config/resource-options.js';

const ISSUER = 'https://login.example.com/';
const RESOURCE = 'https://mcp.example.com/mcp';

function typeError(fn: () => unknown): TypeError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return error as TypeError;
  }
  throw new Error('expected a TypeError');
}

describe('the default resource metadata URL (RFC 9728 §3.1)', () => {
  it.each([
    ['https://mcp.example.com/mcp', 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'],
    ['https://mcp.example.com/tenants/a/mcp', 'https://mcp.example.com/.well-known/oauth-protected-resource/tenants/a/mcp'],
    ['https://mcp.example.com/mcp/', 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp/'],
    ['https://mcp.example.com', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
    ['https://mcp.example.com/', 'https://mcp.example.com/.well-known/oauth-protected-resource'],
    ['https://MCP.example.com:443/mcp', 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'],
    ['https://mcp.example.com:8443/mcp', 'https://mcp.example.com:8443/.well-known/oauth-protected-resource/mcp'],
    ['http://127.0.0.1:3000/mcp', 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp'],
  ])('inserts the well-known path into %s', (resource, expected) => {
    expect(toResourceMetadataUrl(new URL(resource))).toBe(expected);
    expect(resolveResource(resource, undefined)?.metadataUrl).toBe(expected);
  });

  it('keeps the resource as configured and its comparable spelling', () => {
    expect(resolveResource('https://MCP.example.com/mcp/', undefined)).toEqual({
      resource: 'https://MCP.example.com/mcp/',
      normalized: 'https://mcp.example.com/mcp',
      metadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp/',
    });
  });

  it('uses resourceMetadataUrl when given', () => {
    expect(resolveResource(RESOURCE, 'https://docs.example.com/prm.json')?.metadataUrl).toBe('https://docs.example.com/prm.json');
  });
});

describe('createVerifier() with a resource', () => {
  it('needs no audience, and accepts the resource in both spellings', () => {
    const config = resolveOptions({ issuer: ISSUER, resource: 'https://MCP.example.com/mcp/' }, ['generic']);
    expect([...config.claims.audiences]).toEqual(['https://MCP.example.com/mcp/', 'https://mcp.example.com/mcp']);
    expect(config.claims.resource).toBe('https://mcp.example.com/mcp');
    expect(config.authParams).toEqual([['resource_metadata', 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp/']]);
  });

  it('keeps the audiences given beside it', () => {
    const config = resolveOptions({ issuer: ISSUER, audience: 'api://files', resource: RESOURCE }, ['generic']);
    expect([...config.claims.audiences]).toEqual(['api://files', RESOURCE]);
  });

  it('adds no auth-param and no resource without one', () => {
    const config = resolveOptions({ issuer: ISSUER, audience: 'api://files' }, ['generic']);
    expect(config.authParams).toEqual([]);
    expect(config.resource).toBeUndefined();
    expect(config.claims.resource).toBeUndefined();
    expect(config.impliedScopes).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['neither audience nor resource', { audience: undefined }, 'audience', /is required \(or set "resource"\)/],
    ['a resource over plain http on a public host', { resource: 'http://mcp.example.com/mcp' }, 'resource', /https/],
    ['a relative resource', { resource: '/mcp' }, 'resource', /absolute URL/],
    ['a resource with a query', { resource: 'https://mcp.example.com/mcp?x=1' }, 'resource', /no query or fragment/],
    ['a resource with an empty query', { resource: 'https://mcp.example.com/mcp?' }, 'resource', /no query or fragment/],
    ['a resource with a fragment', { resource: 'https://mcp.example.com/mcp#x' }, 'resource', /fragment/],
    ['a resource with credentials', { resource: 'https://u:p@mcp.example.com/mcp' }, 'resource', /credentials/],
    ['an empty resource', { resource: '' }, 'resource', /non-empty string/],
    ['a resource list', { resource: [RESOURCE] }, 'resource', /non-empty string/],
    ['resourceMetadataUrl without resource', { resourceMetadataUrl: 'https://mcp.example.com/prm' }, 'resourceMetadataUrl', /needs "resource"/],
    ['a plain-http resourceMetadataUrl', { resource: RESOURCE, resourceMetadataUrl: 'http://mcp.example.com/prm' }, 'resourceMetadataUrl', /https/],
    ['a relative resourceMetadataUrl', { resource: RESOURCE, resourceMetadataUrl: '/prm' }, 'resourceMetadataUrl', /absolute URL/],
    ['a resource with audienceClaim client_id', { resource: RESOURCE, audienceClaim: 'client_id' }, 'resource', /client_id/],
    ['impliedScopes an array', { impliedScopes: [['a', 'b']] }, 'impliedScopes', /must map scope tokens/],
    ['impliedScopes a Map', { impliedScopes: new Map([['a', ['b']]]) }, 'impliedScopes', /must map scope tokens/],
    ['impliedScopes null', { impliedScopes: null }, 'impliedScopes', /must map scope tokens/],
    ['impliedScopes with a string value', { impliedScopes: { 'files:write': 'files:read' } }, 'impliedScopes.files:write', /non-empty array/],
    ['impliedScopes with an empty list', { impliedScopes: { 'files:write': [] } }, 'impliedScopes.files:write', /non-empty array/],
    ['impliedScopes with a spaced scope', { impliedScopes: { 'files:write': ['files:read files:list'] } }, 'impliedScopes.files:write', /scope tokens/],
    ['impliedScopes with a spaced key', { impliedScopes: { 'files write': ['files:read'] } }, 'impliedScopes', /must map scope tokens/],
    ['impliedScopes implying itself', { impliedScopes: { a: ['a'] } }, 'impliedScopes.a', /itself/],
    ['impliedScopes with a cycle', { impliedScopes: { a: ['b'], b: ['c'], c: ['a'] } }, 'impliedScopes', /a → b → c → a/],
  ])('throws a TypeError naming the option for %s', (_name, patch, named, message) => {
    const options = { issuer: ISSUER, audience: 'api://files', ...patch } as Record<string, unknown>;
    for (const [name, value] of Object.entries(patch)) if (value === undefined) delete options[name];
    for (const make of [() => createVerifier(options as never), () => authenticate(options as never)]) {
      const error = typeError(make);
      expect(error.message).toContain(`option "${named}"`);
      expect(error.message).toMatch(message);
    }
  });
});

describe('impliedScopes', () => {
  it('closes the hierarchy transitively, without repeats', () => {
    const closure = resolveImpliedScopes({
      'files:admin': ['files:write', 'files:delete'],
      'files:write': ['files:read'],
      'files:delete': ['files:read'],
    });
    expect(Object.fromEntries(closure!)).toEqual({
      'files:admin': ['files:write', 'files:read', 'files:delete'],
      'files:write': ['files:read'],
      'files:delete': ['files:read'],
    });
  });

  it('is undefined when absent or empty, so that guards compare exactly', () => {
    expect(resolveImpliedScopes(undefined)).toBeUndefined();
    expect(resolveImpliedScopes({})).toBeUndefined();
  });

  it('freezes what it returns', () => {
    expect(Object.isFrozen(resolveImpliedScopes({ a: ['b'] })!.get('a'))).toBe(true);
  });
});
