/**
 * toMcpAuthInfo(auth): a verified identity in the MCP SDK's `AuthInfo` shape (seconds, a URL, the effective
 * scopes, the rest under `extra`), with tokens minted by the test issuer and verified for real.
 */
import type { AuthInfo as SdkAuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, toMcpAuthInfo, type AuthInfo } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

const RESOURCE = 'https://mcp.example.com/mcp';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: RESOURCE });
});
afterAll(async () => {
  await issuer.close();
});

describe('toMcpAuthInfo()', () => {
  it('converts an identity of a verifier with a resource and a scope hierarchy', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2031-05-01T10:00:00.000Z'));
    try {
      const verifier = createVerifier({ issuer: issuer.url, resource: RESOURCE, impliedScopes: { 'files:write': ['files:read'] } });
      const token = await issuer.sign({ scope: 'files:write', tid: 'tenant-1' }, { clientId: 'agent', expiresIn: 600 });
      const auth = await verifier.verify(token);
      const info = toMcpAuthInfo(auth);
      expect(info).toEqual({
        token,
        clientId: 'agent',
        scopes: ['files:write', 'files:read'],
        expiresAt: Date.parse('2031-05-01T10:10:00.000Z') / 1000,
        resource: new URL(RESOURCE),
        resourceMetadataUrl: 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp',
        extra: {
          issuer: issuer.url,
          subject: 'agent',
          tenantId: 'tenant-1',
          audience: [RESOURCE],
          roles: [],
          grantedScopes: ['files:write'],
          isAppOnly: true,
          claims: auth.payload,
        },
      });
      // The identity itself is untouched.
      expect(auth.scopes).toEqual(['files:write']);
      expect(auth.expiresAt).toBeInstanceOf(Date);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is assignable to the SDK\'s AuthInfo', async () => {
    const auth = await createVerifier({ issuer: issuer.url, resource: RESOURCE }).verify(await issuer.sign());
    const info: SdkAuthInfo = toMcpAuthInfo(auth);
    expect(info.resource?.href).toBe(RESOURCE);
  });

  it('leaves resource and resourceMetadataUrl out for a verifier without a resource', async () => {
    const auth = await createVerifier({ issuer: issuer.url, audience: RESOURCE }).verify(await issuer.sign({ scope: 'a b' }));
    const info = toMcpAuthInfo(auth);
    expect(info).not.toHaveProperty('resource');
    expect(info).not.toHaveProperty('resourceMetadataUrl');
    expect(info.scopes).toEqual(['a', 'b']);
  });

  it('gives an empty clientId when the token names no client, and no subject when it has none', async () => {
    const auth = await createVerifier({ issuer: issuer.url, audience: RESOURCE }).verify(
      await issuer.sign({ client_id: undefined, sub: undefined }),
    );
    const info = toMcpAuthInfo(auth);
    expect(info.clientId).toBe('');
    expect(info.extra).not.toHaveProperty('subject');
    expect(info.extra).not.toHaveProperty('tenantId');
  });

  it('returns a new object whose scopes can be changed without touching the identity', async () => {
    const auth = await createVerifier({ issuer: issuer.url, audience: RESOURCE }).verify(await issuer.sign({ scope: 'a' }));
    const first = toMcpAuthInfo(auth);
    first.scopes.push('b');
    expect(toMcpAuthInfo(auth).scopes).toEqual(['a']);
    expect(auth.scopes).toEqual(['a']);
  });

  it('converts an identity a custom verifier produced, without resource', () => {
    const auth = {
      token: 't',
      format: 'jws',
      header: {},
      payload: {},
      issuer: 'https://login.example.com',
      audience: [],
      scopes: ['x'],
      roles: ['R'],
      isAppOnly: false,
      expiresAt: new Date(1_900_000_000_500),
    } satisfies AuthInfo;
    expect(toMcpAuthInfo(auth)).toMatchObject({ token: 't', clientId: '', scopes: ['x'], expiresAt: 1_900_000_000 });
  });

  it("refuses a custom verifier's identity without a valid expiresAt with a TypeError that says so", () => {
    const auth = { token: 't', scopes: [], roles: [] } as unknown as AuthInfo;
    expect(() => toMcpAuthInfo(auth)).toThrow(new TypeError('bearer-guard: toMcpAuthInfo() argument "auth" must have expiresAt, a valid Date (a custom verifier must set it)'));
    expect(() => toMcpAuthInfo({ ...auth, expiresAt: new Date(Number.NaN) })).toThrow(TypeError);
  });
});
