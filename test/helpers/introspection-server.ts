/**
 * A real introspection endpoint on 127.0.0.1 whose answers each test controls, for the rows the test
 * issuer (a well-behaved authorization server) never produces: active answers with a past `exp`, another
 * `iss`, no `exp`; Boruta's exact response shape; and faults (status codes, hangs, non-JSON, huge bodies,
 * redirects, dropped connections). It records every request (headers and form) and serves metadata naming
 * itself as `introspection_endpoint` (unless told not to).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the introspection endpoint does. */
export type IntrospectionBehaviour =
  /** 200 with `answer(form)` as JSON. */
  | { kind: 'ok' }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** `status` for the requests `when` picks, 200 with `answer(form)` for the others. */
  | { kind: 'status-for'; status: number; when: (form: URLSearchParams) => boolean }
  | { kind: 'hang' }
  | { kind: 'body'; body: string; contentType?: string }
  | { kind: 'huge'; bytes: number }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'reset' }
  /** Answers like `ok` once `until` settles. */
  | { kind: 'gate'; until: Promise<unknown> };

/** One request the endpoint received. */
export interface RecordedRequest {
  readonly method: string;
  readonly headers: IncomingMessage['headers'];
  readonly form: URLSearchParams;
}

/** A running introspection server. */
export interface IntrospectionServer {
  /** `http://127.0.0.1:<port>`: also the issuer named by its metadata. */
  readonly url: string;
  /** `<url>/introspect`. */
  readonly endpoint: string;
  behaviour: IntrospectionBehaviour;
  /** The JSON answered for a request (`ok`). @default {@link activeAnswer} for any token. */
  answer: (form: URLSearchParams, headers: IncomingMessage['headers']) => unknown;
  /** Name `introspection_endpoint` in the metadata. @default true */
  advertise: boolean;
  /** Requests to the introspection endpoint. */
  readonly requests: RecordedRequest[];
  /** Requests to the metadata. */
  metadataRequests: number;
  close(): Promise<void>;
}

/** An RFC 7662 active answer for `url`'s tokens, valid for an hour. */
export function activeAnswer(url: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { active: true, iss: url, aud: 'api://receipts', client_id: 'payments', sub: 'payments', scope: 'receipts.read', exp: now + 3600, iat: now, ...extra };
}

function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

/** Starts a server answering `activeAnswer` for every token. */
export async function startIntrospectionServer(): Promise<IntrospectionServer> {
  const sockets = new Set<Socket>();
  let base = '';
  const state = {
    behaviour: { kind: 'ok' } as IntrospectionBehaviour,
    answer: (_form: URLSearchParams, _headers: IncomingMessage['headers']): unknown => activeAnswer(base),
    advertise: true,
    requests: [] as RecordedRequest[],
    metadataRequests: 0,
  };
  const json = (res: ServerResponse, value: unknown): void => {
    const body = JSON.stringify(value);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  };
  const introspect = (res: ServerResponse, form: URLSearchParams, headers: IncomingMessage['headers']): void => {
    const behaviour = state.behaviour;
    switch (behaviour.kind) {
      case 'ok':
        return json(res, state.answer(form, headers));
      case 'status':
        res.writeHead(behaviour.status, behaviour.headers).end(behaviour.body ?? '');
        return;
      case 'status-for':
        if (!behaviour.when(form)) return json(res, state.answer(form, headers));
        res.writeHead(behaviour.status).end();
        return;
      case 'hang':
        return;
      case 'body':
        res.writeHead(200, { 'content-type': behaviour.contentType ?? 'application/json' }).end(behaviour.body);
        return;
      case 'huge':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.on('error', () => undefined);
        res.end(`{"active":true,"pad":"${'x'.repeat(behaviour.bytes)}"}`);
        return;
      case 'redirect':
        res.writeHead(behaviour.status ?? 307, { location: behaviour.location }).end();
        return;
      case 'reset':
        res.socket?.destroy();
        return;
      case 'gate': {
        const release = (): void => {
          if (!res.destroyed) json(res, state.answer(form, headers));
        };
        behaviour.until.then(release, release);
        return;
      }
    }
  };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/.well-known/openid-configuration' || path === '/.well-known/oauth-authorization-server') {
      state.metadataRequests += 1;
      json(res, { issuer: base, jwks_uri: `${base}/jwks`, ...(state.advertise ? { introspection_endpoint: `${base}/introspect` } : {}) });
    } else if (path === '/jwks') {
      json(res, { keys: [] });
    } else if (path === '/introspect') {
      readForm(req).then((form) => {
        state.requests.push({ method: req.method ?? '', headers: req.headers, form });
        introspect(res, form, req.headers);
      }, () => res.destroy());
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
  return Object.assign(state, {
    url: base,
    endpoint: `${base}/introspect`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
