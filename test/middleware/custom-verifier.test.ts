/**
 * authenticate() with a custom verifier that misbehaves, over HTTP on every framework: whatever it returns,
 * throws or rejects with, the request ends in an answer (an AuthError keeps its status, anything else is
 * the framework's 500), nothing escapes as an unhandled rejection, and nothing lets the request through
 * unauthenticated.
 */
import type { Server } from 'node:http';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  InvalidTokenError,
  isAuthError,
  requireScopes,
  type AuthInfo,
  type ErrorMiddleware,
  type Verifier,
} from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';

const IDENTITY: AuthInfo = Object.freeze({
  token: 'opaque',
  format: 'opaque',
  header: {},
  payload: {},
  issuer: 'https://login.example.com/',
  audience: ['api://receipts'],
  clientId: 'payments',
  scopes: ['receipts.read'],
  roles: [],
  isAppOnly: true,
  expiresAt: new Date(Date.now() + 3_600_000),
});

/** A verifier whose `verify` does whatever `behave` does, typed loosely on purpose. */
function verifier(behave: () => unknown): Verifier {
  return { verify: behave as Verifier['verify'] };
}

/** A thenable that is not a native promise. */
function thenable(settle: (resolve: (v: unknown) => void, reject: (e: unknown) => void) => void): PromiseLike<unknown> {
  return { then: ((resolve: (v: unknown) => void, reject: (e: unknown) => void) => settle(resolve, reject)) as never };
}

const EXPIRED = new InvalidTokenError('token_expired', { realm: 'custom' });
const BAD_SIGNATURE = new InvalidTokenError('signature_invalid', { realm: 'custom' });

const SERVER_FAULTS: [string, () => unknown][] = [
  ['resolves to undefined', async () => undefined],
  ['resolves to null', async () => null],
  ['resolves to a string', async () => 'payments'],
  ['resolves to an object without scopes', async () => ({ token: 'opaque', roles: [] })],
  ['resolves to an object whose scopes are a string', async () => ({ ...IDENTITY, scopes: 'receipts.read' })],
  ['resolves to an object whose roles hold a number', async () => ({ ...IDENTITY, roles: [1] })],
  ['resolves to an object without a token', async () => ({ scopes: ['receipts.read'], roles: [] })],
  ['resolves to an AuthError instead of rejecting with it', async () => new InvalidTokenError('token_expired')],
  ['throws synchronously', () => { throw new Error('synchronous bug'); }],
  ['throws undefined synchronously', () => { throw undefined; }],
  ['rejects with a plain Error', () => Promise.reject(new Error('bug in a custom verifier'))],
  ['rejects with undefined', () => Promise.reject(undefined)],
  ['rejects with null', () => Promise.reject(null)],
  ['rejects with "route"', () => Promise.reject('route')],
  ['rejects with "router"', () => Promise.reject('router')],
  ['returns a thenable that resolves to undefined', () => thenable((resolve) => resolve(undefined))],
  ['returns a thenable that rejects', () => thenable((_resolve, reject) => reject(new Error('thenable bug')))],
  ['returns a thenable whose then throws', () => thenable(() => { throw new Error('then bug'); })],
  ['returns a thenable that settles later', () => thenable((resolve) => setTimeout(() => resolve({}), 5))],
];

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});
afterEach(async () => {
  // Unhandled rejections are reported once the microtask queue drains.
  await new Promise((resolve) => setImmediate(resolve));
  expect(unhandled.splice(0)).toEqual([]);
});

describe.each(FRAMEWORKS)('$name', ({ build }) => {
  const seen: unknown[] = [];
  const record: ErrorMiddleware = (error, _req, _res, next) => {
    seen.push(error);
    next(error);
  };
  const routes = [
    ...SERVER_FAULTS.map(([, behave], i) => ({ path: `/fault/${i}`, chain: [authenticate(verifier(behave))] })),
    { path: '/fault-guarded', chain: [authenticate(verifier(() => Promise.reject(undefined))), requireScopes('receipts.read')] },
    { path: '/thenable', chain: [authenticate(verifier(() => thenable((resolve) => setTimeout(() => resolve(IDENTITY), 5)))), requireScopes('receipts.read')] },
    { path: '/sync-value', chain: [authenticate(verifier(() => IDENTITY)), requireScopes('receipts.read')] },
    { path: '/rejects-auth', chain: [authenticate(verifier(() => Promise.reject(EXPIRED)), { realm: 'custom' })] },
    { path: '/throws-auth', chain: [authenticate(verifier(() => { throw BAD_SIGNATURE; }), { realm: 'custom' })] },
  ];
  let app: Server;
  beforeAll(() => {
    app = build(routes, record);
  });

  const get = (path: string) => request(app).get(path).set('Authorization', 'Bearer opaque').timeout(3000);

  it.each(SERVER_FAULTS.map(([name], i) => [name, i] as const))(
    'answers 500 without a challenge when the verifier %s',
    async (_name, i) => {
      seen.length = 0;
      const res = await get(`/fault/${i}`);
      expect(res.status).toBe(500);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(seen).toHaveLength(1);
      expect(seen[0]).toBeInstanceOf(Error);
      expect(isAuthError(seen[0])).toBe(false);
    },
  );

  it('never lets a request with a falsy rejection reach a later handler', async () => {
    const res = await get('/fault-guarded');
    expect(res.status).toBe(500);
  });

  it('accepts the identity of a thenable that is not a native promise', async () => {
    const res = await get('/thenable');
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('payments');
  });

  it('accepts an identity returned without a promise', async () => {
    const res = await get('/sync-value');
    expect(res.status).toBe(200);
    expect(res.body.scopes).toEqual(['receipts.read']);
  });

  it('answers with the status and challenge of an AuthError the verifier rejects with', async () => {
    seen.length = 0;
    const res = await get('/rejects-auth');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(EXPIRED.headers['WWW-Authenticate']);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="custom", error="invalid_token", error_description="[^"]+"$/);
    expect(seen).toEqual([EXPIRED]);
  });

  it('answers with the status and challenge of an AuthError the verifier throws', async () => {
    seen.length = 0;
    const res = await get('/throws-auth');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(BAD_SIGNATURE.headers['WWW-Authenticate']);
    expect(seen).toEqual([BAD_SIGNATURE]);
  });
});
