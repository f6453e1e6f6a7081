/**
 * The introspection stage over real HTTP: every behaviour row of an introspection answer (active, `exp`,
 * `iss`, `aud`, `nbf`, binding, required claims, caller lists) on Express 5, Express 4 and Connect; the
 * identity an answer becomes; outcome events; and tokens that are not JWTs without introspection.
 * (`tokens: 'all'`, JWTs confirmed active after their local verification: revocation.test.ts.)
 */
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  createVerifier,
  onVerifyEvent,
  requireScopes,
  type VerifierOptions,
  type VerifyEvent,
} from '../../../src/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { activeAnswer, startIntrospectionServer, type IntrospectionServer } from '../../helpers/introspection-server.js';

const SECRET = 'rs-secret-never-shown-0123456789';
const UNVERIFIED = 'The access token could not be verified';

let server: IntrospectionServer;
const answers = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  server = await startIntrospectionServer();
  server.answer = (form) => answers.get(form.get('token') ?? '') ?? { active: false };
});
afterAll(() => server.close());

/** A fresh Boruta-shaped token (86 URL-safe characters) whose introspection answer is `answer`. */
function opaqueToken(answer: Record<string, unknown>): string {
  const token = randomBytes(64).toString('base64url');
  answers.set(token, answer);
  return token;
}

function options(extra: Partial<VerifierOptions> = {}, introspection: Partial<NonNullable<VerifierOptions['introspection']>> = {}): VerifierOptions {
  return {
    issuer: server.url,
    audience: 'api://receipts',
    ...extra,
    introspection: { clientId: 'receipts-api', clientSecret: SECRET, ...introspection },
  };
}

const now = (): number => Math.floor(Date.now() / 1000);
const without = (answer: Record<string, unknown>, name: string): Record<string, unknown> => {
  const copy = { ...answer };
  delete copy[name];
  return copy;
};

const REFUSED: [string, (url: string) => Record<string, unknown>, string, string][] = [
  ['active is false', () => ({ active: false }), 'token_inactive', 'The access token is not active'],
  ['exp is missing', (url) => without(activeAnswer(url), 'exp'), 'claim_missing', 'The access token lacks a required claim'],
  ['exp is not a number', (url) => activeAnswer(url, { exp: '2099-01-01' }), 'claim_invalid', 'The access token has an invalid claim'],
  ['exp passed 61 s ago (beyond the 60 s clockTolerance)', (url) => activeAnswer(url, { exp: now() - 61 }), 'token_expired', 'The access token expired'],
  ['iss names another issuer', () => activeAnswer('https://other.example.com'), 'issuer_mismatch', UNVERIFIED],
  ['aud names another API', (url) => activeAnswer(url, { aud: 'api://ledger' }), 'audience_mismatch', 'The access token audience is not accepted'],
  ['aud lists other APIs only', (url) => activeAnswer(url, { aud: ['api://ledger', 'api://payroll'] }), 'audience_mismatch', 'The access token audience is not accepted'],
  ['nbf is 120 s ahead', (url) => activeAnswer(url, { nbf: now() + 120 }), 'token_not_yet_valid', 'The access token is not yet valid'],
  ['cnf binds it to a key', (url) => activeAnswer(url, { cnf: { jkt: 'abc' } }), 'token_sender_constrained', 'The access token is bound to a key and cannot be used as a Bearer token'],
];

const ACCEPTED: [string, (url: string) => Record<string, unknown>][] = [
  ['exp passed 30 s ago (within the clockTolerance)', (url) => activeAnswer(url, { exp: now() - 30 })],
  ['nbf is 30 s ahead (within the clockTolerance)', (url) => activeAnswer(url, { nbf: now() + 30 })],
  ['iss is absent', (url) => without(activeAnswer(url), 'iss')],
  ['aud is absent', (url) => without(activeAnswer(url), 'aud')],
  ['aud lists this API among others', (url) => activeAnswer(url, { aud: ['api://ledger', 'api://receipts'] })],
];

describe.each(FRAMEWORKS)('opaque tokens on $name', ({ build }) => {
  let app: Server;
  beforeAll(() => {
    app = build(
      [
        { path: '/receipts', chain: [authenticate(options())] },
        { path: '/scoped', chain: [authenticate(options()), requireScopes('receipts.write')] },
      ],
      reasonErrorHandler,
    );
  });

  it.each(REFUSED)('answers 401 invalid_token when %s', async (_name, answer, reason, description) => {
    const res = await request(app).get('/receipts').set('Authorization', `Bearer ${opaqueToken(answer(server.url))}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="api", error="invalid_token", error_description="${description}"`);
    expect(res.body).toEqual({ reason });
  });

  it.each(ACCEPTED)('answers 200 with the caller when %s', async (_name, answer) => {
    const res = await request(app).get('/receipts').set('Authorization', `Bearer ${opaqueToken(answer(server.url))}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: 'payments', scopes: ['receipts.read'], subject: 'payments' });
  });

  it('answers 403 insufficient_scope through the unchanged guards', async () => {
    const res = await request(app).get('/scoped').set('Authorization', `Bearer ${opaqueToken(activeAnswer(server.url))}`);
    expect(res.status).toBe(403);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.write"',
    );
  });
});

describe('the identity of an opaque token', () => {
  it('reads clientId, scopes, subject and expiresAt from the answer, with format opaque and no header', async () => {
    const exp = now() + 600;
    const token = opaqueToken(activeAnswer(server.url, { exp, scope: 'receipts.read receipts.write', username: 'jdoe', sub: 'user-7' }));
    const auth = await createVerifier(options()).verify(token);
    expect(auth).toMatchObject({
      token,
      format: 'opaque',
      header: {},
      issuer: server.url,
      clientId: 'payments',
      subject: 'user-7',
      scopes: ['receipts.read', 'receipts.write'],
      roles: [],
      audience: ['api://receipts'],
      isAppOnly: false,
    });
    expect(auth.expiresAt).toEqual(new Date(exp * 1000));
    expect(auth.payload).toMatchObject({ active: true, client_id: 'payments', username: 'jdoe' });
    expect(Object.isFrozen(auth.payload)).toBe(true);
  });

  it('leaves every secret member out of the payload (Boruta sends the client private_key)', async () => {
    const token = opaqueToken(activeAnswer(server.url, { private_key: '-----BEGIN PRIVATE KEY-----\nMIIE', client_secret: 'x', token: 'y' }));
    const auth = await createVerifier(options()).verify(token);
    expect(Object.keys(auth.payload)).not.toContain('private_key');
    expect(JSON.stringify(auth)).not.toContain('BEGIN PRIVATE KEY');
    expect(auth.payload).not.toHaveProperty('client_secret');
    expect(auth.payload).not.toHaveProperty('token');
  });

  it('reads roles and the tenant through the configured claim locations, and is app-only without a resource owner', async () => {
    const token = opaqueToken(without(activeAnswer(server.url, { realm_access: { roles: ['Receipts.Admin'] }, org: 'tenant-9' }), 'sub'));
    const auth = await createVerifier(options({ claims: { roles: 'realm_access.roles', tenantId: 'org' } })).verify(token);
    expect(auth).toMatchObject({ roles: ['Receipts.Admin'], tenantId: 'tenant-9', clientId: 'payments', isAppOnly: true });
    expect(auth.subject).toBeUndefined();
  });

  it('applies requiredClaims and the caller allow-lists to the answer', async () => {
    const verifier = createVerifier(options({ requiredClaims: { token_type: 'Bearer' }, allowedClientIds: ['billing'] }));
    const reasonOf = (answer: Record<string, unknown>): Promise<unknown> =>
      verifier.verify(opaqueToken(answer)).then(
        () => 'accepted',
        (error: { reason: string }) => error.reason,
      );
    expect(await reasonOf(activeAnswer(server.url, { client_id: 'billing' }))).toBe('claim_missing');
    expect(await reasonOf(activeAnswer(server.url, { token_type: 'Bearer' }))).toBe('client_not_allowed');
    expect(await reasonOf(activeAnswer(server.url, { token_type: 'Bearer', client_id: 'billing' }))).toBe('accepted');
  });

  it("judges the answer's aud against a resource as a JWT's: the resource in another spelling passes, a sibling does not", async () => {
    const verifier = createVerifier({ ...options(), audience: undefined, resource: 'https://api.example.com/mcp' } as VerifierOptions);
    const reasonOf = (aud: string): Promise<unknown> =>
      verifier.verify(opaqueToken(activeAnswer(server.url, { aud }))).then(
        () => 'accepted',
        (error: { reason: string }) => error.reason,
      );
    expect(await reasonOf('https://API.example.com:443/mcp/')).toBe('accepted');
    expect(await reasonOf('https://api.example.com/mcp-other')).toBe('audience_mismatch');
  });
});

describe('outcome events of opaque tokens', () => {
  let events: VerifyEvent[];
  let stop: () => void;
  beforeAll(() => {
    events = [];
    stop = onVerifyEvent((event) => events.push(event));
  });
  afterAll(() => stop());
  afterEach(() => {
    events.length = 0;
  });

  it('publishes an acceptance from the endpoint, then one from the cache', async () => {
    const verifier = createVerifier(options());
    const token = opaqueToken(activeAnswer(server.url));
    await verifier.verify(token);
    await verifier.verify(token);
    expect(events).toEqual([
      { type: 'accepted', cached: false, issuer: server.url, clientId: 'payments' },
      { type: 'accepted', cached: true, issuer: server.url, clientId: 'payments' },
    ]);
  });

  it('publishes each refusal once, with the stage that decided it', async () => {
    const verifier = createVerifier(options());
    const tokens = [opaqueToken({ active: false }), opaqueToken(activeAnswer('https://other.example.com')), opaqueToken(activeAnswer(server.url, { exp: now() - 600 }))];
    for (const token of tokens) await verifier.verify(token).catch(() => undefined);
    expect(events).toEqual([
      { type: 'rejected', stage: 'introspection', status: 401, reason: 'token_inactive' },
      { type: 'rejected', stage: 'issuer', status: 401, reason: 'issuer_mismatch' },
      { type: 'rejected', stage: 'claims', status: 401, reason: 'token_expired' },
    ]);
  });
});

describe('tokens that are not JWTs without introspection', () => {
  it('answers 401 token_malformed, and never calls an endpoint', async () => {
    const before = server.requests.length;
    const error = await createVerifier({ issuer: server.url, audience: 'api://receipts' })
      .verify(opaqueToken(activeAnswer(server.url)))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, reason: 'token_malformed' });
    expect(server.requests.length).toBe(before);
  });
});
