/**
 * Introspection faults over real HTTP: whatever the endpoint does wrong (unreachable, too slow, a status
 * other than 200, a redirect, not JSON, not an object with a boolean `active`, too large, a dropped
 * connection, an endpoint that cannot be discovered), the answer is 503 with `Retry-After` and no
 * challenge, never a 401 and never a 500, on Express 5, Express 4 and Connect. And whatever happens, the
 * client secret and the token stay out of every response, error, event and debug log line.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  authenticate,
  createVerifier,
  IntrospectionUnavailableError,
  isAuthError,
  KeysUnavailableError,
  onKeyEvent,
  onVerifyEvent,
  type VerifierOptions,
} from '../../src/index.js';
import { DEFAULT_HANDLER_FRAMEWORKS } from '../security/final-handlers.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { runNode } from '../helpers/run-node.js';
import { activeAnswer, startIntrospectionServer, type IntrospectionBehaviour, type IntrospectionServer } from '../helpers/introspection-server.js';

const SECRET = 'rs-secret-never-shown-0123456789';
let server: IntrospectionServer;
let closedPort: number;

beforeAll(async () => {
  server = await startIntrospectionServer();
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(() => server.close());
beforeEach(() => {
  server.behaviour = { kind: 'ok' };
  server.answer = () => activeAnswer(server.url);
  server.advertise = true;
});

const opaque = (): string => randomBytes(64).toString('base64url');

function options(introspection: Partial<NonNullable<VerifierOptions['introspection']>> = {}, issuer?: string): VerifierOptions {
  return {
    issuer: issuer ?? server.url,
    audience: 'api://receipts',
    keys: { timeoutMs: 1000 },
    introspection: { endpoint: server.endpoint, clientId: 'receipts-api', clientSecret: SECRET, timeoutMs: 300, ...introspection },
  };
}

type Row = [string, () => { behaviour?: IntrospectionBehaviour; answer?: unknown; options?: () => VerifierOptions }];

const ROWS: Row[] = [
  ['the endpoint refuses connections', () => ({ options: () => options({ endpoint: `http://127.0.0.1:${closedPort}/introspect` }) })],
  ['the endpoint does not answer within timeoutMs', () => ({ behaviour: { kind: 'hang' } })],
  ['the endpoint answers HTTP 500', () => ({ behaviour: { kind: 'status', status: 500, body: `{"error":"server_error","echo":"${SECRET}"}` } })],
  ['the endpoint answers HTTP 502', () => ({ behaviour: { kind: 'status', status: 502 } })],
  ['the endpoint answers HTTP 503', () => ({ behaviour: { kind: 'status', status: 503, headers: { 'retry-after': '120' } } })],
  ['the endpoint refuses the client credentials (401 invalid_client)', () => ({ behaviour: { kind: 'status', status: 401, body: '{"error":"invalid_client"}' } })],
  ['the endpoint redirects (307)', () => ({ behaviour: { kind: 'redirect', location: '/elsewhere' } })],
  ['the body is HTML', () => ({ behaviour: { kind: 'body', body: '<html>maintenance</html>', contentType: 'text/html' } })],
  ['the body is truncated JSON', () => ({ behaviour: { kind: 'body', body: '{"active":tr' } })],
  ['the body is a JSON array', () => ({ answer: [{ active: true }] })],
  ['active is the string "true"', () => ({ answer: { ...activeAnswer(server.url), active: 'true' } })],
  ['active is 1', () => ({ answer: { ...activeAnswer(server.url), active: 1 } })],
  ['active is null', () => ({ answer: { ...activeAnswer(server.url), active: null } })],
  ['active is missing', () => ({ answer: { client_id: 'payments', exp: Math.floor(Date.now() / 1000) + 60 } })],
  ['the body is larger than 64 KiB', () => ({ behaviour: { kind: 'huge', bytes: 100_000 } })],
  ['the connection drops', () => ({ behaviour: { kind: 'reset' } })],
  ['the metadata names no introspection_endpoint', () => ({ options: () => ({ ...options(), introspection: { ...options().introspection!, endpoint: undefined } }) })],
  ['the metadata cannot be fetched', () => ({ options: () => options({ endpoint: undefined }, `http://127.0.0.1:${closedPort}`) })],
];

describe.each(FRAMEWORKS)('introspection faults on $name', ({ build }) => {
  it.each(ROWS)('answers 503 with Retry-After and no challenge when %s', async (name, setup) => {
    const row = setup();
    if (row.behaviour !== undefined) server.behaviour = row.behaviour;
    if (row.answer !== undefined) server.answer = () => row.answer;
    if (name.startsWith('the metadata names no')) server.advertise = false;
    const app = build([{ path: '/receipts', chain: [authenticate((row.options ?? options)())] }], reasonErrorHandler);
    const token = opaque();
    const res = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toMatch(/^[1-9][0-9]*$/);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(res.body).toEqual({ reason: 'introspection_unavailable' });
    expect(JSON.stringify(res.headers) + res.text).not.toContain(SECRET);
    expect(server.requests.some((r) => r.form.get('token') === token && r.method !== 'POST')).toBe(false);
  });
});

describe('the 503 error', () => {
  it('is an IntrospectionUnavailableError, a sibling of KeysUnavailableError, with the fault as cause', async () => {
    server.behaviour = { kind: 'status', status: 500 };
    const error: unknown = await createVerifier(options()).verify(opaque()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntrospectionUnavailableError);
    expect(error).not.toBeInstanceOf(KeysUnavailableError);
    expect(error).toMatchObject({
      status: 503,
      statusCode: 503,
      code: 'ERR_INTROSPECTION_UNAVAILABLE',
      reason: 'introspection_unavailable',
      expose: false,
      message: 'Token introspection is temporarily unavailable',
      headers: { 'Retry-After': '1' },
    });
    expect(isAuthError(error)).toBe(true);
    expect(String((error as Error).cause)).toBe(`KeyFetchError: ${server.endpoint}: HTTP 500`);
  });

  it('never follows a redirect, so the token and the credentials never reach its target', async () => {
    server.behaviour = { kind: 'redirect', location: '/introspect-elsewhere' };
    await createVerifier(options()).verify(opaque()).catch(() => undefined);
    server.behaviour = { kind: 'redirect', location: `http://127.0.0.1:${closedPort}/introspect` };
    const error = await createVerifier(options()).verify(opaque()).catch((e: unknown) => e);
    expect(String((error as Error).cause)).toContain('a POST is never redirected');
    expect(server.requests.every((r) => r.method === 'POST')).toBe(true);
  });
});

describe('the client secret and the token', () => {
  it('stay out of responses, errors, events and the final handlers of every framework', async () => {
    const seen: string[] = [];
    const stopVerify = onVerifyEvent((event) => seen.push(JSON.stringify(event)));
    const stopKeys = onKeyEvent((event) => seen.push(JSON.stringify(event)));
    try {
      const behaviours: IntrospectionBehaviour[] = [
        { kind: 'ok' },
        { kind: 'status', status: 401, body: `{"error":"invalid_client","error_description":"bad secret ${SECRET}"}` },
        { kind: 'body', body: `not json ${SECRET}` },
        { kind: 'hang' },
      ];
      for (const { build } of DEFAULT_HANDLER_FRAMEWORKS) {
        for (const behaviour of behaviours) {
          server.behaviour = behaviour;
          const verifier = createVerifier(options({ clientAuth: 'client_secret_post' }));
          const token = opaque();
          const error: unknown = await verifier.verify(token).catch((e: unknown) => e);
          if (error !== undefined) seen.push(String(error), inspect(error, { depth: 10 }), (error as Error).stack ?? '');
          const app = build('development', [{ path: '/receipts', chain: [authenticate(createVerifier(options()))] }]);
          const res = await request(app).get('/receipts').set('Authorization', `Bearer ${token}`);
          seen.push(JSON.stringify(res.headers), res.text);
        }
      }
    } finally {
      stopVerify();
      stopKeys();
    }
    const all = seen.join('\n');
    expect(all).toContain('introspection_unavailable');
    expect(all).not.toContain(SECRET);
    expect(all).not.toContain(SECRET.slice(0, 12));
  });

  it('stay out of the debug log (NODE_DEBUG=bearer-guard)', async () => {
    const script = fileURLToPath(new URL('./support/debug-log-run.ts', import.meta.url));
    const run = await runNode(['--import', 'tsx', script], { env: { NODE_DEBUG: 'bearer-guard', INTROSPECTION_SECRET: SECRET } });
    const { code } = run;
    const output = run.stdout + run.stderr;
    expect(code).toBe(0);
    const tokens = /TOKENS (.*)/.exec(output)![1]!.split(',');
    const logged = output.replace(/TOKENS .*/, '');
    expect(tokens).toHaveLength(10);
    expect(logged).toContain('503 introspection_unavailable at introspection');
    expect(logged).toContain('401 token_inactive at introspection');
    expect(logged).not.toContain(SECRET);
    for (const token of tokens) expect(logged).not.toContain(token.slice(0, 24));
  });
});

describe('verifier.status() with introspection', () => {
  it('names the endpoint, its last answer, and a failure with its backoff until an answer clears it', async () => {
    const verifier = createVerifier(options());
    const before = Date.now();
    expect(verifier.status().introspection).toEqual([{ issuer: server.url, endpoint: server.endpoint, ok: true }]);

    await verifier.verify(opaque());
    const [answered] = verifier.status().introspection!;
    expect(answered!.ok).toBe(true);
    expect(answered!.lastAnsweredAt!.getTime()).toBeGreaterThanOrEqual(before);
    expect(answered!.lastFailure).toBeUndefined();

    server.behaviour = { kind: 'status', status: 502, body: `{"echo":"${SECRET}"}` };
    await expect(verifier.verify(opaque())).rejects.toBeInstanceOf(IntrospectionUnavailableError);
    const status = verifier.status();
    const [failing] = status.introspection!;
    expect(status.ok).toBe(false);
    expect(failing!.ok).toBe(false);
    expect(failing!.lastFailure).toMatchObject({ kind: 'status', code: 'HTTP_502', failures: 1 });
    expect(failing!.lastFailure!.message).toContain(server.endpoint);
    expect(failing!.retryAt!.getTime()).toBeGreaterThan(Date.now());
    expect(JSON.stringify(status)).not.toContain(SECRET);

    // Once the backoff ends, the next call that gets an answer clears the failure.
    server.behaviour = { kind: 'ok' };
    await new Promise((resolve) => setTimeout(resolve, failing!.retryAt!.getTime() - Date.now() + 20));
    await verifier.verify(opaque());
    const [recovered] = verifier.status().introspection!;
    expect(recovered).toMatchObject({ ok: true });
    expect(recovered!.lastFailure).toBeUndefined();
    expect(recovered!.retryAt).toBeUndefined();
  });

  it('leaves the endpoint out until discovery names it, and is absent without introspection', async () => {
    // A server of its own: the metadata other tests fetched is shared process-wide.
    const own = await startIntrospectionServer();
    try {
      own.answer = () => activeAnswer(own.url);
      const discovering = createVerifier(options({ endpoint: undefined }, own.url));
      expect(discovering.status().introspection).toEqual([{ issuer: own.url, ok: true }]);
      await discovering.verify(opaque());
      expect(discovering.status().introspection![0]!.endpoint).toBe(own.endpoint);
    } finally {
      await own.close();
    }
    expect(createVerifier({ issuer: server.url, audience: 'api://receipts' }).status().introspection).toBeUndefined();
  });
});
