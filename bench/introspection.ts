/**
 * Opaque tokens validated by introspection (RFC 7662):
 *
 * - a cached opaque token against a cached JWT: µs per verification in one process, and solo load runs of
 *   bearer-guard with one reused token of each kind beside bare Express (server CPU per request);
 * - a cold herd: 200 concurrent requests carrying one new opaque token, the endpoint answering after
 *   50 ms: how many introspection calls they make.
 *
 * Run by bench/run.ts; `tsx bench/introspection.ts` runs it alone and prints one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { authenticate, createVerifier } from '../src/index.js';
import type { IssuerConfig } from './contenders.js';
import { startIntrospectionServer } from './introspection-server.js';
import { startJwksServer } from './jwks-server.js';
import { runLoad, type LoadSettings, type RunResult } from './load.js';
import { createBenchKeys, signBenchToken } from './tokens.js';

/** What this part of the benchmark measured. */
export interface IntrospectionBenchResult {
  /** µs per `verifier.verify` of a cached token, one process, no HTTP. */
  readonly micro: { readonly cachedJwt: number; readonly cachedOpaque: number };
  /** Solo runs per round: bare Express, bearer-guard with a reused JWT, with a reused opaque token. */
  readonly solo: { readonly bare: RunResult[]; readonly jwt: RunResult[]; readonly opaque: RunResult[] };
  /** 200 concurrent requests, one new opaque token: introspection calls, and answers 200. */
  readonly herd: { readonly calls: number; readonly ok: number };
}

const HERD = 200;
const CREDENTIALS = { clientId: 'receipts-api', clientSecret: 'bench-secret' };
const opaqueToken = (): string => randomBytes(64).toString('base64url');

async function perVerify(count: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(2000, count); i++) await op();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) await op();
  return Number(process.hrtime.bigint() - start) / 1000 / count;
}

async function measureHerd(): Promise<{ calls: number; ok: number }> {
  const endpoint = await startIntrospectionServer(50);
  const app = express();
  app.set('env', 'production');
  app.get('/receipts/42', authenticate({ issuer: endpoint.issuer, audience: 'api://receipts', introspection: { endpoint: endpoint.endpoint, ...CREDENTIALS } }), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(((error: { status?: number }, _req, res, _next) => {
    res.status(error.status ?? 500).end();
  }) as express.ErrorRequestHandler);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const token = opaqueToken();
    const port = (server.address() as AddressInfo).port;
    const statuses = await Promise.all(
      Array.from({ length: HERD }, async () => {
        const response = await fetch(`http://127.0.0.1:${port}/receipts/42`, { headers: { authorization: `Bearer ${token}` } });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    return { calls: endpoint.calls, ok: statuses.filter((status) => status === 200).length };
  } finally {
    server.closeAllConnections();
    server.close();
    await endpoint.close();
  }
}

/** Measures everything above; `rounds` solo runs of each kind, interleaved. */
export async function measureIntrospection(settings: LoadSettings & { rounds: number; microCount: number }): Promise<IntrospectionBenchResult> {
  const keys = createBenchKeys();
  const jwks = await startJwksServer({ keys: [keys.keys.RS256.jwk] });
  const endpoint = await startIntrospectionServer(0, jwks.issuer);
  try {
    const base: IssuerConfig = { issuer: jwks.issuer, audience: 'api://receipts', jwksUri: jwks.jwksUri, algorithms: ['RS256'] };
    const withIntrospection: IssuerConfig = { ...base, introspection: { endpoint: endpoint.endpoint, ...CREDENTIALS } };
    const jwt = signBenchToken(keys.keys.RS256, { issuer: jwks.issuer, audience: 'api://receipts', lifetimeSec: 7200 });
    const opaque = opaqueToken();

    const verifier = createVerifier({ ...base, introspection: { endpoint: endpoint.endpoint, ...CREDENTIALS } });
    const micro = {
      cachedJwt: await perVerify(settings.microCount, () => verifier.verify(jwt)),
      cachedOpaque: await perVerify(settings.microCount, () => verifier.verify(opaque)),
    };

    const solo = { bare: [] as RunResult[], jwt: [] as RunResult[], opaque: [] as RunResult[] };
    for (let round = 1; round <= settings.rounds; round++) {
      const runs: [keyof typeof solo, () => Promise<RunResult>][] = [
        ['bare', () => runLoad('bare', base, [opaque], settings)],
        ['jwt', () => runLoad('bearer-guard', base, [jwt], settings)],
        ['opaque', () => runLoad('bearer-guard', withIntrospection, [opaque], settings)],
      ];
      for (const [kind, run] of round % 2 === 0 ? runs.reverse() : runs) solo[kind].push(await run());
    }
    return { micro, solo, herd: await measureHerd() };
  } finally {
    await endpoint.close();
    await jwks.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.env.BENCH_QUICK === '1';
  const result = await measureIntrospection({
    rounds: quick ? 1 : 3,
    durationSec: quick ? 2 : 5,
    warmupSec: 1,
    connections: 50,
    microCount: quick ? 20_000 : 200_000,
  });
  console.log(JSON.stringify(result));
}
