/**
 * A real issuer metadata + JWKS server on 127.0.0.1 whose behaviour each test controls and whose hits it
 * counts: OpenID discovery, RFC 8414 metadata, the JWK Set, and faults (status codes, hangs, garbage,
 * huge bodies, redirects, slow answers, dripping bodies, dropped connections) or held answers (`gate`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { JWK } from 'jose';

/** What the JWKS (or metadata) endpoint does. */
export type EndpointBehaviour =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'body'; body: string | Buffer; contentType?: string }
  | { kind: 'huge'; bytes: number; declareLength?: boolean }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'slow'; delayMs: number }
  /** 200 and headers at once, then one byte of JSON whitespace every `intervalMs`, never ending. */
  | { kind: 'drip'; intervalMs: number }
  /** Drops the connection without answering. */
  | { kind: 'reset' }
  /** Answers like `ok` once `until` settles (requests arriving meanwhile all wait). */
  | { kind: 'gate'; until: Promise<unknown> };

/** A running issuer server. */
export interface IssuerServer {
  /** `http://127.0.0.1:<port>` (also the issuer of the metadata documents). */
  readonly url: string;
  readonly jwksUri: string;
  /** Keys served at the JWKS endpoint; mutate to rotate. */
  keys: JWK[];
  /** Behaviour of the JWKS endpoint. */
  jwks: EndpointBehaviour;
  /** Behaviour of the discovery endpoints (`ok` serves metadata). */
  discovery: EndpointBehaviour;
  /** `issuer` value written in the metadata (defaults to `url`). */
  metadataIssuer: string | undefined;
  /** Serve OpenID discovery (else 404 there, RFC 8414 only). */
  openidDiscovery: boolean;
  /** Hits per path. */
  readonly hits: Map<string, number>;
  /** Hits of the JWKS endpoint. */
  jwksHits(): number;
  /** Hits of the discovery endpoints. */
  discoveryHits(): number;
  resetHits(): void;
  close(): Promise<void>;
}

function sendJson(res: ServerResponse, value: unknown, contentType = 'application/json'): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Starts a server; `path` is the path prefix of the issuer (e.g. `/tenant-a`); `jwksPath` is where the JWK
 * Set is served (default `<path>/jwks`), to mimic an issuer's own layout (e.g. `/common/discovery/v2.0/keys`).
 */
export async function startIssuerServer(
  options: { keys?: JWK[]; path?: string; jwksPath?: string } = {},
): Promise<IssuerServer> {
  const sockets = new Set<Socket>();
  const hits = new Map<string, number>();
  const path = options.path ?? '';
  const jwksPath = options.jwksPath ?? `${path}/jwks`;
  const state = {
    keys: options.keys ?? [],
    jwks: { kind: 'ok' } as EndpointBehaviour,
    discovery: { kind: 'ok' } as EndpointBehaviour,
    metadataIssuer: undefined as string | undefined,
    openidDiscovery: true,
  };
  let base = '';

  const behave = (behaviour: EndpointBehaviour, res: ServerResponse, ok: () => void): void => {
    switch (behaviour.kind) {
      case 'ok':
        ok();
        return;
      case 'status':
        res.writeHead(behaviour.status, behaviour.headers);
        res.end(behaviour.body ?? '');
        return;
      case 'hang':
        return; // never answer; the socket is destroyed on close()
      case 'body':
        res.writeHead(200, { 'content-type': behaviour.contentType ?? 'application/json' });
        res.end(behaviour.body);
        return;
      case 'huge': {
        res.writeHead(200, {
          'content-type': 'application/json',
          ...(behaviour.declareLength === true ? { 'content-length': String(behaviour.bytes) } : {}),
        });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < behaviour.bytes) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('error', () => undefined);
        pump();
        return;
      }
      case 'redirect':
        res.writeHead(behaviour.status ?? 302, { location: behaviour.location });
        res.end();
        return;
      case 'slow':
        setTimeout(ok, behaviour.delayMs).unref();
        return;
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{');
        const timer = setInterval(() => res.write(' '), behaviour.intervalMs);
        res.on('close', () => clearInterval(timer));
        res.on('error', () => undefined);
        return;
      }
      case 'reset':
        res.socket?.destroy();
        return;
      case 'gate': {
        const release = (): void => {
          if (!res.destroyed) ok();
        };
        behaviour.until.then(release, release);
        return;
      }
    }
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const issuer = `${base}${path}`;
    const metadata = (): void =>
      sendJson(res, {
        issuer: state.metadataIssuer ?? issuer,
        jwks_uri: `${base}${jwksPath}`,
        token_endpoint: `${issuer}/token`,
      });
    if (url === jwksPath) {
      behave(state.jwks, res, () => sendJson(res, { keys: state.keys }, 'application/jwk-set+json'));
    } else if (url === `${path}/.well-known/openid-configuration`) {
      if (!state.openidDiscovery) {
        res.writeHead(404).end();
        return;
      }
      behave(state.discovery, res, metadata);
    } else if (url === `/.well-known/oauth-authorization-server${path}`) {
      behave(state.discovery, res, metadata);
    } else {
      res.writeHead(404).end();
    }
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${base}${path}`;

  return Object.assign(state, {
    url,
    jwksUri: `${base}${jwksPath}`,
    hits,
    jwksHits: () => hits.get(jwksPath) ?? 0,
    discoveryHits: () =>
      (hits.get(`${path}/.well-known/openid-configuration`) ?? 0) +
      (hits.get(`/.well-known/oauth-authorization-server${path}`) ?? 0),
    resetHits: () => hits.clear(),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
