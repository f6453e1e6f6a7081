/**
 * The benchmark's issuer: serves a JWK Set (optionally slowly) on 127.0.0.1 and counts fetches.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running JWKS server. */
export interface BenchJwksServer {
  readonly issuer: string;
  readonly jwksUri: string;
  fetches: number;
  close(): Promise<void>;
}

/** Serves `jwks`; each answer waits `delayMs` (to make concurrent requests overlap). */
export async function startJwksServer(jwks: unknown, delayMs = 0): Promise<BenchJwksServer> {
  const body = JSON.stringify(jwks);
  const state = { fetches: 0 };
  const server: Server = createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    state.fetches += 1;
    const answer = (): void => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    issuer: base,
    jwksUri: `${base}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
