/**
 * Small fixtures shared by the key-management suites: a listening app, an error spy that exposes the
 * stable `reason` of each answer, a recorder of key events, and a server of fixed routes with delays.
 */
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import request from 'supertest';
import {
  isAuthError,
  onKeyEvent,
  type ErrorMiddleware,
  type FetchLike,
  type KeyEvent,
  type Middleware,
} from '../../../src/index.js';
import type { JWK } from 'jose';
import type { AppFactory } from '../../helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from '../../helpers/issuer-server.js';
import { listenOnLoopback } from '../../../src/testing/loopback-server.js';

/** Header in which {@link reasonSpy} reports the `reason` of a bearer-guard error. */
export const REASON_HEADER = 'x-test-reason';

/** Records the `reason` of a bearer-guard error in a response header, then lets the framework answer. */
export const reasonSpy: ErrorMiddleware = (error, _req, res, next) => {
  if (isAuthError(error)) res.setHeader(REASON_HEADER, error.reason);
  next(error);
};

/** A protected app listening on 127.0.0.1. */
export interface RunningApp {
  readonly url: string;
  /** GET `/r`, with `token` as a Bearer token when given. */
  get(token?: string): request.Test;
  close(): Promise<void>;
}

/** Builds `/r` guarded by `guard` with `build`, and listens on a free loopback port. */
export async function startApp(build: AppFactory, guard: Middleware, before: Middleware[] = []): Promise<RunningApp> {
  const server: Server = build([{ path: '/r', chain: [...before, guard] }], reasonSpy);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get(token) {
      const test = request(url).get('/r');
      return token === undefined ? test : test.set('Authorization', `Bearer ${token}`);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Key events seen since {@link recordKeyEvents} was called. */
export interface KeyEventLog {
  readonly events: KeyEvent[];
  /** The events of one type. */
  of<T extends KeyEvent['type']>(type: T): Extract<KeyEvent, { type: T }>[];
  stop(): void;
}

/** Subscribes to key events (optionally only those whose URL starts with `prefix`, e.g. one issuer server). */
export function recordKeyEvents(prefix?: string): KeyEventLog {
  const events: KeyEvent[] = [];
  const stop = onKeyEvent((event) => {
    if (prefix === undefined || event.url.startsWith(prefix)) events.push(event);
  });
  return {
    events,
    of: <T extends KeyEvent['type']>(type: T) =>
      events.filter((event): event is Extract<KeyEvent, { type: T }> => event.type === type),
    stop,
  };
}

/** Lets pending I/O callbacks and promise jobs run (background refreshes over loopback finish in a few ms). */
export async function settle(check: () => boolean, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!check()) throw new Error('the expected state was not reached');
}

/** The real `fetch`, recording each URL at the moment a fetch starts (the server sees it a little later). */
export function trackedFetch(): { fetch: FetchLike; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: (url, init) => {
      calls.push(url);
      return globalThis.fetch(url, init);
    },
  };
}

let issuers = 0;

/**
 * An issuer server under a path of its own. Key stores are shared process-wide by URL, and the OS may hand
 * a later test the port of an earlier one: a unique path keeps each test's stores its own.
 */
export function startUniqueIssuer(options: { keys?: JWK[] } = {}): Promise<IssuerServer> {
  return startIssuerServer({ ...options, path: `/issuer-${++issuers}` });
}

/** How a {@link RouteServer} answers one path: `res` to answer, `base` its `http://127.0.0.1:<port>`. */
export type Route = (res: ServerResponse, base: string) => void;

/** A loopback server answering fixed paths (404 elsewhere), counting hits per path. */
export interface RouteServer {
  /** `http://127.0.0.1:<port>`. */
  readonly base: string;
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

/** Answers `res` with `value` as JSON after `delayMs` (at once when 0). */
export function jsonAfter(delayMs: number, value: (base: string) => unknown, status = 200): Route {
  return (res, base) => {
    const send = (): void => {
      if (res.destroyed) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value(base)));
    };
    if (delayMs === 0) send();
    else setTimeout(send, delayMs).unref();
  };
}

/** Never answers (the socket is destroyed on close). */
export const hang: Route = () => undefined;

/** Starts a {@link RouteServer} for an issuer layout that the shared issuer server does not model. */
export async function startRouteServer(routes: Record<string, Route>): Promise<RouteServer> {
  const hits = new Map<string, number>();
  let base = '';
  const server = await listenOnLoopback('127.0.0.1', 0, (req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route === undefined) res.writeHead(404).end();
    else route(res, base);
  });
  base = server.origin;
  return { base, hits, close: () => server.close() };
}
