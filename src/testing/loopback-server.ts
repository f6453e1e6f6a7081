/**
 * The HTTP server under the test issuer: loopback interfaces only, a random port by default, and a
 * `close()` that does not wait for idle keep-alive connections.
 */
import { createServer, type RequestListener } from 'node:http';
import { isIPv4, type AddressInfo, type Socket } from 'node:net';

/** A listening loopback server. */
export interface LoopbackServer {
  /** `http://<bound address>:<port>`, without a trailing slash. */
  readonly origin: string;
  /** Stops listening and drops open connections. Safe to call more than once. */
  close(): Promise<void>;
}

/** True for the hosts the test issuer may listen on: `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackListenHost(host: string): boolean {
  const name = host.toLowerCase();
  return name === 'localhost' || name === '::1' || name === '[::1]' || (isIPv4(name) && name.startsWith('127.'));
}

/** Listens on `host:port` (a loopback host; port 0 picks a free one). */
export async function listenOnLoopback(host: string, port: number, listener: RequestListener): Promise<LoopbackServer> {
  if (!isLoopbackListenHost(host)) {
    throw new TypeError(
      `bearer-guard/testing: the test issuer only listens on loopback hosts (127.0.0.1, ::1, localhost), ` +
        `not "${host}". It is never for production.`,
    );
  }
  const bindHost = host === '[::1]' ? '::1' : host;
  const sockets = new Set<Socket>();
  const server = createServer(listener);
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
    origin: `http://${urlHost}:${address.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
