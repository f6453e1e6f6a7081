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
let blankIssuerKey: TestKey;
let numericIssuerKey: TestKey;
let commonKeys: IssuerServer;
let tenantKeys: IssuerServer;

beforeAll(async () => {
  key = await createTestKey('RS256');
  otherTenantKey = await createTestKey('RS256');
  blankIssuerKey = await createTestKey('RS256');
  numericIssuerKey = await createTestKey('RS256');
  commonKeys = await startIssuerServer({
    jwksPath: '/common/discovery/v2.0/keys',
    keys: [
      { ...key.jwk, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' } as JWK,
      { ...otherTenantKey.jwk, issuer: v2Issuer(TENANT_A) } as JWK,
      { ...blankIssuerKey.jwk, issuer: ' ' } as JWK,
      { ...numericIssuerKey.jwk, issuer: 42 } as unknown as JWK,
    ],
  });
  // A tenant's own key set: its keys carry only that tenant's v2.0 issuer.
  tenantKeys = await startIssuerServer({
    jwksPath: `/${TENANT_A}/discovery/v2.0/keys`,
    keys: [{ ...key.jwk, issuer: v2Issuer(TENANT_A) } as JWK],
  });
});

afterAll(() => Promise.all([commonKeys.close(), tenantKeys.close()]));

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

  it('keeps issuer_mismatch for a token of the configured tenant whose iss spells the GUID in upper case', async () => {
    const token = await signToken(key, appToken(v2Issuer(TENANT_A.toUpperCase()), TENANT_A));
    expect(await reasonOf(single(), token)).toBe('issuer_mismatch');
  });

  it('keeps issuer_mismatch for a v1.0 token of the tenant of a hand-written issuer lacking its trailing slash', async () => {
    const handWritten: VerifierOptions = {
      profile: 'entra',
      issuer: [`https://sts.windows.net/${TENANT_A}`, v2Issuer(TENANT_A)],
      audience: API,
      jwksUri: UNUSED_JWKS,
    };
    const ours = await signToken(key, appToken(v1Issuer(TENANT_A), TENANT_A, { ver: '1.0', appid: 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d' }));
    expect(await reasonOf(handWritten, ours)).toBe('issuer_mismatch');
    const theirs = await signToken(key, appToken(v1Issuer(TENANT_B), TENANT_B, { ver: '1.0' }));
    expect(await reasonOf(handWritten, theirs)).toBe('tenant_not_allowed');
  });

  it('keeps issuer_mismatch under a tenant template when only the spelling of the issuer differs', async () => {
    const multi = { ...entraId({ tenantId: 'organizations', clientId: API }), jwksUri: UNUSED_JWKS };
    const token = await signToken(key, appToken(`https://sts.windows.net/${TENANT_B}`, TENANT_B, { ver: '1.0' }));
    expect(await reasonOf(multi, token)).toBe('issuer_mismatch');
  });

  it('names tenant_not_allowed for an excluded tenant, compared case-insensitively, before any key is fetched', async () => {
    const options: VerifierOptions = {
      issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
      audience: API,
      jwksUri: UNUSED_JWKS,
      excludedTenants: [TENANT_B.toUpperCase()],
    };
    expect(await reasonOf(options, await signToken(key, appToken(v2Issuer(TENANT_B), TENANT_B)))).toBe('tenant_not_allowed');
    // Another tenant goes on to the key set, which nothing serves here.
    expect(await reasonOf(options, await signToken(key, appToken(v2Issuer(TENANT_A), TENANT_A)))).toBe('jwks_unavailable');
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

  /** A hand-written configuration without a profile: key issuers are still validated. */
  const generic = (): VerifierOptions => ({ issuer: v2Issuer(TENANT_A), audience: API, jwksUri: commonKeys.jwksUri });

  it('refuses with key_issuer_mismatch a token without tid signed by a key whose issuer is a template', async () => {
    const token = await signToken(key, appToken(v2Issuer(TENANT_A), undefined));
    expect(await reasonOf(generic(), token)).toBe('key_issuer_mismatch');
  });

  it('refuses with tenant_mismatch, under the Entra profile, a token of a single-tenant issuer without tid', async () => {
    const token = await signToken(otherTenantKey, appToken(v2Issuer(TENANT_A), undefined));
    expect(await reasonOf(single(), token)).toBe('tenant_mismatch');
  });

  it('accepts a token signed by a key whose issuer equals the token issuer, with or without tid', async () => {
    expect(await reasonOf(single(), await signToken(otherTenantKey, appToken(v2Issuer(TENANT_A), TENANT_A)))).toBe('accepted');
    expect(await reasonOf(generic(), await signToken(otherTenantKey, appToken(v2Issuer(TENANT_A), undefined)))).toBe('accepted');
  });

  it('refuses with key_issuer_mismatch every token signed by a key whose issuer is blank', async () => {
    const token = await signToken(blankIssuerKey, appToken(v2Issuer(TENANT_A), TENANT_A));
    expect(await reasonOf(single(), token)).toBe('key_issuer_mismatch');
    expect(await reasonOf(single({ validateKeyIssuer: false }), token)).toBe('accepted');
  });

  it('refuses with key_issuer_mismatch every token signed by a key whose issuer is not a string', async () => {
    const token = await signToken(numericIssuerKey, appToken(v2Issuer(TENANT_A), TENANT_A));
    expect(await reasonOf(single(), token)).toBe('key_issuer_mismatch');
    expect(await reasonOf(single({ validateKeyIssuer: false }), token)).toBe('accepted');
  });

  it('accepts, under a hand-written v1.0-only configuration, a v1.0 token signed by a key published for the v2.0 issuer of its tenant', async () => {
    const v1Only: VerifierOptions = { profile: 'entra', issuer: v1Issuer(TENANT_A), audience: API, jwksUri: tenantKeys.jwksUri };
    const v1 = (tid: string): JWTPayload => appToken(v1Issuer(tid), tid, { ver: '1.0', azp: undefined, appid: 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d' });
    expect(await reasonOf(v1Only, await signToken(key, v1(TENANT_A)))).toBe('accepted');
    // The same key does not vouch for another tenant's v1.0 issuer, even one that is configured.
    const twoTenants = { ...v1Only, issuer: [v1Issuer(TENANT_A), v1Issuer(TENANT_B)] };
    expect(await reasonOf(twoTenants, await signToken(key, v1(TENANT_B)))).toBe('key_issuer_mismatch');
  });

  it('does not pair a key published for a v2.0 issuer with the v1.0 issuer of another cloud', async () => {
    const chinaV1 = `https://sts.chinacloudapi.cn/${TENANT_A}/`;
    const options: VerifierOptions = { profile: 'entra', issuer: chinaV1, audience: API, jwksUri: tenantKeys.jwksUri };
    const token = await signToken(key, appToken(chinaV1, TENANT_A, { ver: '1.0' }));
    expect(await reasonOf(options, token)).toBe('key_issuer_mismatch');
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
