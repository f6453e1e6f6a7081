/**
 * The `fetch` of an HTTPS test issuer (`issuer.fetch`): TLS verified against the issuer's own CA, the
 * request members it honours, and bearer-guard's key fetches through it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ https: true, clients: [{ clientId: 'payment', clientSecret: 's', scopes: ['receipts.read'] }] });
});
afterAll(() => issuer.close());

describe('the fetch of an HTTPS test issuer', () => {
  it('reaches the issuer over verified TLS and returns a readable Response', async () => {
    const res = await issuer.fetch(issuer.jwksUri, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jwk-set+json');
    expect(await res.json()).toEqual(issuer.jwks);
  });

  it.each([
    ['URLSearchParams (content type set for it)', () => new URLSearchParams({ grant_type: 'client_credentials', client_id: 'payment', client_secret: 's' }), {}],
    ['bytes', () => new TextEncoder().encode('grant_type=client_credentials&client_id=payment&client_secret=s'), { 'content-type': 'application/x-www-form-urlencoded' }],
  ])('posts a body given as %s', async (_name, body, headers) => {
    const res = await issuer.fetch(issuer.tokenEndpoint, { method: 'POST', headers, body: body() });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', scope: 'receipts.read' });
  });

  it('refuses a body it cannot send, in the library\'s words', async () => {
    await expect(issuer.fetch(issuer.tokenEndpoint, { method: 'POST', body: new Blob(['x']) })).rejects.toThrow(
      new TypeError('bearer-guard: fetch() argument "init.body" must be a string, URLSearchParams or bytes'),
    );
  });

  it('gives a HEAD answer no body, and honours an aborted signal', async () => {
    const head = await issuer.fetch(issuer.jwksUri, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    await expect(issuer.fetch(issuer.jwksUri, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('carries bearer-guard key fetches: verifierOptions() passes it as keys.fetch', async () => {
    const options = issuer.verifierOptions();
    expect(options.keys?.fetch).toBe(issuer.fetch);
    await expect(createVerifier(options).verify(await issuer.sign({ scope: 'receipts.read' }))).resolves.toMatchObject({
      clientId: 'test-client',
      scopes: ['receipts.read'],
    });
  });

  it('without it, a verifier cannot fetch the keys: 503 with the TLS error as the cause', async () => {
    const options = issuer.verifierOptions();
    const verifier = createVerifier({ ...options, keys: { cooldownMs: 0, timeoutMs: 2000 } });
    const failure = await verifier.verify(await issuer.sign()).then(() => undefined, (error: unknown) => error);
    expect(failure).toMatchObject({ status: 503 });
    expect(String((failure as { cause?: { message?: string } }).cause?.message)).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
