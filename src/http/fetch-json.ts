/**
 * One JSON document over HTTP(S) with hard limits: a total deadline (connect, headers and body), a byte
 * cap enforced while streaming, redirects only to the same or allowed hosts (at most 3), status 200 only.
 * A `GET` by default; a `POST` of a form (token introspection) never follows a redirect, since it carries
 * credentials and a token: a 3xx answer to it is a `redirect` fault.
 */
import { isUtf8 } from 'node:buffer';
import { redactText, redactUrl, toFetchableUrl } from './url-policy.js';

/**
 * A `fetch` implementation (the WHATWG signature). Pass one to go through a proxy
 * (`undici`'s `ProxyAgent`) or to instrument key fetches.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Why a fetch of keys, metadata or an introspection response failed. */
export type FetchFailureKind =
  | 'insecure_url'
  | 'network'
  | 'timeout'
  | 'status'
  | 'redirect'
  | 'too_large'
  | 'not_json'
  | 'invalid_document'
  | 'issuer_mismatch';

/**
 * A failed fetch of keys, metadata or an introspection response. Its message names the URL (credentials
 * redacted) and the fault, with the system error code when the network failed (`ENOTFOUND`,
 * `ECONNREFUSED`, a TLS error such as `DEPTH_ZERO_SELF_SIGNED_CERT`), for operators; never a request
 * header, a request body or a response body. It never reaches a client (requests get a
 * `KeysUnavailableError` or an `IntrospectionUnavailableError` that keeps this as `cause`).
 */
export class KeyFetchError extends Error {
  /** The class of fault. */
  readonly kind: FetchFailureKind;
  /** The URL that failed, without credentials. */
  readonly url: string;
  /**
   * The system error code of a network failure (`ENOTFOUND`, `ECONNREFUSED`, `ETIMEDOUT`, a TLS code…), or
   * `HTTP_<status>` for an unexpected status; `undefined` when neither applies.
   */
  readonly code: string | undefined;

  constructor(kind: FetchFailureKind, url: string, detail: string, options?: { cause?: unknown; code?: string }) {
    const safeUrl = redactUrl(url);
    const code = options?.code ?? systemErrorCode(options?.cause);
    const shownCode = code !== undefined && kind !== 'status' && !detail.includes(code) ? ` (${code})` : '';
    super(`${safeUrl}: ${redactText(detail)}${shownCode}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.kind = kind;
    this.url = safeUrl;
    this.code = code;
  }

  override get name(): string {
    return 'KeyFetchError';
  }
}

/**
 * The system error code behind a network failure: `fetch` wraps it (`TypeError: fetch failed` whose `cause`
 * has the `code`), and a connection to a name with several addresses may fail with an `AggregateError`.
 */
export function systemErrorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    current = cause ?? (Array.isArray(errors) ? errors[0] : undefined);
  }
  return undefined;
}

/** Limits of one {@link fetchJson} call. */
export interface FetchJsonOptions {
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly allowedRedirectHosts: ReadonlySet<string>;
  readonly fetch: FetchLike;
  /** The `Accept` header. */
  readonly accept: string;
  /** The method. @default "GET" */
  readonly method?: 'GET' | 'POST';
  /** A form body, sent as `application/x-www-form-urlencoded` (with `method: 'POST'`). */
  readonly form?: URLSearchParams;
  /** More request headers (`Authorization`…); never part of an error. */
  readonly headers?: Readonly<Record<string, string>>;
}

const MAX_REDIRECTS = 3;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Fetches `url` and parses its body as JSON, within the limits of `options`. Rejects with {@link KeyFetchError}.
 * The deadline holds even against a custom `fetch` that ignores its `signal`.
 */
export async function fetchJson(url: string, options: FetchJsonOptions): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const originHost = new URL(url).host;
  let current = url;
  const expired = (): KeyFetchError =>
    new KeyFetchError('timeout', current, `no answer within ${options.timeoutMs} ms`);
  const deadline = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(expired());
    else signal.addEventListener('abort', () => reject(expired()), { once: true });
  });
  deadline.catch(() => undefined);
  const init = requestInit(options, signal);
  for (let redirects = 0; ; redirects++) {
    const target = toFetchableUrl(current);
    if (typeof target === 'string') throw new KeyFetchError('insecure_url', current, `the URL ${target}`);
    let response: Response;
    let pending: Promise<Response> | undefined;
    try {
      pending = Promise.resolve(options.fetch(target.href, init));
      response = await Promise.race([pending, deadline]);
    } catch (error) {
      // A late answer (from a `fetch` that ignored the signal) is drained and dropped.
      pending?.then(discard, () => undefined);
      if (error instanceof KeyFetchError) throw error;
      throw signal.aborted
        ? expired()
        : new KeyFetchError('network', current, 'the request failed', { cause: error });
    }
    if (REDIRECT_STATUSES.has(response.status)) {
      discard(response);
      if (init.method === 'POST') throw new KeyFetchError('redirect', current, `HTTP ${response.status}: a POST is never redirected`);
      current = nextLocation(response, target, redirects, originHost, options.allowedRedirectHosts);
      continue;
    }
    if (response.redirected === true) {
      // A custom `fetch` that ignored `redirect: 'manual'` went elsewhere: its answer is not the URL's.
      discard(response);
      throw new KeyFetchError('redirect', current, 'the fetch function followed a redirect itself (it must honour redirect: "manual")');
    }
    if (response.status !== 200) {
      discard(response);
      throw new KeyFetchError('status', current, `HTTP ${response.status}`, { code: `HTTP_${response.status}` });
    }
    const body = await readLimited(response, current, signal, deadline, options);
    return parseJson(body, current);
  }
}

function requestInit(options: FetchJsonOptions, signal: AbortSignal): RequestInit {
  const headers: Record<string, string> = { ...options.headers, accept: options.accept };
  if (options.form === undefined) return { signal, redirect: 'manual', method: options.method ?? 'GET', headers };
  headers['content-type'] = 'application/x-www-form-urlencoded';
  return { signal, redirect: 'manual', method: options.method ?? 'POST', headers, body: options.form.toString() };
}

function nextLocation(
  response: Response,
  from: URL,
  redirects: number,
  originHost: string,
  allowedHosts: ReadonlySet<string>,
): string {
  const location = response.headers.get('location');
  if (location === null) throw new KeyFetchError('redirect', from.href, `HTTP ${response.status} without Location`);
  if (redirects >= MAX_REDIRECTS) throw new KeyFetchError('redirect', from.href, 'too many redirects');
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new KeyFetchError('redirect', from.href, 'redirect to an invalid URL');
  }
  if (next.host !== originHost && !allowedHosts.has(next.host) && !allowedHosts.has(next.hostname)) {
    throw new KeyFetchError('redirect', from.href, 'redirect to a host that is not allowed');
  }
  return next.href;
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

async function readLimited(
  response: Response,
  url: string,
  signal: AbortSignal,
  deadline: Promise<never>,
  options: FetchJsonOptions,
): Promise<Buffer> {
  const max = options.maxResponseBytes;
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    discard(response);
    throw new KeyFetchError('too_large', url, `body larger than ${max} bytes`);
  }
  if (response.body === null) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > max) throw new KeyFetchError('too_large', url, `body larger than ${max} bytes`);
      chunks.push(value);
    }
  } catch (error) {
    reader.cancel().catch(() => undefined);
    if (error instanceof KeyFetchError) throw error;
    throw signal.aborted
      ? new KeyFetchError('timeout', url, `no answer within ${options.timeoutMs} ms`)
      : new KeyFetchError('network', url, 'the response body could not be read', { cause: error });
  }
  return Buffer.concat(chunks, size);
}

function parseJson(body: Buffer, url: string): unknown {
  if (!isUtf8(body)) throw new KeyFetchError('not_json', url, 'the body is not UTF-8');
  try {
    const text = body.toString('utf8');
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new KeyFetchError('not_json', url, 'the body is not JSON');
  }
}
