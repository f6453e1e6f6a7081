/**
 * The web-standard entry on its own terms: `Request` objects in, an `AuthInfo` or a ready RFC 6750
 * `Response` out (the response table runs it over HTTP with every other framework, in
 * `test/responses.test.ts`). Keys are configured (`publicKeys`), so nothing here needs a network.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  authorize,
  createWebAuthenticator,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  MAX_FORM_BODY_BYTES,
  onVerifyEvent,
  requireRoles,
  requireScopes,
  toAuthResponse,
  type AuthInfo,
  type GuardHandle,
  type Verifier,
  type VerifyEvent,
} from '../../src/index.js';
import { requireScopes as fastifyRequireScopes } from '../../src/adapters/fastify/index.js';
import { createDpopKey } from '../../src/testing/index.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'api://receipts';
const URL_ = 'https://api.example.com/receipts/7';

let key: TestKey;
let authenticateRequest: ReturnType<typeof createWebAuthenticator>;
beforeAll(async () => {
  key = await createTestKey('ES256');
  authenticateRequest = createWebAuthenticator(
    { issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] },
    { tokenLocations: ['header', 'body'] },
  );
});

const token = (claims: Record<string, unknown> = {}) => signToken(key, { iss: ISSUER, aud: AUDIENCE, client_id: 'payments', ...claims });
const withBearer = async (claims: Record<string, unknown> = {}, init: RequestInit = {}) =>
  new Request(URL_, { ...init, headers: { authorization: `Bearer ${await token(claims)}`, ...(init.headers as Record<string, string>) } });

async function answerOf(result: AuthInfo | Response | undefined): Promise<{ status: number; challenge: string | null; body: unknown; headers: Headers }> {
  if (!(result instanceof Response)) throw new Error('expected a Response');
  return { status: result.status, challenge: result.headers.get('www-authenticate'), body: await result.json(), headers: result.headers };
}

describe('createWebAuthenticator()', () => {
  it('resolves to the identity of a valid token', async () => {
    const auth = await authenticateRequest(await withBearer());
    expect(auth).not.toBeInstanceOf(Response);
    expect((auth as AuthInfo).clientId).toBe('payments');
  });

  it('answers a request without credentials with a 401 Response: bare challenge, JSON body, no-store', async () => {
    const answer = await answerOf(await authenticateRequest(new Request(URL_)));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="api"');
    expect(answer.body).toEqual({ error: 'unauthorized', error_description: 'Authentication required' });
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('answers an expired token with 401 invalid_token', async () => {
    const expired = new Request(URL_, { headers: { authorization: `Bearer ${await signToken(key, { iss: ISSUER, aud: AUDIENCE }, { expiresIn: -3600 })}` } });
    const answer = await answerOf(await authenticateRequest(expired));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="api", error="invalid_token", error_description="The access token expired"');
    expect(answer.body).toEqual({ error: 'invalid_token', error_description: 'The access token expired' });
  });

  it('applies guards made for Express or Fastify alike: 403 with the scope challenge, or the identity', async () => {
    for (const guard of [requireScopes('receipts.read'), fastifyRequireScopes('receipts.read')] as GuardHandle[]) {
      const answer = await answerOf(await authenticateRequest(await withBearer({ scope: 'other' }), guard));
      expect(answer.status).toBe(403);
      expect(answer.challenge).toBe(
        'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.read"',
      );
      const auth = await authenticateRequest(await withBearer({ scope: 'receipts.read' }), guard);
      expect((auth as AuthInfo).scopes).toEqual(['receipts.read']);
    }
  });

  it('publishes outcomes with the method and the path, never the origin or the query', async () => {
    const events: VerifyEvent[] = [];
    const stop = onVerifyEvent((event) => events.push(event));
    try {
      await authenticateRequest(new Request(`${URL_}?x=1`));
      const expired = await signToken(key, { iss: ISSUER, aud: AUDIENCE }, { expiresIn: -3600 });
      await authenticateRequest(new Request(`${URL_}?x=1`, { headers: { authorization: `Bearer ${expired}` } }));
    } finally {
      stop();
    }
    expect(events).toEqual([
      { type: 'rejected', stage: 'credential', status: 401, reason: 'token_missing', method: 'GET', path: '/receipts/7' },
      { type: 'rejected', stage: 'claims', status: 401, reason: 'token_expired', method: 'GET', path: '/receipts/7' },
    ]);
  });

  it('rejects with the AuthError instead of answering it through check()', async () => {
    const error = await authenticateRequest.check(await withBearer({ aud: 'api://other' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect((error as InvalidTokenError).reason).toBe('audience_mismatch');
  });

  it('reads a form-body token from a clone, leaving the body to the application', async () => {
    const sent = await token();
    const req = new Request(URL_, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `note=paid&access_token=${sent}`,
    });
    const auth = await authenticateRequest(req);
    expect((auth as AuthInfo).clientId).toBe('payments');
    expect(await req.text()).toBe(`note=paid&access_token=${sent}`);
  });

  it(`does not search a form body larger than ${MAX_FORM_BODY_BYTES} bytes`, async () => {
    const body = `pad=${'x'.repeat(MAX_FORM_BODY_BYTES)}&access_token=${await token()}`;
    const req = new Request(URL_, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const answer = await answerOf(await authenticateRequest(req));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="api"');
    expect(await req.text()).toBe(body);
    const withHeader = await withBearer({}, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `pad=${'x'.repeat(MAX_FORM_BODY_BYTES)}` });
    expect((await authenticateRequest(withHeader)) as AuthInfo).toHaveProperty('clientId', 'payments');
  });

  it('reads Authorization lines joined by the Fetch API as several lines: 400 authorization_multiple', async () => {
    const headers = new Headers();
    headers.append('authorization', `Bearer ${await token()}`);
    headers.append('authorization', `Bearer ${await token()}`);
    const answer = await answerOf(await authenticateRequest(new Request(URL_, { headers })));
    expect(answer.status).toBe(400);
    expect(answer.challenge).toBe('Bearer realm="api", error="invalid_request", error_description="More than one Authorization header was sent"');
  });

  it('resolves to undefined without credentials when optional, and lets guards answer 401', async () => {
    const optional = createWebAuthenticator({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] }, { optional: true });
    expect(await optional(new Request(URL_))).toBeUndefined();
    const answer = await answerOf(await optional(new Request(URL_), requireRoles('Receipts.Admin')));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe('Bearer realm="api"');
    expect(((await optional(await withBearer())) as AuthInfo).clientId).toBe('payments');
  });

  it("answers a guard's 401 after optional authentication with the verifier's challenge (realm, resource_metadata)", async () => {
    const optional = createWebAuthenticator(
      { issuer: ISSUER, resource: 'https://api.example.com/mcp', publicKeys: [key.jwk], realm: 'receipts' },
      { optional: true },
    );
    const answer = await answerOf(await optional(new Request(URL_), requireScopes('receipts.read', { realm: 'other' })));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toBe(
      'Bearer realm="receipts", resource_metadata="https://api.example.com/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('checks a DPoP proof against the https URL the request was made to', async () => {
    const dpopKey = await createDpopKey();
    const dpop = createWebAuthenticator({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk], dpop: {} });
    const bound = await token({ cnf: dpopKey.cnf });
    const headers = await dpopKey.headers(bound, { method: 'GET', url: URL_ });
    expect(((await dpop(new Request(URL_, { headers }))) as AuthInfo).clientId).toBe('payments');
    const plainHttp = await dpopKey.headers(bound, { method: 'GET', url: URL_.replace('https:', 'http:') });
    const answer = await answerOf(await dpop(new Request(URL_, { headers: plainHttp })));
    expect(answer.status).toBe(401);
    expect(answer.challenge).toContain('error="invalid_dpop_proof"');
  });

  it("rejects with a custom verifier's fault instead of answering 401", async () => {
    const broken: Verifier = { verify: () => Promise.reject(new Error('database down')) };
    const web = createWebAuthenticator(broken);
    await expect(web(await withBearer())).rejects.toThrow('database down');
  });

  it('rejects with a TypeError for a guard that is not one', async () => {
    await expect(authenticateRequest(await withBearer(), (() => true) as unknown as GuardHandle)).rejects.toThrow(TypeError);
  });

  it('throws a TypeError naming an unknown option at creation', () => {
    expect(() => createWebAuthenticator({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] }, { optinal: true } as never)).toThrow(
      'bearer-guard: createWebAuthenticator() option "optinal" is not a known option',
    );
  });
});

describe('authorize()', () => {
  it('passes an identity with the grant, and answers 401 or 403 otherwise', async () => {
    const auth = (await authenticateRequest(await withBearer({ scope: 'receipts.read' }))) as AuthInfo;
    expect(authorize(auth, requireScopes('receipts.read'))).toBeUndefined();
    const forbidden = await answerOf(authorize(auth, requireScopes('receipts.write')));
    expect(forbidden.status).toBe(403);
    const forged = await answerOf(authorize({ scopes: ['receipts.read'], roles: [], token: 'x' }, requireScopes('receipts.read')));
    expect(forged.status).toBe(401);
    expect(forged.challenge).toBe('Bearer realm="api"');
  });

  it('throws the AuthError through authorize.check()', () => {
    let thrown: unknown;
    try {
      authorize.check(undefined, requireScopes('receipts.read'));
    } catch (error) {
      thrown = error;
    }
    expect(isAuthError(thrown) && thrown.reason).toBe('authentication_required');
  });
});

describe('toAuthResponse()', () => {
  it('answers 503 with Retry-After, no challenge, and the temporarily_unavailable body', async () => {
    const response = toAuthResponse(new KeysUnavailableError('jwks_unavailable', { retryAfterSeconds: 7 }));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await response.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'The token signing keys are temporarily unavailable',
    });
  });
});
