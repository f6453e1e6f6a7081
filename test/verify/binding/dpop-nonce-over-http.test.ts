/**
 * DPoP over real HTTP, continued: server nonces (RFC 9449 §9) from a stateless HMAC of a time step — the
 * round trip, rotation, expiry, two instances sharing a secret —, the binding re-checked on verified-token
 * cache hits, and a proxy in front of the API with `publicOrigin` and a forged Host header.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate, onVerifyEvent, type VerifyEvent } from '../../../src/index.js';
import { createDpopKey, createTestIssuer, type TestDpopKey, type TestIssuer } from '../../../src/testing/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { listen, send, stop } from './support.js';

const SECRET = 'a shared nonce secret of at least 32 characters';
const ALGS = 'algs="ES256"';

let issuer: TestIssuer;
let key: TestDpopKey;
let token: string;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  key = await createDpopKey();
  token = await issuer.sign({ cnf: key.cnf });
});
afterAll(() => issuer.close());
afterEach(() => vi.useRealTimers());

const dpop = (extra: object = {}): Parameters<TestIssuer['verifierOptions']>[0] => ({ dpop: { algorithms: ['ES256'], ...extra } });

describe.each(FRAMEWORKS)('DPoP nonces, cache hits and proxies on $name', ({ build }) => {
  let server: Server;
  let twin: Server;
  let stranger: Server;
  let origin: string;
  let twinOrigin: string;
  let strangerOrigin: string;

  beforeAll(async () => {
    const nonce = issuer.verifierOptions(dpop({ nonce: { ttlSec: 60, secret: SECRET } }));
    server = build(
      [
        { path: '/nonce', chain: [authenticate(nonce)] },
        { path: '/cached', chain: [authenticate(issuer.verifierOptions(dpop()))] },
        { path: '/public', chain: [authenticate(issuer.verifierOptions(dpop({ publicOrigin: 'https://api.example.test' })))] },
        { path: '/direct', chain: [authenticate(issuer.verifierOptions(dpop()))] },
      ],
      reasonErrorHandler,
    );
    twin = build([{ path: '/nonce', chain: [authenticate(issuer.verifierOptions(dpop({ nonce: { ttlSec: 60, secret: SECRET } })))] }], reasonErrorHandler);
    stranger = build([{ path: '/nonce', chain: [authenticate(issuer.verifierOptions(dpop({ nonce: { ttlSec: 60, secret: `${SECRET}, another` } })))] }], reasonErrorHandler);
    [origin, twinOrigin, strangerOrigin] = await Promise.all([listen(server), listen(twin), listen(stranger)]);
  });
  afterAll(() => Promise.all([stop(server), stop(twin), stop(stranger)]));

  const call = async (at: string, path: string, nonce?: string) =>
    send(at, path, await key.headers(token, { method: 'GET', url: `${at}${path}`, ...(nonce === undefined ? {} : { nonce }) }));

  it('answers 401 use_dpop_nonce with a DPoP-Nonce header, then 200 to the retry that carries it', async () => {
    const first = await call(origin, '/nonce');
    expect(first.status).toBe(401);
    expect(first.body.reason).toBe('dpop_nonce_missing');
    expect(first.headers['www-authenticate']).toBe(
      `Bearer realm="api", DPoP realm="api", error="use_dpop_nonce", error_description="A DPoP nonce is required", ${ALGS}`,
    );
    const nonce = first.headers['dpop-nonce'] as string;
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await call(origin, '/nonce', nonce)).status).toBe(200);
  });

  it('answers 401 use_dpop_nonce (dpop_nonce_invalid) with a fresh nonce to a nonce it never issued', async () => {
    const res = await call(origin, '/nonce', 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('dpop_nonce_invalid');
    expect(res.headers['www-authenticate']).toBe(
      `Bearer realm="api", DPoP realm="api", error="use_dpop_nonce", error_description="The DPoP nonce is not current", ${ALGS}`,
    );
    expect(res.headers['dpop-nonce']).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('rotates nonces every ttlSec and accepts each for the step after its own, then refuses it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000);
    const first = (await call(origin, '/nonce')).headers['dpop-nonce'] as string;
    expect((await call(origin, '/nonce', first)).status).toBe(200);
    vi.advanceTimersByTime(60_000);
    expect((await call(origin, '/nonce', first)).status).toBe(200);
    const second = (await call(origin, '/nonce', 'AAAAAAAAAAAAAAAAAAAAAA')).headers['dpop-nonce'] as string;
    expect(second).not.toBe(first);
    vi.advanceTimersByTime(60_000);
    const expired = await call(origin, '/nonce', first);
    expect(expired.status).toBe(401);
    expect(expired.body.reason).toBe('dpop_nonce_invalid');
    expect((await call(origin, '/nonce', second)).status).toBe(200);
  });

  it('hands the current nonce on each answer to a DPoP request, so a client moves on before its nonce expires', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000);
    const first = (await call(origin, '/nonce')).headers['dpop-nonce'] as string;
    const accepted = await call(origin, '/nonce', first);
    expect(accepted.status).toBe(200);
    expect(accepted.headers['dpop-nonce']).toBe(first);
    vi.advanceTimersByTime(60_000);
    const stillAccepted = await call(origin, '/nonce', first);
    expect(stillAccepted.status).toBe(200);
    const next = stillAccepted.headers['dpop-nonce'] as string;
    expect(next).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(next).not.toBe(first);
    vi.advanceTimersByTime(60_000);
    expect((await call(origin, '/nonce', next)).status).toBe(200);
    // Without nonces, no DPoP-Nonce.
    const plain = await call(origin, '/direct');
    expect(plain.status).toBe(200);
    expect(plain.headers['dpop-nonce']).toBeUndefined();
  });

  it('accepts a nonce issued by another instance with the same secret, and not by one with another secret', async () => {
    const nonce = (await call(origin, '/nonce')).headers['dpop-nonce'] as string;
    expect((await call(twinOrigin, '/nonce', nonce)).status).toBe(200);
    const refused = await call(strangerOrigin, '/nonce', nonce);
    expect(refused.status).toBe(401);
    expect(refused.body.reason).toBe('dpop_nonce_invalid');
  });

  it('checks the proof on every request, also when the token is answered from the cache', async () => {
    const events: VerifyEvent[] = [];
    const unsubscribe = onVerifyEvent((event) => events.push(event));
    try {
      for (let i = 0; i < 3; i++) expect((await call(origin, '/cached')).status).toBe(200);
      expect(events.filter((e) => e.type === 'accepted').map((e) => (e as { cached: boolean }).cached)).toEqual([false, false, true]);
      const replayed = await key.headers(token, { method: 'GET', url: `${origin}/cached` });
      expect((await send(origin, '/cached', replayed)).status).toBe(200);
      const again = await send(origin, '/cached', replayed);
      expect(again.body.reason).toBe('dpop_proof_replayed');
      const asBearer = await send(origin, '/cached', { authorization: `Bearer ${token}` });
      expect(asBearer.body.reason).toBe('token_sender_constrained');
      const wrongUri = await send(origin, '/cached', await key.headers(token, { method: 'GET', url: `${origin}/other` }));
      expect(wrongUri.body.reason).toBe('dpop_proof_uri');
      expect(events.filter((e) => e.type === 'rejected').map((e) => [(e as { stage: string }).stage, (e as { reason: string }).reason])).toEqual([
        ['binding', 'dpop_proof_replayed'],
        ['binding', 'token_sender_constrained'],
        ['binding', 'dpop_proof_uri'],
      ]);
    } finally {
      unsubscribe();
    }
  });

  describe('behind a proxy', () => {
    let proxy: Server;
    let proxyOrigin: string;

    beforeAll(async () => {
      // A reverse proxy that passes the client's Host header through, as many do.
      const upstream = new URL(origin);
      proxy = createServer((req, res) => {
        const forward = httpRequest(
          { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers, agent: false },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(forward);
      });
      proxyOrigin = await listen(proxy);
    });
    afterAll(() => stop(proxy));

    it('accepts a proof for the public origin, whatever Host the proxy passes on', async () => {
      const headers = await key.headers(token, { method: 'GET', url: 'https://api.example.test/public' });
      expect((await send(proxyOrigin, '/public', headers)).status).toBe(200);
    });

    it('refuses a proof for another origin even with a Host header forged to match it', async () => {
      const headers = await key.headers(token, { method: 'GET', url: 'https://evil.example/public' });
      const res = await send(proxyOrigin, '/public', { ...headers, host: 'evil.example' });
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('dpop_proof_uri');
    });

    it('refuses a proof for the address the proxy listens on when a public origin is set', async () => {
      const res = await send(proxyOrigin, '/public', await key.headers(token, { method: 'GET', url: `${proxyOrigin}/public` }));
      expect(res.body.reason).toBe('dpop_proof_uri');
    });

    it('never reads X-Forwarded-Host or Forwarded', async () => {
      const headers = await key.headers(token, { method: 'GET', url: 'https://api.example.test/direct' });
      const res = await send(proxyOrigin, '/direct', { ...headers, 'x-forwarded-host': 'api.example.test', 'x-forwarded-proto': 'https', forwarded: 'host=api.example.test;proto=https' });
      expect(res.body.reason).toBe('dpop_proof_uri');
    });

    it.each(['evil.example/direct', 'user@127.0.0.1', '127.0.0.1:99999x', ''])('refuses every proof when the Host header is %j, not a plain host[:port]', async (host) => {
      const headers = await key.headers(token, { method: 'GET', url: `http://${host}/direct` }).catch(async () =>
        key.headers(token, { method: 'GET', url: `${origin}/direct` }),
      );
      const res = await send(origin, '/direct', { ...headers, host });
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('dpop_proof_uri');
    });
  });
});
