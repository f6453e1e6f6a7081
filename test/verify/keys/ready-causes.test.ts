/**
 * `verifier.ready()` names the network cause of each failure in its message, with a fixed `jwksUri` and
 * with discovery alike: `ENOTFOUND` (a host that cannot resolve), `ECONNREFUSED` (a closed loopback port),
 * the TLS error of a real HTTPS server whose self-signed certificate is made here, and the HTTP status.
 * `errors[0]` is the `KeyFetchError`, with that `code` and the underlying error kept as `cause`.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, KeyFetchError } from '../../../src/index.js';
import { systemErrorCode } from '../../../src/http/fetch-json.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { buildCertificate, toPem } from '../../../src/testing/x509.js';

/** A 64-character label under `.invalid`: the resolver refuses it without sending a query (RFC 6761, RFC 1035). */
const UNRESOLVABLE = `${'x'.repeat(64)}.invalid`;

let closedPort: number;
let tls: HttpsServer;
let tlsOrigin: string;
let failing: IssuerServer;
let serial = 0;

beforeAll(async () => {
  // A port that was just free and is closed again: connections to it are refused.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // A real HTTPS server with a certificate nobody trusts.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = toPem(
    buildCertificate({
      subject: '127.0.0.1',
      publicKey,
      issuer: '127.0.0.1',
      signingKey: privateKey,
      usage: 'serverAuth',
      altNames: ['127.0.0.1'],
      lifetimeMs: 86_400_000,
    }),
  );
  tls = createHttpsServer({ key: privateKey.export({ type: 'pkcs8', format: 'pem' }), cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
  tlsOrigin = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
  failing = await startIssuerServer({ path: '/ready-causes' });
  failing.jwks = { kind: 'status', status: 500 };
  failing.discovery = { kind: 'status', status: 502 };
});
afterAll(async () => {
  tls.closeAllConnections();
  await new Promise<void>((resolve) => tls.close(() => resolve()));
  await failing.close();
});

/** `ready()`'s rejection. */
async function readyFailure(options: { issuer: string; jwksUri?: string }): Promise<AggregateError> {
  const error: unknown = await createVerifier({ ...options, audience: 'api://ready', keys: { timeoutMs: 3_000 } })
    .ready()
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  expect(error).toBeInstanceOf(AggregateError);
  return error as AggregateError;
}

/** Every error along the `cause` chain of `error`. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let at = error; at instanceof Error && chain.length < 8; at = at.cause) chain.push(at);
  return chain;
}

type Where = (path: string) => { issuer: string; jwksUri?: string };

const PLACES: [string, (origin: string) => Where][] = [
  ['jwksUri', (origin) => (path) => ({ issuer: `${origin}${path}`, jwksUri: `${origin}${path}/jwks` })],
  ['discovery', (origin) => (path) => ({ issuer: `${origin}${path}` })],
];

describe.each(PLACES)('verifier.ready() with %s', (place, at) => {
  const path = (): string => `/ready-${process.pid}-${++serial}`;

  it.each<[string, () => string, RegExp]>([
    ['ENOTFOUND for a host that does not resolve', () => `https://${UNRESOLVABLE}`, /^ENOTFOUND$/],
    ['ECONNREFUSED for a closed port', () => `http://127.0.0.1:${closedPort}`, /^ECONNREFUSED$/],
    ['the TLS error of a self-signed certificate', () => tlsOrigin, /^DEPTH_ZERO_SELF_SIGNED_CERT$/],
  ])('rejects with a message naming %s, keeping the network error as cause', async (_name, origin, code) => {
    const error = await readyFailure(at(origin())(path()));
    const failure = error.errors[0] as KeyFetchError;
    expect(failure).toBeInstanceOf(KeyFetchError);
    expect(failure.kind).toBe('network');
    expect(failure.code).toMatch(code);
    expect(error.message).toContain(failure.code!);
    expect(failure.message).toContain(failure.code!);
    // The cause chain reaches the error the platform raised, whose own code is the one reported.
    expect(failure.cause).toBeInstanceOf(Error);
    const platform = causes(failure).find((each) => !(each instanceof KeyFetchError));
    expect(platform).toBeInstanceOf(Error);
    expect(systemErrorCode(platform)).toBe(failure.code);
  });

  it('rejects with a message naming the HTTP status', async () => {
    const options = place === 'jwksUri' ? { issuer: failing.url, jwksUri: failing.jwksUri } : { issuer: failing.url };
    const error = await readyFailure(options);
    const failure = error.errors[0] as KeyFetchError;
    const status = place === 'jwksUri' ? 500 : 502;
    expect(failure.kind).toBe('status');
    expect(failure.code).toBe(`HTTP_${status}`);
    expect(error.message).toContain(`HTTP ${status}`);
  });
});
