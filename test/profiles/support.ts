/**
 * Serving an issuer's own metadata and key-set layout on 127.0.0.1, for the provider tests:
 *
 * - {@link startLayoutServer}: a real HTTP server answering JSON documents at the exact paths an issuer
 *   uses (`/oauth2/default/.well-known/oauth-authorization-server`, `/common/discovery/v2.0/keys`…), each
 *   built once the server knows its own URL, and 404 elsewhere; it counts hits per path.
 * - {@link routeHosts}: a `fetch` (the `keys.fetch` option) that sends requests for an issuer's real
 *   `https://` host to such a server, path and query kept, as a forwarding proxy would. Presets that derive
 *   HTTPS URLs from a domain (Auth0, Cognito, Entra ID) keep those URLs; only the connection goes to
 *   loopback. Any other URL is refused, so nothing leaves the machine.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FetchLike } from '../../src/index.js';
import { listenOnLoopback } from '../../src/testing/loopback-server.js';

/** A running layout server. */
export interface LayoutServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Hits per request path (query included). */
  readonly hits: Map<string, number>;
  close(): Promise<void>;
}

/**
 * Starts a server answering `documents(url)[path]` as JSON at each `path` (query included, exact match).
 * `documents` is called once, after the port is known, so documents can name their own URLs.
 */
export async function startLayoutServer(documents: (url: string) => Record<string, unknown>): Promise<LayoutServer> {
  const hits = new Map<string, number>();
  let routes: Record<string, unknown> = {};
  const server = await listenOnLoopback('127.0.0.1', 0, (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (req.method !== 'GET' || !Object.hasOwn(routes, path)) {
      res.writeHead(404).end();
      return;
    }
    const body = JSON.stringify(routes[path]);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  routes = documents(server.origin);
  return { url: server.origin, hits, close: () => server.close() };
}

/** A `fetch` that routes some `https://` hosts to loopback servers, and the URLs it was asked for. */
export interface HostRouter {
  readonly fetch: FetchLike;
  /** Every URL requested through {@link HostRouter.fetch}, as the library asked for it. */
  readonly requested: string[];
}

/** Routes `https://<host>/<path>` to `<routes[host]>/<path>` for each host in `routes` (host → base URL). */
export function routeHosts(routes: Readonly<Record<string, string>>): HostRouter {
  const requested: string[] = [];
  const fetch: FetchLike = (input, init) => {
    const url = new URL(input);
    const base = Object.hasOwn(routes, url.host) ? routes[url.host] : undefined;
    if (url.protocol !== 'https:' || base === undefined) {
      return Promise.reject(new TypeError('no route to this host in the test'));
    }
    requested.push(input);
    return globalThis.fetch(`${base}${url.pathname}${url.search}`, init);
  };
  return { fetch, requested };
}
