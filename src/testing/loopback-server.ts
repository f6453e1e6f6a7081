/**
 * The HTTP(S) server under the test issuer: loopback interfaces only, a random port by default, and a
 * `close()` that does not wait for idle keep-alive connections.
 */
import { createServer, type RequestListener } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { isIPv4, type AddressInfo, type Server, type Socket } from 'node:net';
import { fail } from '../options/option-checks.js';
import type { ServerCredentials } from './test-ca.js';

/** A listening loopback server. */
export interface LoopbackServer {
  /** `http://<bound address>:<port>` (`https:` with TLS), without a trailing slash. */
  readonly origin: string;
  /** Stops listening and drops open connections. Safe to call more than once. */
  close(): Promise<void>;
}

/** True for the hosts the test issuer may listen on: `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackListenHost(host: string): boolean {
  const name = host.toLowerCase();
  return name === 'localhost' || name === '::1' || name === '[::1]' || (isIPv4(name) && name.startsWith('127.'));
}

/** Refuses a host that is not loopback, naming the option of `where` (`createTestIssuer()`). */
export function checkLoopbackHost(host: string, where: string): void {
  if (!isLoopbackListenHost(host)) {
    fail('host', 'must be a loopback host (127.0.0.1, another 127.x.y.z, ::1, localhost): it is never for production', where);
  }
}

/**
 * Listens on `host:port` (a loopback host; port 0 picks a free one), over TLS with `tls` (a certificate
 * valid for the address bound).
 */
export async function listenOnLoopback(
  host: string,
  port: number,
  listener: RequestListener,
  tls?: ServerCredentials,
): Promise<LoopbackServer> {
  checkLoopbackHost(host, 'listenOnLoopback()');
  const bindHost = host === '[::1]' ? '::1' : host;
  const sockets = new Set<Socket>();
  const server: Server = tls === undefined ? createServer(listener) : createTlsServer({ ...tls }, listener);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  // The address actually bound (`localhost` resolves to one of 127.0.0.1 and ::1), so URLs always reach it.
  const urlHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    origin: `${tls === undefined ? 'http' : 'https'}://${urlHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
