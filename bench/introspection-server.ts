/**
 * The benchmark's introspection endpoint: answers every token as active (RFC 7662, one hour left), after
 * an optional delay (to make concurrent requests overlap), and counts calls.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running introspection endpoint. */
export interface BenchIntrospectionServer {
  readonly issuer: string;
  readonly endpoint: string;
  calls: number;
  close(): Promise<void>;
}

/** Starts the endpoint; each answer waits `delayMs` and names `answerIssuer` (default: its own URL) as `iss`. */
export async function startIntrospectionServer(delayMs = 0, answerIssuer?: string): Promise<BenchIntrospectionServer> {
  const state = { calls: 0 };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/introspect') {
      res.writeHead(404).end();
      return;
    }
    state.calls += 1;
    req.resume();
    req.on('end', () => {
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        active: true,
        iss: answerIssuer ?? issuer,
        aud: 'api://receipts',
        client_id: 'payments-service',
        scope: 'receipts.read receipts.write',
        exp: now + 3600,
        iat: now,
      });
      const answer = (): void => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      };
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(state, {
    issuer,
    endpoint: `${issuer}/introspect`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
