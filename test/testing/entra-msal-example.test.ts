// The README quotes this file under "Testing an entraId() API", with the imports written as 'bearer-guard'
// and 'bearer-guard/testing'; test/readme.test.ts keeps the two identical.
import { ConfidentialClientApplication, type Configuration, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { authenticate, authErrorHandler, getAuth, requireRoles } from '../../src/index.js';
import { createClientCertificate, createTestIssuer, type TestClientCertificate, type TestIssuer } from '../../src/testing/index.js';

const API = '6e3f0a52-9a4c-4d1e-8f0b-1c2d3e4f5a6b'; // the API's application (client) id, as given to entraId()
const DAEMON = '0b8f6a3e-3c3d-4f0e-9a63-7d1a2b3c4d5e'; // a caller with a client secret
const SIGNER = '4c1d9e7a-2b6f-4a8e-9d3c-5f7a1b2c3d4e'; // a caller with a certificate

let issuer: TestIssuer;
let certificate: TestClientCertificate;
let app: express.Express;
const requested: string[] = [];

beforeAll(async () => {
  certificate = await createClientCertificate();
  issuer = await createTestIssuer({
    entra: { clientId: API }, // add tenantId to use your own; a random tenant otherwise
    https: true, // MSAL only talks to an https authority
    clients: [
      { clientId: DAEMON, clientSecret: 'daemon-secret', roles: ['Receipts.Read.All'] },
      { clientId: SIGNER, jwks: certificate.jwks, roles: ['Receipts.Read.All', 'Receipts.Write.All'] },
    ],
  });
  app = express();
  app.use(authenticate(issuer.verifierOptions())); // entraId({ tenantId, clientId }), keys from the test issuer
  app.get('/receipts', requireRoles('Receipts.Read.All'), (req, res) => {
    const auth = getAuth(req);
    res.json({ caller: auth.clientId, roles: auth.roles, appOnly: auth.isAppOnly });
  });
  app.use(authErrorHandler());
});
afterAll(() => issuer.close());

/** MSAL's HTTP client over issuer.fetch, which trusts the issuer's in-memory CA (MSAL's own fetch does not). */
function networkClient(): INetworkModule {
  const send = async <T>(url: string, method: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    requested.push(url);
    const res = await issuer.fetch(url, { method, headers: options?.headers ?? {}, body: options?.body ?? null });
    return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as T };
  };
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'GET', options),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
  };
}

/** A daemon's MSAL client, pointed at the test issuer and nowhere else. */
function msal(credentials: Pick<Configuration['auth'], 'clientId' | 'clientSecret' | 'clientCertificate'>) {
  const { authority, metadata } = issuer.entra!;
  return new ConfidentialClientApplication({
    auth: {
      ...credentials,
      authority,
      knownAuthorities: [new URL(authority).host], // no instance discovery at login.microsoftonline.com
      authorityMetadata: JSON.stringify(metadata), // no metadata request either
    },
    system: { networkClient: networkClient() },
  });
}

async function callWith(client: ConfidentialClientApplication) {
  const result = await client.acquireTokenByClientCredential({ scopes: [issuer.entra!.scope] }); // api://<API>/.default
  return request(app).get('/receipts').auth(result!.accessToken, { type: 'bearer' });
}

it('answers 200 to a token MSAL got with a client secret', async () => {
  const res = await callWith(msal({ clientId: DAEMON, clientSecret: 'daemon-secret' }));
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ caller: DAEMON, roles: ['Receipts.Read.All'], appOnly: true });
});

it('answers 200 to a token MSAL got with a certificate', async () => {
  const clientCertificate = { thumbprintSha256: certificate.thumbprintSha256, privateKey: certificate.privateKey };
  const res = await callWith(msal({ clientId: SIGNER, clientCertificate }));
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ caller: SIGNER, roles: ['Receipts.Read.All', 'Receipts.Write.All'], appOnly: true });
});

it('answers 403 when the app role is missing, and MSAL only ever called the test issuer', async () => {
  issuer.addClient({ clientId: 'a1b2c3d4-0000-4000-8000-000000000001', clientSecret: 'other-secret', roles: ['Other.Role'] });
  const res = await callWith(msal({ clientId: 'a1b2c3d4-0000-4000-8000-000000000001', clientSecret: 'other-secret' }));
  expect(res.status).toBe(403);
  expect(res.body).toEqual({ error: 'insufficient_scope', error_description: 'The access token lacks a required role' });
  expect(requested.length).toBeGreaterThan(0);
  expect(requested.every((url) => url.startsWith(`${issuer.entra!.authority}/`))).toBe(true);
});
