/**
 * JWKS fetch counts under a cold herd (200 concurrent requests with valid tokens, empty cache) and an
 * unknown-kid flood (200 concurrent requests whose tokens name random unknown kids), per contender.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createContender, type Contender } from './contenders.js';
import { startJwksServer } from './jwks-server.js';
import { createBenchKeys, signBenchToken } from './tokens.js';

/** Fetch counts of one contender. */
export interface HerdResult {
  readonly contender: Contender;
  /** Cold cache, 200 concurrent valid tokens: fetches, and how many answered 200. */
  readonly coldFetches: number;
  readonly coldOk: number;
  /** Right after, 200 concurrent tokens with random unknown kids: fetches and statuses. */
  readonly warmFloodFetches: number;
  readonly warmFloodStatuses: string;
  /** A fresh server, 200 concurrent unknown kids as the very first requests. */
  readonly coldFloodFetches: number;
  readonly coldFloodStatuses: string;
}

const HERD = 200;

async function hitAll(port: number, tokens: readonly string[]): Promise<number[]> {
  return Promise.all(
    tokens.map(async (token) => {
      const response = await fetch(`http://127.0.0.1:${port}/receipts/42`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      return response.status;
    }),
  );
}

function statuses(list: readonly number[]): string {
  const counts = new Map<number, number>();
  for (const status of list) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}×${status}`).join(', ');
}

async function withApp<T>(contender: Contender, run: (port: number, issuer: string, fetches: () => number) => Promise<T>): Promise<T> {
  const keys = createBenchKeys();
  const jwks = await startJwksServer({ keys: [keys.keys.RS256.jwk] }, 50);
  const config = { issuer: jwks.issuer, audience: 'api://receipts', jwksUri: jwks.jwksUri, algorithms: ['RS256'] };
  const app = express();
  app.set('env', 'production');
  app.get('/receipts/42', ...createContender(contender, config), (_req, res) => {
    res.json({ ok: true });
  });
  app.use(((error: { status?: number }, _req, res, _next) => {
    res.status(error.status ?? 500).end();
  }) as express.ErrorRequestHandler);
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    signer = keys.keys.RS256;
    return await run((server.address() as AddressInfo).port, jwks.issuer, () => jwks.fetches);
  } finally {
    server.closeAllConnections();
    server.close();
    await jwks.close();
  }
}

let signer: ReturnType<typeof createBenchKeys>['keys']['RS256'];

function tokens(issuer: string, unknownKids: boolean): string[] {
  const claims = { issuer, audience: 'api://receipts', lifetimeSec: 600 };
  return Array.from({ length: HERD }, (_, unique) =>
    signBenchToken(signer, unknownKids ? { ...claims, unique, kid: `unknown-${unique}-${Math.random().toString(36).slice(2)}` } : { ...claims, unique }),
  );
}

/** Measures one contender. */
export async function measureHerd(contender: Contender): Promise<HerdResult> {
  const warm = await withApp(contender, async (port, issuer, fetches) => {
    const cold = await hitAll(port, tokens(issuer, false));
    const coldFetches = fetches();
    const flood = await hitAll(port, tokens(issuer, true));
    return {
      coldFetches,
      coldOk: cold.filter((status) => status === 200).length,
      warmFloodFetches: fetches() - coldFetches,
      warmFloodStatuses: statuses(flood),
    };
  });
  const coldFlood = await withApp(contender, async (port, issuer, fetches) => {
    const flood = await hitAll(port, tokens(issuer, true));
    return { coldFloodFetches: fetches(), coldFloodStatuses: statuses(flood) };
  });
  return { contender, ...warm, ...coldFlood };
}
