/**
 * The spelling a resource identifier and a token's `aud` are compared in (RFC 3986 §6.2.2, §6.2.3, plus the
 * one trailing-slash rule), and the audience check with a configured resource.
 */
import { describe, expect, it } from 'vitest';
import { checkAudience } from '../../../src/verify/claims/check-audience.js';
import type { ClaimPolicy } from '../../../src/verify/claims/claim-policy.js';
import { normalizeResourceUri } from '../../../src/verify/claims/resource-uri.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

const RESOURCE = 'https://mcp.example.com/mcp';

describe('normalizeResourceUri()', () => {
  it.each([
    ['https://mcp.example.com/mcp', RESOURCE],
    ['HTTPS://MCP.EXAMPLE.COM/mcp', RESOURCE],
    ['https://mcp.example.com:443/mcp', RESOURCE],
    ['https://mcp.example.com/mcp/', RESOURCE],
    ['https://mcp.example.com/a/../mcp', RESOURCE],
    ['https://mcp.example.com/./mcp', RESOURCE],
    ['https://mcp.example.com/%6Dcp', RESOURCE],
    ['https://mcp.example.com/m%63p/', RESOURCE],
    ['http://mcp.example.com:80/mcp', 'http://mcp.example.com/mcp'],
    ['https://mcp.example.com', 'https://mcp.example.com/'],
    ['https://mcp.example.com/', 'https://mcp.example.com/'],
    ['https://mcp.example.com/a%2fb', 'https://mcp.example.com/a%2Fb'],
    ['https://mcp.example.com/~x', 'https://mcp.example.com/~x'],
    ['https://[::1]:8443/mcp', 'https://[::1]:8443/mcp'],
  ])('spells %s as %s', (value, expected) => {
    expect(normalizeResourceUri(value)).toBe(expected);
  });

  it.each([
    ['https://mcp.example.com/mcp//', 'https://mcp.example.com/mcp/'],
    ['https://mcp.example.com/MCP', 'https://mcp.example.com/MCP'],
    ['https://mcp.example.com/mcp?', 'https://mcp.example.com/mcp?'],
    ['https://mcp.example.com/mcp#', 'https://mcp.example.com/mcp#'],
    ['https://mcp.example.com/mcp?x=1', 'https://mcp.example.com/mcp?x=1'],
    ['https://user@mcp.example.com/mcp', 'https://user@mcp.example.com/mcp'],
    ['https://mcp.example.com:8443/mcp', 'https://mcp.example.com:8443/mcp'],
  ])('keeps what makes %s another resource', (value, expected) => {
    expect(normalizeResourceUri(value)).toBe(expected);
    expect(normalizeResourceUri(value)).not.toBe(RESOURCE);
  });

  it.each([undefined, 42, '', 'mcp.example.com/mcp', 'urn:example:mcp', 'api://mcp', 'ftp://mcp.example.com/mcp', `https://x/${'a'.repeat(2048)}`])(
    'gives undefined for %j',
    (value) => {
      expect(normalizeResourceUri(value)).toBeUndefined();
    },
  );
});

describe('checkAudience() with a resource', () => {
  const policy = (audiences: string[], resource: string | undefined = normalizeResourceUri(RESOURCE)): ClaimPolicy => ({
    toleranceSec: 60,
    maxTokenAgeSec: undefined,
    audiences: new Set(audiences),
    resource,
    audienceClaim: 'aud',
    requiredClaims: [],
    accessTokenClaims: false,
  });

  const reason = (aud: unknown, given: ClaimPolicy): string | undefined => {
    try {
      checkAudience({ aud } as never, given);
      return undefined;
    } catch (error) {
      if (error instanceof TokenRejection) return error.reason;
      throw error;
    }
  };

  it('accepts an aud naming the resource in another spelling, alone or among others', () => {
    expect(reason('HTTPS://mcp.example.com:443/mcp/', policy([RESOURCE]))).toBeUndefined();
    expect(reason(['api://other', 'https://MCP.example.com/mcp'], policy([RESOURCE]))).toBeUndefined();
  });

  it('returns the aud values as they are', () => {
    expect(checkAudience({ aud: ['api://other', 'https://MCP.example.com/mcp/'] }, policy([RESOURCE]))).toEqual([
      'api://other',
      'https://MCP.example.com/mcp/',
    ]);
  });

  it.each([
    'https://mcp.example.com/',
    'https://mcp.example.com/mcp2',
    'https://mcp.example.com/mcp/x',
    'https://mcp.example.com/mcp//',
    'https://other.example.com/mcp',
    'http://mcp.example.com/mcp',
    'https://mcp.example.com:8443/mcp',
    'https://mcp.example.com/mcp?x=1',
    'https://mcp.example.com/mcp#frag',
  ])('refuses %s as audience_mismatch', (aud) => {
    expect(reason(aud, policy([RESOURCE]))).toBe('audience_mismatch');
  });

  it('compares exactly when no resource is configured', () => {
    const exact: ClaimPolicy = { ...policy([RESOURCE]), resource: undefined };
    expect(reason('https://MCP.example.com/mcp', exact)).toBe('audience_mismatch');
    expect(reason(RESOURCE, exact)).toBeUndefined();
  });

  it('ignores aud members that are not strings', () => {
    expect(reason([42, { href: RESOURCE }, null], policy([RESOURCE]))).toBe('audience_mismatch');
  });
});
