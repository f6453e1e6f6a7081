/**
 * Every outcome is observable: one event on the `bearer-guard:verify` channel per request outcome — accepted
 * (fresh or cached), no credentials, a malformed request, a refused token at each stage, a guard's 403 and
 * its 401 without authenticate(), keys unavailable — with the deciding stage, the reason, the status, the
 * method and the path without its query string; never a token byte. Over real HTTP on Express 5, Express 4
 * and Connect.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  authErrorHandler,
  createVerifier,
  onVerifyEvent,
  requireScopes,
  type VerifyEvent,
} from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { freePort } from '../helpers/free-port.js';

let issuer: TestIssuer;
let events: VerifyEvent[] = [];
let stop: () => void;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  stop = onVerifyEvent((event) => events.push(event));
});
afterAll(async () => {
  stop();
  await issuer.close();
});
afterEach(() => {
  events = [];
});

describe.each(FRAMEWORKS)('outcome events on $name', ({ build }) => {
  let server: Server;
  beforeAll(() => {
    const auth = authenticate(issuer.verifierOptions());
    server = build(
      [
        { path: '/receipts', chain: [auth, requireScopes('receipts.read')] },
        { path: '/unguarded', chain: [requireScopes('receipts.read')] },
      ],
      authErrorHandler(),
    );
  });
  afterAll(() => {
    server.close();
  });

  const outcome = async (path: string, authorization?: string): Promise<VerifyEvent[]> => {
    events = [];
    const call = request(server).get(path);
    if (authorization !== undefined) call.set('Authorization', authorization);
    await call;
    return events;
  };

  it('publishes accepted, then accepted from the cache, with method and path without the query', async () => {
    const token = await issuer.sign({ scope: 'receipts.read' });
    for (let i = 0; i < 3; i++) await outcome('/receipts?page=2', `Bearer ${token}`);
    const [last] = await outcome('/receipts?page=3&secret=x', `Bearer ${token}`);
    expect(last).toEqual({ type: 'accepted', cached: true, issuer: issuer.url, clientId: 'test-client', method: 'GET', path: '/receipts' });
  });

  it('publishes a refusal at the credential stage for no credentials and for a malformed request', async () => {
    expect(await outcome('/receipts?x=1')).toEqual([
      { type: 'rejected', stage: 'credential', status: 401, reason: 'token_missing', method: 'GET', path: '/receipts' },
    ]);
    expect(await outcome('/receipts', 'Bearer a b')).toEqual([
      { type: 'rejected', stage: 'credential', status: 400, reason: 'authorization_malformed', method: 'GET', path: '/receipts' },
    ]);
  });

  it.each([
    ['format', 'token_malformed', async () => 'not-a-jwt'],
    ['issuer', 'issuer_mismatch', async () => issuer.sign({ iss: 'https://elsewhere.example.com' })],
    ['claims', 'token_expired', async () => issuer.sign({}, { expiresIn: -600 })],
    ['claims', 'audience_mismatch', async () => issuer.sign({ aud: 'api://other' })],
    ['binding', 'token_sender_constrained', async () => issuer.sign({ cnf: { jkt: 'x'.repeat(43) } })],
  ])('publishes a refusal at the %s stage (%s)', async (stage, reason, token) => {
    const published = await outcome('/receipts', `Bearer ${await token()}`);
    expect(published).toEqual([{ type: 'rejected', stage, status: 401, reason, method: 'GET', path: '/receipts' }]);
  });

  it('publishes a guard 403, and the 401 of a guard reached without authenticate()', async () => {
    const token = await issuer.sign({ scope: 'other' });
    expect((await outcome('/receipts', `Bearer ${token}`)).at(-1)).toEqual({
      type: 'rejected', stage: 'guard', status: 403, reason: 'scope_missing', method: 'GET', path: '/receipts',
    });
    expect(await outcome('/unguarded')).toEqual([
      { type: 'rejected', stage: 'guard', status: 401, reason: 'authentication_required', method: 'GET', path: '/unguarded' },
    ]);
  });

  it('never puts a token byte in an event', async () => {
    const token = await issuer.sign({ aud: 'api://other' });
    const published = await outcome(`/receipts?access_token=${token}`, `Bearer ${token}`);
    expect(JSON.stringify(published)).not.toContain(token.split('.')[2]!.slice(0, 16));
  });
});

describe('outcome events of a verifier used directly', () => {
  it('publishes a 503 at the key stage when the keys cannot be fetched', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const verifier = createVerifier({ issuer: closed, audience: 'api', jwksUri: `${closed}/jwks` });
    const token = await issuer.sign({ iss: closed, aud: 'api' });
    await expect(verifier.verify(token, { method: 'POST', url: '/a/b?c=d' })).rejects.toMatchObject({ status: 503 });
    expect(events).toEqual([
      { type: 'rejected', stage: 'key', status: 503, reason: 'jwks_unavailable', method: 'POST', path: '/a/b' },
    ]);
  });

  it('publishes without method and path when no request is given', async () => {
    const verifier = createVerifier(issuer.verifierOptions());
    await expect(verifier.verify('a.b.c')).rejects.toMatchObject({ reason: 'token_malformed' });
    expect(events).toEqual([{ type: 'rejected', stage: 'format', status: 401, reason: 'token_malformed' }]);
  });
});
