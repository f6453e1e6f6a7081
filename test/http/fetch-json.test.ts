import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchJson, KeyFetchError, type FetchJsonOptions } from '../../src/http/fetch-json.js';
import { resolveKeyOptions } from '../../src/verify/keys/key-options.js';
import { isLoopbackHost, toFetchableUrl } from '../../src/http/url-policy.js';
import type { FetchLike } from '../../src/http/fetch-json.js';
import type { KeyOptions } from '../../src/verify/keys/key-options.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { startIntrospectionServer } from '../helpers/introspection-server.js';

const MiB = 1024 * 1024;

function limits(keys: KeyOptions = {}): FetchJsonOptions {
  return { ...resolveKeyOptions(keys).fetch, accept: 'application/json' };
}

async function failure(promise: Promise<unknown>): Promise<KeyFetchError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(KeyFetchError);
  return error as KeyFetchError;
}

/** A real `fetch` that records each call and counts the body bytes the caller actually pulls. */
function countingFetch(): { fetch: FetchLike; calls: { url: string; init: RequestInit }[]; bytesRead: () => number } {
  const calls: { url: string; init: RequestInit }[] = [];
  let bytes = 0;
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const response = await globalThis.fetch(url, init);
    if (response.body === null) return response;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          bytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      }),
      { signal: init.signal ?? undefined },
    );
    return new Response(counted, { status: response.status, headers: response.headers });
  };
  return { fetch, calls, bytesRead: () => bytes };
}

let server: IssuerServer;
let other: IssuerServer | undefined;
beforeEach(async () => {
  server = await startIssuerServer({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1' }] });
});
afterEach(async () => {
  await server.close();
  await other?.close();
  other = undefined;
});

describe('fetchJson', () => {
  it('returns the parsed document of a 200 answer', async () => {
    const document = await fetchJson(server.jwksUri, limits());
    expect(document).toEqual({ keys: [{ kty: 'OKP', crv: 'Ed25519', x: 'abc', kid: 'k1' }] });
  });

  it('goes through a custom fetch with manual redirects and the given Accept header', async () => {
    const counting = countingFetch();
    await fetchJson(server.jwksUri, { ...limits({ fetch: counting.fetch }), accept: 'application/jwk-set+json' });
    expect(counting.calls).toHaveLength(1);
    expect(counting.calls[0]!.url).toBe(server.jwksUri);
    expect(counting.calls[0]!.init.redirect).toBe('manual');
    expect(counting.calls[0]!.init.headers).toEqual({ accept: 'application/jwk-set+json' });
    expect(counting.calls[0]!.init.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([500, 502, 503, 429, 404, 204, 201])('refuses HTTP %i as a status fault', async (status) => {
    server.jwks = { kind: 'status', status, body: status === 204 ? '' : '{"keys":[]}' };
    const error = await failure(fetchJson(server.jwksUri, limits()));
    expect(error.kind).toBe('status');
    expect(error.url).toBe(server.jwksUri);
    expect(error.message).toBe(`${server.jwksUri}: HTTP ${status}`);
  });

  it('gives up on a server that never answers once the timeout passes', async () => {
    server.jwks = { kind: 'hang' };
    const error = await failure(fetchJson(server.jwksUri, limits({ timeoutMs: 200 })));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe(`${server.jwksUri}: no answer within 200 ms`);
  });

  it('applies the timeout to the whole body, not only to the headers (slow drip)', async () => {
    server.jwks = { kind: 'drip', intervalMs: 20 };
    const error = await failure(fetchJson(server.jwksUri, limits({ timeoutMs: 250 })));
    expect(error.kind).toBe('timeout');
  });

  it('holds the deadline even when a custom fetch ignores the abort signal', async () => {
    const neverSettles: FetchLike = () => new Promise<Response>(() => undefined);
    const error = await failure(fetchJson(server.jwksUri, limits({ fetch: neverSettles, timeoutMs: 150 })));
    expect(error.kind).toBe('timeout');
  });

  it('refuses a body whose declared length exceeds the cap without reading any of it', async () => {
    server.jwks = { kind: 'huge', bytes: 50 * MiB, declareLength: true };
    const counting = countingFetch();
    const error = await failure(fetchJson(server.jwksUri, limits({ fetch: counting.fetch })));
    expect(error.kind).toBe('too_large');
    expect(error.message).toBe(`${server.jwksUri}: body larger than 524288 bytes`);
    expect(counting.bytesRead()).toBe(0);
  });

  it('stops reading an undeclared 50 MB body as soon as it passes the cap', async () => {
    server.jwks = { kind: 'huge', bytes: 50 * MiB };
    const counting = countingFetch();
    const options = limits({ fetch: counting.fetch, maxResponseBytes: 64 * 1024 });
    const error = await failure(fetchJson(server.jwksUri, options));
    expect(error.kind).toBe('too_large');
    // At most the cap plus the chunks already in flight, nowhere near the 50 MB sent.
    expect(counting.bytesRead()).toBeLessThan(4 * MiB);
  });

  it.each([
    ['HTML', Buffer.from('<html>maintenance</html>')],
    ['truncated JSON', Buffer.from('{"keys":[')],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['an empty body', Buffer.alloc(0)],
  ])('refuses %s as not JSON', async (_name, body) => {
    server.jwks = { kind: 'body', body };
    const error = await failure(fetchJson(server.jwksUri, limits()));
    expect(error.kind).toBe('not_json');
  });

  it('accepts JSON that starts with a byte order mark', async () => {
    server.jwks = { kind: 'body', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"keys":[]}')]) };
    await expect(fetchJson(server.jwksUri, limits())).resolves.toEqual({ keys: [] });
  });

  it('follows a redirect to the same host', async () => {
    server.jwks = { kind: 'redirect', location: '/.well-known/openid-configuration', status: 307 };
    const document = (await fetchJson(server.jwksUri, limits())) as { issuer: string };
    expect(document.issuer).toBe(server.url);
  });

  it('follows at most 3 redirects, so a redirect loop ends', async () => {
    server.jwks = { kind: 'redirect', location: server.jwksUri };
    const error = await failure(fetchJson(server.jwksUri, limits()));
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe(`${server.jwksUri}: too many redirects`);
    expect(server.jwksHits()).toBe(4);
  });

  it('refuses a redirect to another host and never contacts it', async () => {
    other = await startIssuerServer();
    server.jwks = { kind: 'redirect', location: other.jwksUri };
    const error = await failure(fetchJson(server.jwksUri, limits()));
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe(`${server.jwksUri}: redirect to a host that is not allowed`);
    expect(other.jwksHits()).toBe(0);
  });

  it('follows a redirect to a host listed in allowedRedirectHosts (host:port or host name)', async () => {
    other = await startIssuerServer({ keys: [{ kty: 'EC', kid: 'elsewhere' }] });
    server.jwks = { kind: 'redirect', location: other.jwksUri, status: 302 };
    const otherHost = new URL(other.url).host;
    await expect(fetchJson(server.jwksUri, limits({ allowedRedirectHosts: [otherHost] }))).resolves.toEqual({
      keys: [{ kty: 'EC', kid: 'elsewhere' }],
    });
    await expect(fetchJson(server.jwksUri, limits({ allowedRedirectHosts: ['127.0.0.1'] }))).resolves.toBeDefined();
    expect(other.jwksHits()).toBe(2);
  });

  it('refuses the answer of a custom fetch that followed a redirect itself, ignoring redirect: "manual"', async () => {
    other = await startIssuerServer();
    server.jwks = { kind: 'redirect', location: other.jwksUri };
    const following = (url: string, init: RequestInit) => fetch(url, { ...init, redirect: 'follow' });
    const error = await failure(fetchJson(server.jwksUri, limits({ fetch: following })));
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe(`${server.jwksUri}: the fetch function followed a redirect itself (it must honour redirect: "manual")`);
  });

  it('refuses a redirect without Location', async () => {
    server.jwks = { kind: 'status', status: 302 };
    const error = await failure(fetchJson(server.jwksUri, limits()));
    expect(error.kind).toBe('redirect');
  });

  it('refuses a redirect to plain http on a non-loopback host, even an allowed one, before connecting', async () => {
    server.jwks = { kind: 'redirect', location: 'http://keys.example.com/jwks' };
    const counting = countingFetch();
    const error = await failure(
      fetchJson(server.jwksUri, limits({ fetch: counting.fetch, allowedRedirectHosts: ['keys.example.com'] })),
    );
    expect(error.kind).toBe('insecure_url');
    expect(counting.calls.map((call) => call.url)).toEqual([server.jwksUri]);
  });

  it('refuses a plain http URL on a non-loopback host without fetching', async () => {
    const counting = countingFetch();
    const error = await failure(fetchJson('http://login.example.com/jwks', limits({ fetch: counting.fetch })));
    expect(error.kind).toBe('insecure_url');
    expect(counting.calls).toHaveLength(0);
  });

  it('reports a refused connection as a network fault', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failure(fetchJson(`http://127.0.0.1:${port}/jwks`, limits()));
    expect(error.kind).toBe('network');
    expect(error.name).toBe('KeyFetchError');
  });
});

describe('fetchJson with a POST of a form', () => {
  const post = (extra: Partial<FetchJsonOptions> = {}): FetchJsonOptions => ({
    ...limits({ timeoutMs: 300 }),
    method: 'POST',
    form: new URLSearchParams({ token: 'abc def', token_type_hint: 'access_token' }),
    headers: { authorization: 'Basic eDp5' },
    ...extra,
  });

  it('sends the form urlencoded with its headers and the Accept header, and parses the answer', async () => {
    const endpoint = await startIntrospectionServer();
    try {
      endpoint.answer = () => ({ active: false });
      expect(await fetchJson(endpoint.endpoint, post())).toEqual({ active: false });
      const [sent] = endpoint.requests;
      expect(sent!.method).toBe('POST');
      expect(sent!.headers).toMatchObject({ authorization: 'Basic eDp5', accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' });
      expect(sent!.form.toString()).toBe('token=abc+def&token_type_hint=access_token');
    } finally {
      await endpoint.close();
    }
  });

  it.each([301, 302, 303, 307, 308])('never follows a redirect (HTTP %i), even to the same host', async (status) => {
    const endpoint = await startIntrospectionServer();
    try {
      endpoint.behaviour = { kind: 'redirect', status, location: '/introspect' };
      const error = await failure(fetchJson(endpoint.endpoint, post()));
      expect(error.kind).toBe('redirect');
      expect(error.message).toBe(`${endpoint.endpoint}: HTTP ${status}: a POST is never redirected`);
      expect(endpoint.requests).toHaveLength(1);
    } finally {
      await endpoint.close();
    }
  });

  it('keeps the deadline and the byte cap, and names neither the form nor the headers in its errors', async () => {
    const endpoint = await startIntrospectionServer();
    try {
      endpoint.behaviour = { kind: 'hang' };
      const late = await failure(fetchJson(endpoint.endpoint, post()));
      expect(late.kind).toBe('timeout');
      endpoint.behaviour = { kind: 'huge', bytes: 70_000 };
      const large = await failure(fetchJson(endpoint.endpoint, post({ maxResponseBytes: 65_536 })));
      expect(large.kind).toBe('too_large');
      endpoint.behaviour = { kind: 'status', status: 401, body: 'bad credentials abc def' };
      const refused = await failure(fetchJson(endpoint.endpoint, post()));
      for (const error of [late, large, refused]) {
        expect(error.message).not.toContain('abc');
        expect(error.message).not.toContain('eDp5');
      }
    } finally {
      await endpoint.close();
    }
  });
});

describe('URL policy', () => {
  it.each([
    ['https://login.example.com/keys', true],
    ['http://127.0.0.1:8080/jwks', true],
    ['http://127.8.9.10/jwks', true],
    ['http://localhost:3000/jwks', true],
    ['HTTP://LOCALHOST/jwks', true],
    ['http://[::1]:3000/jwks', true],
    ['http://[0:0:0:0:0:0:0:1]/jwks', true],
    ['http://auth.localhost/jwks', false],
    ['http://a.b.localhost/jwks', false],
    ['http://localhost./jwks', false],
    ['http://localhost.example.com/jwks', false],
    ['http://0.0.0.0/jwks', false],
    ['http://[::ffff:127.0.0.1]/jwks', false],
    ['http://login.example.com/keys', false],
    ['http://127.0.0.1.example.com/jwks', false],
    ['http://10.0.0.1/jwks', false],
    ['ftp://127.0.0.1/jwks', false],
    ['https://user:secret@login.example.com/keys', false],
    ['https://login.example.com/keys#frag', false],
    ['/relative/jwks', false],
  ])('judges %s fetchable: %s', (url, fetchable) => {
    expect(typeof toFetchableUrl(url) !== 'string').toBe(fetchable);
  });

  it('names the reason a URL is refused', () => {
    expect(toFetchableUrl('http://login.example.com/')).toBe(
      'must use https (plain http is allowed on loopback hosts only)',
    );
    expect(toFetchableUrl('https://a:b@login.example.com/')).toBe('must not contain credentials');
    expect(toFetchableUrl('https://login.example.com/#x')).toBe('must not contain a fragment');
    expect(toFetchableUrl('not a url')).toBe('is not an absolute URL');
  });

  it('treats only loopback names and addresses as loopback', () => {
    expect(isLoopbackHost('LOCALHOST')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost.example.com')).toBe(false);
    // Subdomains of localhost are resolved through DNS by Node, so they could lead elsewhere in cleartext.
    expect(isLoopbackHost('auth.localhost')).toBe(false);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });
});
