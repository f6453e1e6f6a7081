/**
 * A `fetch` for an HTTPS test issuer: it trusts the issuer's in-memory certificate authority (and no other
 * for `https:` URLs), so clients reach the issuer with TLS verification on. Node's global `fetch` cannot be
 * given a CA without an extra package; this one is built on `node:https`.
 */
import { request } from 'node:https';
import { Readable } from 'node:stream';
import type { FetchLike } from '../http/fetch-json.js';
import { failArgument } from '../options/option-checks.js';

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

function toBody(body: RequestInit['body']): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  failArgument('init.body', 'must be a string, URLSearchParams or bytes', 'fetch()');
}

function toHeaders(raw: NodeJS.Dict<string | string[]>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/**
 * A WHATWG-style `fetch` that trusts `ca` (PEM) for `https:` URLs and uses the global `fetch` for the
 * others. It never follows redirects (a 3xx is returned as it is, like `redirect: 'manual'`), and honours
 * `method`, `headers`, `body` and `signal`.
 */
export function createTrustingFetch(ca: string): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(input);
    if (url.protocol !== 'https:') return globalThis.fetch(input, init);
    return new Promise<Response>((resolve, reject) => {
      const method = (init.method ?? 'GET').toUpperCase();
      const headers = new Headers(init.headers);
      const body = toBody(init.body);
      if (body !== undefined && !headers.has('content-type') && init.body instanceof URLSearchParams) {
        headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
      }
      if (body !== undefined) headers.set('content-length', String(Buffer.byteLength(body)));
      const outgoing = request(url, {
        method,
        headers: Object.fromEntries(headers),
        ca,
        agent: false,
        ...(init.signal ? { signal: init.signal } : {}),
      });
      outgoing.on('error', reject);
      outgoing.on('response', (incoming) => {
        const status = incoming.statusCode ?? 500;
        const empty = NULL_BODY_STATUSES.has(status) || method === 'HEAD';
        if (empty) incoming.resume();
        const stream = empty ? null : (Readable.toWeb(incoming) as unknown as ReadableStream<Uint8Array>);
        resolve(new Response(stream, { status, statusText: incoming.statusMessage ?? '', headers: toHeaders(incoming.headers) }));
      });
      outgoing.end(body);
    });
  };
}
