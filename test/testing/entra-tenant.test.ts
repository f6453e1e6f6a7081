/**
 * Entra tenant mode of the test issuer over real HTTPS on 127.0.0.1: Entra's URL layout, its metadata and
 * keys, its client credentials answers and token claims, certificate assertions, and verifier options that
 * are `entraId()`'s. (MSAL itself against this mode: entra-msal-example.test.ts.)
 */
import { X509Certificate } from 'node:crypto';
import { get } from 'node:https';
import { decodeJwt, decodeProtectedHeader, importPKCS8, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, entraId, isAuthError } from '../../src/index.js';
import { JWT_BEARER_ASSERTION } from '../../src/testing/client-auth.js';
import { createClientCertificate, createTestIssuer, type TestClientCertificate, type TestIssuer } from '../../src/testing/index.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const API = '6e3f0a52-9a4c-4d1e-8f0b-1c2d3e4f5a6b';
const DAEMON = '0b8f6a3e-3c3d-4f0e-9a63-7d1a2b3c4d5e';
const SIGNER = '4c1d9e7a-2b6f-4a8e-9d3c-5f7a1b2c3d4e';
const ENTRA_ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;

let issuer: TestIssuer;
let certificate: TestClientCertificate;

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function post(params: Record<string, string>): Promise<Answer> {
  const res = await issuer.fetch(issuer.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const secretRequest = (scope: string | undefined): Record<string, string> => ({
  grant_type: 'client_credentials',
  client_id: DAEMON,
  client_secret: 'daemon-secret',
  ...(scope === undefined ? {} : { scope }),
});

/** A client assertion signed with the certificate's key, named by its SHA-256 thumbprint as MSAL does. */
async function certificateAssertion(claims: JWTPayload = {}, thumbprint = certificate.thumbprintSha256): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const key = await importPKCS8(certificate.privateKey, 'PS256');
  return new SignJWT({ iss: SIGNER, sub: SIGNER, aud: issuer.tokenEndpoint, nbf: now, exp: now + 600, jti: crypto.randomUUID(), ...claims })
    .setProtectedHeader({ alg: 'PS256', typ: 'JWT', 'x5t#S256': Buffer.from(thumbprint, 'hex').toString('base64url') })
    .sign(key);
}

const assertionRequest = (assertion: string): Record<string, string> => ({
  grant_type: 'client_credentials',
  client_id: SIGNER,
  client_assertion_type: JWT_BEARER_ASSERTION,
  client_assertion: assertion,
  scope: `api://${API}/.default`,
});

beforeAll(async () => {
  certificate = await createClientCertificate();
  issuer = await createTestIssuer({
    entra: { tenantId: TENANT.toUpperCase(), clientId: API },
    https: true,
    tokenLifetime: 1800,
    clients: [
      { clientId: DAEMON, clientSecret: 'daemon-secret', roles: ['Receipts.Read.All', 'Receipts.Write.All'] },
      { clientId: SIGNER, jwks: certificate.jwks },
    ],
  });
});
afterAll(() => issuer.close());

describe('the Entra URL layout', () => {
  it('names the authority, its endpoints and the Entra issuers after the tenant (lower-cased)', () => {
    const origin = new URL(issuer.url).origin;
    expect(origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(issuer.url).toBe(`${origin}/${TENANT}/v2.0`);
    expect(issuer.tokenEndpoint).toBe(`${origin}/${TENANT}/oauth2/v2.0/token`);
    expect(issuer.jwksUri).toBe(`${origin}/${TENANT}/discovery/v2.0/keys`);
    expect(issuer.audience).toBe(API);
    expect(issuer.tenantId).toBe(TENANT);
    expect(issuer.entra).toMatchObject({
      tenantId: TENANT,
      clientId: API,
      appIdUri: `api://${API}`,
      authority: `${origin}/${TENANT}`,
      issuer: ENTRA_ISSUER,
      v1Issuer: `https://sts.windows.net/${TENANT}/`,
      scope: `api://${API}/.default`,
    });
  });

  it("serves Entra's OpenID configuration: Entra's issuer, the local endpoints", async () => {
    const res = await issuer.fetch(`${issuer.url}/.well-known/openid-configuration`, {});
    expect(res.status).toBe(200);
    const metadata = (await res.json()) as Record<string, unknown>;
    expect(metadata).toEqual(issuer.entra!.metadata);
    expect(metadata).toMatchObject({
      issuer: ENTRA_ISSUER,
      token_endpoint: issuer.tokenEndpoint,
      jwks_uri: issuer.jwksUri,
      authorization_endpoint: `${issuer.entra!.authority}/oauth2/v2.0/authorize`,
      grant_types_supported: ['client_credentials'],
    });
  });

  it("publishes its keys with Entra's issuer member", async () => {
    const res = await issuer.fetch(issuer.jwksUri, {});
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatchObject({ kid: issuer.signingKid, issuer: ENTRA_ISSUER, use: 'sig' });
    expect(issuer.jwks).toEqual({ keys });
  });

  it('answers no plain-layout path, and refuses every authorization request', async () => {
    for (const path of ['/jwks', '/token', '/.well-known/openid-configuration']) {
      expect((await issuer.fetch(`${issuer.entra!.authority.replace(/\/[^/]+$/, '')}${path}`, {})).status).toBe(404);
    }
    const authorize = await issuer.fetch(`${issuer.entra!.authority}/oauth2/v2.0/authorize?client_id=${DAEMON}`, {});
    expect(authorize.status).toBe(400);
    expect(((await authorize.json()) as { error: string }).error).toBe('unsupported_response_type');
  });
});

describe("Entra's client credentials grant", () => {
  it('issues a v2.0 app-only token for <App ID URI>/.default, with the client roles, as Entra answers', async () => {
    const answer = await post(secretRequest(`api://${API}/.default`));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ token_type: 'Bearer', expires_in: 1800, ext_expires_in: 1800, access_token: expect.any(String) });
    const token = answer.body.access_token as string;
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'RS256', kid: issuer.signingKid, typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: ENTRA_ISSUER,
      aud: API,
      azp: DAEMON,
      azpacr: '1',
      tid: TENANT,
      roles: ['Receipts.Read.All', 'Receipts.Write.All'],
      idtyp: 'app',
      ver: '2.0',
      oid: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(claims.sub).toBe(claims.oid);
    expect(claims).not.toHaveProperty('scp');
    expect(claims).not.toHaveProperty('scope');
    expect(claims.exp! - claims.iat!).toBe(1800);
  });

  it.each([`${API}/.default`, `API://${API.toUpperCase()}/.default`])('accepts the API named as %s', async (scope) => {
    expect((await post(secretRequest(scope))).status).toBe(200);
  });

  it.each([
    [undefined, 'invalid_request'],
    ['Receipts.Read.All', 'invalid_scope'],
    [`api://${API}/.default openid`, 'invalid_scope'],
    ['https://graph.microsoft.com/.default', 'invalid_scope'],
  ])('refuses the scope %j with %s', async (scope, error) => {
    const answer = await post(secretRequest(scope));
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe(error);
  });

  it('authenticates a certificate assertion addressed to the token URL, named by x5t#S256, and says azpacr 2', async () => {
    const answer = await post(assertionRequest(await certificateAssertion()));
    expect(answer.status).toBe(200);
    const claims = decodeJwt(answer.body.access_token as string);
    expect(claims).toMatchObject({ azp: SIGNER, azpacr: '2', aud: API });
    expect(claims).not.toHaveProperty('roles');
  });

  it('accepts the same assertion again until it expires, as Entra does', async () => {
    const assertion = await certificateAssertion();
    expect((await post(assertionRequest(assertion))).status).toBe(200);
    expect((await post(assertionRequest(assertion))).status).toBe(200);
  });

  it.each([
    ['addressed to the origin only', () => certificateAssertion({ aud: new URL(issuer.url).origin })],
    ['named by an unknown thumbprint', () => certificateAssertion({}, 'ab'.repeat(32))],
  ])('refuses an assertion %s with 401 invalid_client', async (_name, make) => {
    const answer = await post(assertionRequest(await make()));
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('invalid_client');
  });

  it('refuses to register scopes for a client: Entra gives daemons app roles', async () => {
    expect(() => issuer.addClient({ clientId: 'x', clientSecret: 's', scopes: ['receipts.read'] })).toThrow(
      new TypeError('bearer-guard: addClient() option "scopes" has no use in Entra tenant mode: app-only tokens carry application permissions as "roles"'),
    );
  });
});

describe('verifier options for the tenant', () => {
  it("are entraId()'s for the tenant, with the keys fetched from the issuer over its CA", () => {
    const options = issuer.verifierOptions();
    expect(options).toEqual({
      ...entraId({ tenantId: TENANT, clientId: API }),
      jwksUri: issuer.jwksUri,
      keys: { fetch: issuer.fetch },
    });
  });

  it('accept issued and minted v2.0 and v1.0 tokens, and refuse another tenant', async () => {
    const verifier = createVerifier(issuer.verifierOptions());
    const issued = (await post(secretRequest(`api://${API}/.default`))).body.access_token as string;
    await expect(verifier.verify(issued)).resolves.toMatchObject({ clientId: DAEMON, tenantId: TENANT, isAppOnly: true });
    const v2 = await issuer.sign({ roles: ['Receipts.Read.All'] }, { clientId: DAEMON });
    expect(decodeJwt(v2)).toMatchObject({ iss: ENTRA_ISSUER, aud: API, ver: '2.0' });
    await expect(verifier.verify(v2)).resolves.toMatchObject({ roles: ['Receipts.Read.All'] });
    const v1 = await issuer.sign({}, { preset: 'entra-v1', clientId: DAEMON });
    expect(decodeJwt(v1)).toMatchObject({ iss: `https://sts.windows.net/${TENANT}/`, aud: `api://${API}`, appid: DAEMON });
    await expect(verifier.verify(v1)).resolves.toMatchObject({ clientId: DAEMON });
    const other = '00000000-0000-4000-8000-000000000000';
    const foreign = await issuer.sign({ iss: `https://login.microsoftonline.com/${other}/v2.0`, tid: other });
    const refusal = await verifier.verify(foreign).then(() => undefined, (error: unknown) => error);
    expect(isAuthError(refusal) && [refusal.status, refusal.reason]).toEqual([401, 'tenant_not_allowed']);
  });
});

describe('your own entraId() options with the test issuer', () => {
  it('work when only the keys come from the test issuer', async () => {
    const verifier = createVerifier({
      ...entraId({ tenantId: TENANT, clientId: API, allowedClientIds: [DAEMON] }),
      jwksUri: issuer.jwksUri,
      keys: { fetch: issuer.fetch },
    });
    await expect(verifier.verify(await issuer.sign({}, { clientId: DAEMON }))).resolves.toMatchObject({ clientId: DAEMON });
    const refusal = await verifier.verify(await issuer.sign({}, { clientId: SIGNER })).then(() => undefined, (error: unknown) => error);
    expect(isAuthError(refusal) && [refusal.status, refusal.reason]).toEqual([401, 'client_not_allowed']);
  });
});

describe('HTTPS under an in-memory certificate authority', () => {
  it('presents a certificate for the loopback names that the CA issued', async () => {
    const ca = new X509Certificate(issuer.caCertificate!);
    expect(ca.ca).toBe(true);
    const served = await new Promise<X509Certificate>((resolve, reject) => {
      get(issuer.jwksUri, { ca: issuer.caCertificate }, (res) => {
        res.resume();
        resolve(new X509Certificate((res.socket as import('node:tls').TLSSocket).getPeerX509Certificate()!.raw));
      }).on('error', reject);
    });
    expect(served.ca).toBe(false);
    expect(served.checkIssued(ca)).toBe(true);
    expect(served.verify(ca.publicKey)).toBe(true);
    expect(served.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  });

  it('is not trusted without the CA: the global fetch fails on the certificate', async () => {
    const failure = await fetch(issuer.jwksUri).then(() => undefined, (error: unknown) => error);
    expect((failure as { cause?: { code?: string } }).cause?.code).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });

  it('has no CA over plain HTTP, where its fetch is the global one', async () => {
    const plain = await createTestIssuer();
    try {
      expect(plain.caCertificate).toBeUndefined();
      expect(plain.fetch).toBe(globalThis.fetch);
      expect(plain.url).toMatch(/^http:\/\//);
      expect(plain.entra).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});
