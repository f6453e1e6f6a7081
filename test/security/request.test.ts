/**
 * Catalogue family "request" (RQ-03 to RQ-12, RX-01): what reaches `authenticate()` over real HTTP on
 * Express 5, Express 4 and Connect. Header lines are written byte for byte on a raw socket where an HTTP
 * client would refuse them (repeated lines, non-ASCII bytes). The token length cap (`maxTokenLength`) is
 * shown to act before any decoding, key lookup or crypto.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import { connect as connectSocket } from 'node:net';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticate, createVerifier, DEFAULTS, requireScopes, type Middleware } from '../../src/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  goodClaims,
  listen,
  publishedKeys,
  signToken,
  startSecurityIssuer,
  useSecurityIssuer,
  verdict,
  type KeyRing,
} from './support.js';

const BARE = 'Bearer realm="api"';
const invalidRequest = (description: string): string =>
  `Bearer realm="api", error="invalid_request", error_description="${description}"`;
const invalidToken = (description: string): string =>
  `Bearer realm="api", error="invalid_token", error_description="${description}"`;

/** Sends `head` (request line and header lines, CRLF-separated, no final blank line) on a raw socket. */
function rawExchange(url: string, head: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectSocket(Number(port), '127.0.0.1', () => socket.write(Buffer.from(`${head}\r\nConnection: close\r\n\r\n`, 'utf8')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

/** The same app served with a raised header limit, so that tokens above Node's 16 KiB default arrive. */
function withHeaderLimit(server: Server, maxHeaderSize: number): Server {
  const listener = server.listeners('request')[0] as RequestListener;
  return createServer({ maxHeaderSize }, listener);
}

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));

describe.each(FRAMEWORKS)('$name', ({ build }) => {
  let app: { url: string; close: () => Promise<void> };
  let reached = 0;
  const count: Middleware = (_req, _res, next) => {
    reached += 1;
    next();
  };

  beforeAll(async () => {
    const guard = authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    const preflight: Middleware = (req, res, next) => {
      if (req.method !== 'OPTIONS') {
        next();
        return;
      }
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Headers', 'authorization');
      res.end();
    };
    app = await listen(
      build(
        [
          { path: '/r', chain: [count, guard, requireScopes('read')] },
          { path: '/q', chain: [count, authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri }, { tokenLocations: ['header', 'query'] })] },
          // The framework helper types the common methods only; each framework routes OPTIONS like any other.
          { method: 'OPTIONS' as 'GET', path: '/r', chain: [count, guard, requireScopes('read')] },
          { method: 'OPTIONS' as 'GET', path: '/cors', chain: [preflight, guard, requireScopes('read')] },
        ],
        reasonErrorHandler,
      ),
    );
  });
  afterAll(async () => app.close());

  const valid = (): Promise<string> => signToken(ring.rs256, goodClaims(issuer, { scope: 'read' }));

  it('answers 200 to a genuine token (control)', async () => {
    const res = await request(app.url).get('/r').set('Authorization', `Bearer ${await valid()}`);
    expect(res.status).toBe(200);
  });

  describe('RQ-03 other schemes', () => {
    it.each(['Basic cGF5bWVudHM6c2VjcmV0', 'Token abc.def.ghi', 'DPoP eyJ.eyJ.sig', 'Bearer2 abc', 'Negotiate YII='])(
      'answers 401 with a bare challenge for "%s"',
      async (authorization) => {
        const res = await request(app.url).get('/r').set('Authorization', authorization);
        expect(res.status).toBe(401);
        expect(res.headers['www-authenticate']).toBe(BARE);
        expect(res.body).toEqual({ reason: 'token_missing' });
      },
    );
  });

  describe('RQ-04 and RQ-05 malformed Bearer credentials', () => {
    it.each<[string, string, string, string]>([
      ['Bearer', 'Bearer', 'token_empty', 'The Bearer token is empty'],
      ['Bearer followed by spaces (trimmed by Node)', 'Bearer    ', 'token_empty', 'The Bearer token is empty'],
      ['a quote', 'Bearer abc"def', 'authorization_malformed', 'The Authorization header is malformed'],
      ['a backslash', 'Bearer abc\\def', 'authorization_malformed', 'The Authorization header is malformed'],
      ['a semicolon', 'Bearer abc;def', 'authorization_malformed', 'The Authorization header is malformed'],
      ['a second credential after a comma', 'Bearer abc, Basic Zm9v', 'authorization_malformed', 'The Authorization header is malformed'],
      ['padding in the middle', 'Bearer ab=c', 'authorization_malformed', 'The Authorization header is malformed'],
      ['a tab between scheme and token', 'Bearer\tabc', 'authorization_malformed', 'The Authorization header is malformed'],
      ['a tab inside the token', 'Bearer abc\tdef', 'authorization_malformed', 'The Authorization header is malformed'],
      ['fullwidth letters (UTF-8 bytes)', 'Bearer ａｂｃ.ｄｅｆ.ｇｈｉ', 'authorization_malformed', 'The Authorization header is malformed'],
      ['a Cyrillic look-alike letter in the token', 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJ.sіg', 'authorization_malformed', 'The Authorization header is malformed'],
    ])('answers 400 invalid_request for %s', async (_name, value, reason, description) => {
      const res = await rawExchange(app.url, `GET /r HTTP/1.1\r\nHost: x\r\nAuthorization: ${value}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`\r\nWWW-Authenticate: ${invalidRequest(description)}\r\n`);
      expect(res.text).toContain(`{"reason":"${reason}"}`);
    });

    it.each<[string, string]>([
      ['spelled with a Cyrillic look-alike letter', 'Bеarer'],
      ['followed by a non-breaking space', 'Bearer\u00a0'],
      ['spelled with fullwidth letters', 'Ｂｅａｒｅｒ'],
    ])('treats a scheme %s as another scheme: 401 with a bare challenge', async (_name, scheme) => {
      const res = await rawExchange(app.url, `GET /r HTTP/1.1\r\nHost: x\r\nAuthorization: ${scheme}${scheme.endsWith('\u00a0') ? '' : ' '}${await valid()}`);
      expect(res.status).toBe(401);
      expect(res.text).toContain(`\r\nWWW-Authenticate: ${BARE}\r\n`);
      expect(res.text).toContain('{"reason":"token_missing"}');
    });

    it('never lets a CR LF inside a value reach the middleware: Node refuses the request itself', async () => {
      reached = 0;
      const res = await rawExchange(app.url, `GET /r HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer abc\rdef`);
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('WWW-Authenticate');
      expect(reached).toBe(0);
    });

    it('answers 401 invalid_token for trailing "=" padding, legal in a b64token but not in a JWS', async () => {
      const res = await request(app.url).get('/r').set('Authorization', `Bearer ${await valid()}==`);
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(invalidToken('The access token is malformed'));
    });
  });

  describe('RQ-10 repeated Authorization lines', () => {
    it.each<[string, string[]]>([
      ['two identical lines', ['Authorization', 'Authorization']],
      ['two lines spelled in different case', ['authorization', 'AUTHORIZATION']],
      ['three lines', ['Authorization', 'Authorization', 'Authorization']],
    ])('answers 400 invalid_request for %s, even when each holds a genuine token', async (_name, names) => {
      const token = await valid();
      const lines = names.map((name) => `${name}: Bearer ${token}`).join('\r\n');
      const res = await rawExchange(app.url, `GET /r HTTP/1.1\r\nHost: x\r\n${lines}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain(`\r\nWWW-Authenticate: ${invalidRequest('More than one Authorization header was sent')}\r\n`);
      expect(res.text).not.toContain(token);
    });

    it('answers 400 for a genuine token followed by a second line with another scheme', async () => {
      const res = await rawExchange(app.url, `GET /r HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${await valid()}\r\nAuthorization: Basic Zm9vOmJhcg==`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('{"reason":"authorization_multiple"}');
    });
  });

  describe('RQ-11 and RX-01 oversized tokens', () => {
    it('leaves a header above 16 KiB to Node, which answers 431 before any middleware runs', async () => {
      reached = 0;
      const res = await request(app.url).get('/r').set('Authorization', `Bearer ${'a'.repeat(20_000)}`);
      expect(res.status).toBe(431);
      expect(reached).toBe(0);
    });

    it.each([DEFAULTS.maxTokenLength + 1, 64 * 1024, 1024 * 1024])(
      'answers 401 token_too_large for a %i-character token once the server accepts big headers, in the header and in the query',
      async (size) => {
        const big = await listen(withHeaderLimit(build([{ path: '/big', chain: [authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri }, { tokenLocations: ['header', 'query'] })] }], reasonErrorHandler), 4 * 1024 * 1024));
        try {
          const genuine = await valid();
          const token = `${genuine}${'A'.repeat(size - genuine.length)}`;
          expect(token.length).toBe(size);
          const header = await request(big.url).get('/big').set('Authorization', `Bearer ${token}`);
          const query = await request(big.url).get(`/big?access_token=${token}`);
          for (const res of [header, query]) {
            expect(res.status).toBe(401);
            expect(res.headers['www-authenticate']).toBe(invalidToken('The access token is too large'));
            expect(res.body).toEqual({ reason: 'token_too_large' });
          }
        } finally {
          await big.close();
        }
      },
    );
  });

  describe('RQ-12 CORS preflight', () => {
    it('does not wave a preflight through: OPTIONS without a token meets the bare 401 challenge', async () => {
      const res = await request(app.url)
        .options('/r')
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(BARE);
    });

    it('leaves preflights to a CORS handler mounted before it, which answers without reaching the guards', async () => {
      const res = await request(app.url)
        .options('/cors')
        .set('Origin', 'https://app.example')
        .set('Access-Control-Request-Method', 'GET')
        .set('Access-Control-Request-Headers', 'authorization');
      expect(res.status).toBe(204);
      expect(res.headers['www-authenticate']).toBeUndefined();
    });
  });
});

describe('RX-01 maxTokenLength acts before any decoding, key lookup or crypto', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it(`defaults to ${DEFAULTS.maxTokenLength} characters`, () => {
    expect(DEFAULTS.maxTokenLength).toBe(16_384);
  });

  it('accepts a genuine token of exactly maxTokenLength characters and rejects the same token one character over', async () => {
    const token = await signToken(ring.rs256, goodClaims(issuer, { pad: 'p'.repeat(600) }));
    const exact = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, maxTokenLength: token.length });
    const shorter = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, maxTokenLength: token.length - 1 });
    expect(await verdict(exact, token)).toBe('ok');
    expect(await verdict(shorter, token)).toBe('401 token_too_large');
  });

  it('rejects an oversized genuine token without parsing JSON and without fetching keys from a cold issuer', async () => {
    const cold = await startSecurityIssuer(publishedKeys(ring));
    try {
      const verifier = createVerifier({ issuer: cold.url, audience: AUDIENCE, jwksUri: cold.jwksUri });
      const token = await signToken(ring.rs256, goodClaims(cold, { pad: 'p'.repeat(DEFAULTS.maxTokenLength) }));
      const parse = vi.spyOn(JSON, 'parse');
      expect(await verdict(verifier, token)).toBe('401 token_too_large');
      expect(parse).not.toHaveBeenCalled();
      expect(cold.jwksHits() + cold.discoveryHits()).toBe(0);
      parse.mockRestore();
      // The same verifier fetches and verifies a token under the cap: the counters are live.
      expect(await verdict(verifier, await signToken(ring.rs256, goodClaims(cold)))).toBe('ok');
      expect(cold.jwksHits()).toBe(1);
    } finally {
      await cold.close();
    }
  });

  it('rejects an oversized token of deeply nested JSON without parsing it', async () => {
    const nested = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const token = `${Buffer.from('{"alg":"RS256"}').toString('base64url')}.${Buffer.from(nested).toString('base64url')}.c2ln`;
    const parse = vi.spyOn(JSON, 'parse');
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, maxTokenLength: 100_000 });
    expect(token.length).toBeGreaterThan(500_000);
    expect(await verdict(verifier, token)).toBe('401 token_too_large');
    expect(parse).not.toHaveBeenCalled();
  });
});
