/**
 * The reasons the verifier gives for Entra-shaped tokens, driven through `createVerifier` directly: which
 * rejections get sharpened (Graph token, token version, tenant) and which stay as they are, and the edges
 * of signing-key issuer validation.
 */
import type { JWK, JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, entraId, type VerifierOptions } from '../../src/index.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const TENANT_A = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const TENANT_B = '2b7e9c41-6d3a-4f8e-a1c2-93d4e5f60718';
const API = '0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const GRAPH = '00000003-0000-0000-c000-000000000000';
/** A loopback URL nothing listens on: these rejections happen before any key is needed. */
const UNUSED_JWKS = 'http://127.0.0.1:9/keys';

const v2Issuer = (tid: string, host = 'login.microsoftonline.com'): string => `https://${host}/${tid}/v2.0`;
const v1Issuer = (tid: string): string => `https://sts.windows.net/${tid}/`;

let key: TestKey;
let otherTenantKey: TestKey;
let commonKeys: IssuerServer;

beforeAll(async () => {
  key = await createTestKey('RS256');
  otherTenantKey = await createTestKey('RS256');
  commonKeys = await startIssuerServer({
    jwksPath: '/common/discovery/v2.0/keys',
    keys: [
      { ...key.jwk, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' } as JWK,
      { ...otherTenantKey.jwk, issuer: v2Issuer(TENANT_A) } as JWK,
    ],
  });
});

afterAll(() => commonKeys.close());

function appToken(iss: string, tid: string | undefined, overrides: JWTPayload = {}): JWTPayload {
  return { aud: API, iss, azp: 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d', roles: ['Receipts.Read.All'], tid, ver: '2.0', ...overrides };
}

async function reasonOf(options: VerifierOptions, token: string): Promise<unknown> {
  try {
    await createVerifier(options).verify(token);
  } catch (error) {
    return (error as { reason?: unknown }).reason;
  }
  return 'accepted';
}

describe('Entra rejection reasons', () => {
  const single = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
    ...entraId({ tenantId: TENANT_A, clientId: API }),
    jwksUri: UNUSED_JWKS,
    ...extra,
  });

  it('keeps issuer_mismatch for a token of the same tenant from another cloud', async () => {
    const token = await signToken(key, appToken(v2Issuer(TENANT_A, 'login.microsoftonline.us'), TENANT_A));
    expect(await reasonOf(single(), token)).toBe('issuer_mismatch');
  });

  it('names token_version_mismatch for a v2.0 token sent to a v1.0-only configuration', async () => {
    const token = await signToken(key, appToken(v2Issuer(TENANT_A), TENANT_A));
    expect(await reasonOf(single({ issuer: v1Issuer(TENANT_A) }), token)).toBe('token_version_mismatch');
  });

  it('names tenant_not_allowed for a v1.0 token of another tenant', async () => {
    const token = await signToken(key, appToken(v1Issuer(TENANT_B), TENANT_B, { ver: '1.0' }));
    expect(await reasonOf(single(), token)).toBe('tenant_not_allowed');
  });

  it('keeps issuer_mismatch for Entra issuers it does not model (B2C, External ID)', async () => {
    const token = await signToken(key, appToken(`https://contoso.ciamlogin.com/${TENANT_A}/v2.0`, TENANT_A));
    expect(await reasonOf(single(), token)).toBe('issuer_mismatch');
  });

  it('names foreign_resource_token for a Graph token even when the verifier is not configured for Entra', async () => {
    const token = await signToken(key, appToken(v1Issuer(TENANT_A), TENANT_A, { aud: 'https://graph.microsoft.com', ver: '1.0' }));
    const generic: VerifierOptions = { issuer: 'https://id.example.com/', audience: 'receipts', jwksUri: UNUSED_JWKS };
    expect(await reasonOf(generic, token)).toBe('foreign_resource_token');
  });

  it('keeps issuer_mismatch for a non-Entra token sent to a generic verifier', async () => {
    const token = await signToken(key, { iss: 'https://other.example.com/', aud: GRAPH });
    const generic: VerifierOptions = { issuer: 'https://id.example.com/', audience: 'receipts', jwksUri: UNUSED_JWKS };
    expect(await reasonOf(generic, token)).toBe('issuer_mismatch');
  });

  it('leaves reasons unrelated to the issuer or audience as they are for a Graph token', async () => {
    const expired = await signToken(key, appToken(v2Issuer(TENANT_A), TENANT_A, { aud: GRAPH }), { expiresIn: -3600 });
    const options = { ...entraId({ tenantId: TENANT_A, clientId: API }), jwksUri: commonKeys.jwksUri };
    expect(await reasonOf(options, expired)).toBe('token_expired');
  });
});

describe('signing-key issuer validation', () => {
  const single = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
    ...entraId({ tenantId: TENANT_A, clientId: API }),
    jwksUri: commonKeys.jwksUri,
    ...extra,
  });
  const multi = (extra: Partial<VerifierOptions> = {}): VerifierOptions => ({
    ...entraId({ tenantId: 'organizations', clientId: API }),
    jwksUri: commonKeys.jwksUri,
    ...extra,
  });

  it('refuses with key_issuer_mismatch a token without tid signed by a key whose issuer is a template', async () => {
    const token = await signToken(key, appToken(v2Issuer(TENANT_A), undefined));
    expect(await reasonOf(single(), token)).toBe('key_issuer_mismatch');
  });

  it('accepts a token signed by a key whose issuer equals the token issuer, with or without tid', async () => {
    expect(await reasonOf(single(), await signToken(otherTenantKey, appToken(v2Issuer(TENANT_A), TENANT_A)))).toBe('accepted');
    expect(await reasonOf(single(), await signToken(otherTenantKey, appToken(v2Issuer(TENANT_A), undefined)))).toBe('accepted');
  });

  it('refuses a key of tenant A signing a token of tenant B even when both tenants are configured', async () => {
    const bothTenants = single({ issuer: [v2Issuer(TENANT_A), v2Issuer(TENANT_B)] });
    const token = await signToken(otherTenantKey, appToken(v2Issuer(TENANT_B), TENANT_B));
    expect(await reasonOf(bothTenants, token)).toBe('key_issuer_mismatch');
  });

  it('is turned off by validateKeyIssuer: false', async () => {
    const token = await signToken(otherTenantKey, appToken(v2Issuer(TENANT_B), TENANT_B));
    expect(await reasonOf(multi(), token)).toBe('key_issuer_mismatch');
    expect(await reasonOf(multi({ validateKeyIssuer: false }), token)).toBe('accepted');
  });

  it('substitutes the tid into a template key issuer literally, even one spelling a replacement pattern', async () => {
    const token = await signToken(key, appToken(v2Issuer('$&'), '$&'));
    expect(await reasonOf(single({ issuer: [v2Issuer('$&')] }), token)).toBe('accepted');
  });
});
