/**
 * Serves a web-standard fetch handler (`(request: Request) => Promise<Response>`) on node:http, so the
 * web-standard example runs like the others. Not part of bearer-guard: Bun, Deno, workers and Next.js call
 * such a handler themselves.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

function toRequest(req: IncomingMessage): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const init: RequestInit & { duplex?: 'half' } = { method, headers };
  if (method !== 'GET' && method !== 'HEAD') {
    init.body = Readable.toWeb(req) as ReadableStream<Uint8Array>;
    init.duplex = 'half';
  }
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, init);
}

async function send(response: Response, res: ServerResponse): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(body);
}

/** A node:http listener that answers every request with `handler`. */
export function serveFetch(handler: (request: Request) => Promise<Response>): RequestListener {
  return (req, res) => {
    handler(toRequest(req))
      .then((response) => send(response, res))
      .catch((error: unknown) => {
        console.error(error);
        res.writeHead(500).end();
      });
  };
}
