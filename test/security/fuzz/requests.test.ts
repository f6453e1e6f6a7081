/**
 * Property-based fuzzing of whole HTTP requests on Express 5, Express 4 and Connect: random Authorization
 * values (schemes, separators, genuine, mutated and random credentials, Unicode, control characters),
 * repeated header lines and `access_token` query parameters, written byte for byte on a raw socket.
 * Oracles: a 200 only for exactly one well-formed Bearer credential (or enabled query token) holding a
 * genuine token; otherwise 400 or 401, never a 5xx; the token never appears in the answer; every answer
 * comes within a time bound; nothing escapes as an unhandled rejection.
 */
import { connect as connectSocket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes } from '../../../src/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import { AUDIENCE, createKeyRing, goodClaims, listen, publishedKeys, signToken, startSecurityIssuer } from '../support.js';
import { check, recordEscapes, runsOf, timeoutFor, within } from './support.js';

let issuer: IssuerServer;
let genuine: string[];
let apps: { name: string; url: string; close: () => Promise<void> }[];
const escapes = recordEscapes();

beforeAll(async () => {
  const ring = await createKeyRing();
  issuer = await startSecurityIssuer(publishedKeys(ring));
  const exp = Math.floor(Date.now() / 1000) + 3600;
  genuine = await Promise.all([ring.rs256, ring.es256, ring.eddsa].map((key) => signToken(key, goodClaims(issuer, { exp, scope: 'read' }))));
  apps = await Promise.all(
    FRAMEWORKS.map(async ({ name, build }) => {
      const options = { issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri };
      const server = build(
        [
          { path: '/r', chain: [authenticate(options), requireScopes('read')] },
          { path: '/q', chain: [authenticate(options, { tokenLocations: ['header', 'query'] }), requireScopes('read')] },
        ],
        reasonErrorHandler,
      );
      return { name, ...(await listen(server)) };
    }),
  );
});
afterAll(async () => {
  escapes.uninstall();
  await Promise.all(apps.map((app) => app.close()));
  await issuer.close();
});

/** Writes the request bytes and reads the whole answer (the connection is closed after one exchange). */
function exchange(url: string, head: string): Promise<{ status: number; text: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectSocket(Number(port), '127.0.0.1', () => socket.write(Buffer.from(`${head}Connection: close\r\n\r\n`, 'utf8')));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const trimOws = (value: string): string => value.replace(/^[ \t]+|[ \t]+$/g, '');

describe('fuzzed requests', () => {
  const runs = runsOf(240, 0.25);
  it(
    'answer 200 only to one well-formed credential holding a genuine token, else 400 or 401, never echoing it',
    async () => {
      const credential = fc.oneof(
        fc.nat().map((i) => genuine[i % genuine.length]!),
        fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('A', '.', '=', '-', '$', 'é', ' ')).map(([i, at, char]) => {
          const token = genuine[i % genuine.length]!;
          const p = at % token.length;
          return token.slice(0, p) + char + token.slice(p + 1);
        }),
        fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,120}=*$/),
        fc.string({ maxLength: 60, unit: 'grapheme' }),
        fc.string({ maxLength: 60, unit: 'binary' }),
        fc.constant(''),
      );
      const scheme = fc.oneof(
        fc.mixedCase(fc.constant('bearer')),
        fc.constantFrom('Basic', 'DPoP', 'Token', 'Bearer2', 'Bеarer', ''),
        fc.string({ maxLength: 8 }),
      );
      const separator = fc.oneof(fc.constantFrom(' ', '  ', '\t', '', ' \t', '\u00a0'), fc.string({ maxLength: 3 }));
      const suffix = fc.constantFrom('', '', '', '=', '==', ' ', ',x', '\t', ' x');
      const authorization = fc.option(fc.tuple(scheme, separator, credential, suffix).map((parts) => parts.join('')), { nil: undefined });
      const request = fc.record({
        app: fc.nat(),
        path: fc.constantFrom('/r', '/q'),
        authorization,
        repeat: fc.boolean(),
        query: fc.option(fc.oneof(fc.nat().map((i) => genuine[i % genuine.length]!), fc.string({ maxLength: 40 })), { nil: undefined }),
        queryTwice: fc.boolean(),
      });

      const property = fc.asyncProperty(request, async (r) => {
        const app = apps[r.app % apps.length]!;
        const value = r.authorization?.replace(/[\r\n]/g, ' ');
        const lines: string[] = [];
        if (value !== undefined) {
          lines.push(`Authorization: ${value}`);
          if (r.repeat) lines.push(`Authorization: ${value}`);
        }
        let target = r.path;
        if (r.query !== undefined) {
          const encoded = encodeURIComponent(r.query);
          target += `?access_token=${encoded}${r.queryTwice ? `&access_token=${encoded}` : ''}`;
        }
        const head = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.map((line) => `${line}\r\n`).join('')}`;
        const res = await within(exchange(app.url, head), 5000, `${app.name} ${JSON.stringify(r)}`);

        const seen = value === undefined ? undefined : trimOws(value);
        const headerOk =
          seen !== undefined && !r.repeat && !CONTROL.test(seen) && /^bearer +/i.test(seen) && genuine.includes(seen.replace(/^bearer +/i, ''));
        const headerBearer = seen !== undefined && /^bearer([ \t]|$)/i.test(seen);
        const queryOk =
          r.path === '/q' && r.query !== undefined && r.query !== '' && !r.queryTwice && genuine.includes(r.query) && !headerBearer && !(seen !== undefined && r.repeat);
        // Node itself refuses a header value holding control characters (400) before any middleware runs.
        const refusedByNode = seen !== undefined && CONTROL.test(seen);
        const expectOk = !refusedByNode && ((headerOk && r.query === undefined) || queryOk);

        expect([200, 400, 401]).toContain(res.status);
        expect(res.status === 200).toBe(expectOk);
        for (const token of genuine) expect(res.text.includes(token.split('.')[2]!)).toBe(false);
      });
      await check('random requests', property, runs);
    },
    timeoutFor(runs, 8),
  );

  it('leave no unhandled rejection or uncaught exception behind', () => {
    expect(escapes.escapes).toEqual([]);
  });
});
