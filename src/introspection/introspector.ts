/**
 * The introspector of one verifier: answers "what does the authorization server say about this token",
 * from memory when it can, otherwise with exactly one call however many requests ask at once:
 *
 *   local cache (SHA-256 of the token) → a call already in flight for it → the fleet's store (an answer,
 *   or another instance already calling) → the endpoint → local cache and store
 *
 * Answers are prepared once (by the pipeline's `prepare`: judged claims, the identity) and the prepared
 * value is what is cached, so a cached token costs a hash and a map lookup. A failed call starts a backoff
 * like the key store's (`keys.retryMinMs`, doubling to `keys.retryMaxMs`): until it ends, tokens not in the
 * cache are answered 503 at once, without a call, with `Retry-After` up to its end. An answer that refuses
 * one request (400, 413…) is a 503 for that token alone.
 */
import { IntrospectionUnavailableError } from '../errors/unavailable-errors.js';
import { KeyFetchError, type FetchLike } from '../http/fetch-json.js';
import { redactUrl } from '../http/url-policy.js';
import { FleetCache } from './fleet-cache.js';
import type { IntrospectionAnswer } from './introspection-answer.js';
import { answerTtlMs, IntrospectionCache, tokenKey } from './introspection-cache.js';
import type { ResolvedIntrospectionOptions } from './introspection-options.js';
import { requestIntrospection } from './introspection-request.js';

/**
 * Answers of the endpoint about one request, not about the endpoint: they start no backoff and are not
 * shared with the fleet. Every other fault (network, timeout, 401/403 for the API's own credentials, 404,
 * 429, 5xx, a malformed answer) does.
 */
const TOKEN_FAULTS: ReadonlySet<string> = new Set(['HTTP_400', 'HTTP_413', 'HTTP_414', 'HTTP_422', 'HTTP_431']);

/** What an introspector is assembled from. */
export interface IntrospectorParts<T> {
  readonly settings: ResolvedIntrospectionOptions;
  /** The endpoint URL, now or once discovered; rejects with {@link KeyFetchError} when it cannot be known. */
  readonly endpoint: (nowMs: number) => string | Promise<string>;
  readonly fetch: FetchLike;
  /** The failure backoff, in milliseconds (the key options'). */
  readonly retry: { readonly retryMinMs: number; readonly retryMaxMs: number };
  /** The realm of the 503 errors. */
  readonly realm: string;
  /** Turns an answer into what the pipeline needs; called once per answer, never for a cache hit. */
  readonly prepare: (answer: IntrospectionAnswer, token: string) => T;
}

/** The state of an introspector, for `verifier.status()` (times in ms since the epoch). */
export interface IntrospectionState {
  /** The issuer whose endpoint it calls. */
  readonly issuer: string;
  /** The endpoint (credentials redacted); `undefined` while it is still to be discovered. */
  readonly endpoint: string | undefined;
  /** When the endpoint last gave a usable answer. */
  readonly answeredAt: number | undefined;
  /** The last failed call, while the latest call failed. */
  readonly lastFailure:
    | { readonly at: number; readonly kind: KeyFetchError['kind']; readonly code: string | undefined; readonly message: string; readonly failures: number }
    | undefined;
  /** The end of the failure backoff, while tokens not in the cache are answered 503 without a call. */
  readonly retryAt: number | undefined;
}

/** Asks the introspection endpoint about tokens, through the cache. */
export interface Introspector<T> {
  /** Which tokens are introspected. */
  readonly tokens: 'opaque' | 'all';
  /** The state at `nowMs` (see {@link IntrospectionState}). */
  status(nowMs: number): IntrospectionState;
  /**
   * The prepared answer for `token`: at once from the cache, else a promise. Rejects with
   * {@link IntrospectionUnavailableError} when the endpoint gives no usable answer.
   */
  lookup(token: string, nowMs: number): T | Promise<T>;
}

/**
 * Whether a 503 came from a fault of the endpoint, which the fleet shares: not one refused request (see
 * {@link TOKEN_FAULTS}), nor a call this instance did not make (too many in flight).
 */
function isEndpointFault(error: IntrospectionUnavailableError): boolean {
  const cause: unknown = error.cause;
  return cause instanceof KeyFetchError && !(cause.kind === 'status' && TOKEN_FAULTS.has(cause.code ?? ''));
}

/** Assembles an introspector. */
export function createIntrospector<T>(parts: IntrospectorParts<T>): Introspector<T> {
  const { settings, retry, realm, prepare } = parts;
  const limits = settings.cache === false ? undefined : settings.cache;
  const cache = limits === undefined ? undefined : new IntrospectionCache<T>(limits);
  const store = limits?.store;
  const fleet = store === undefined ? undefined : new FleetCache(store, `${settings.issuer}\u0000${settings.clientId}`, settings.timeoutMs);
  const inflight = new Map<string, Promise<T>>();
  let failures = 0;
  let retryAt = 0;
  let lastFailure: KeyFetchError | undefined;
  let lastFailedAt = 0;
  let answeredAt: number | undefined;
  let endpointUrl = settings.endpoint === undefined ? undefined : redactUrl(settings.endpoint);

  const unavailable = (retryAfterMs: number, cause: unknown): IntrospectionUnavailableError => {
    const retryAfterSeconds = Math.max(1000, retryAfterMs) / 1000;
    return new IntrospectionUnavailableError('introspection_unavailable', { realm, retryAfterSeconds, cause });
  };

  /** Throws while a failure backoff is pending (a retry time beyond `retryMaxMs` means the clock went back). */
  const checkBackoff = (now: number): void => {
    if (now < retryAt && retryAt - now <= retry.retryMaxMs) throw unavailable(retryAt - now, lastFailure);
  };

  let calling = 0;
  const call = async (token: string): Promise<IntrospectionAnswer> => {
    checkBackoff(Date.now());
    if (calling >= settings.maxConcurrentCalls) {
      // Shed, not a fault of the endpoint: no backoff, and nothing marked for the fleet.
      throw unavailable(0, new Error(`${calling} introspection calls in flight, the most maxConcurrentCalls allows`));
    }
    calling += 1;
    try {
      const endpoint = await parts.endpoint(Date.now());
      endpointUrl = redactUrl(endpoint);
      const answer = await requestIntrospection(token, endpoint, settings, parts.fetch);
      failures = 0;
      retryAt = 0;
      lastFailure = undefined;
      answeredAt = Date.now();
      return answer;
    } catch (error) {
      if (!(error instanceof KeyFetchError)) throw error; // a bug, not an outage
      // The server refused this one request (a token it finds too long, say): this token cannot be judged
      // now, but the endpoint works, so other tokens are not held back (a caller could otherwise stall
      // introspection for everybody with one odd token).
      if (error.kind === 'status' && TOKEN_FAULTS.has(error.code ?? '')) throw unavailable(0, error);
      failures += 1;
      const delay = Math.min(retry.retryMaxMs, retry.retryMinMs * 2 ** Math.min(failures - 1, 30));
      lastFailedAt = Date.now();
      retryAt = lastFailedAt + delay;
      lastFailure = error;
      throw unavailable(delay, error);
    } finally {
      calling -= 1;
    }
  };

  /** Prepares and caches an answer; one read from the fleet is kept no later than `untilMs`, its writer's limit. */
  const keep = (key: string, answer: IntrospectionAnswer, token: string, fresh: boolean, untilMs = Infinity): T => {
    const value = prepare(answer, token);
    if (limits !== undefined) {
      const now = Date.now();
      const ttl = Math.min(answerTtlMs(answer, now, limits), untilMs - now);
      if (ttl > 0) {
        const json = answer.active ? JSON.stringify(answer.claims) : '{"active":false}';
        cache!.set(key, value, now + ttl, json.length);
        if (fresh) fleet?.write(key, answer, ttl);
      }
    }
    return value;
  };

  const resolve = async (token: string, key: string): Promise<T> => {
    if (fleet !== undefined) {
      let record = await fleet.read(key);
      if (record === undefined) {
        checkBackoff(Date.now());
        if (!(await fleet.claim(key))) record = await fleet.await(key);
      }
      if (record !== undefined) {
        if ('answer' in record) return keep(key, record.answer, token, false, record.untilMs);
        throw unavailable(record.unavailableMs, new Error('another instance of the fleet could not introspect the token'));
      }
    }
    let answer: IntrospectionAnswer;
    try {
      answer = await call(token);
    } catch (error) {
      if (fleet !== undefined && error instanceof IntrospectionUnavailableError && isEndpointFault(error)) {
        fleet.markUnavailable(key, error.retryAfterSeconds * 1000);
      }
      throw error;
    }
    return keep(key, answer, token, true);
  };

  return {
    tokens: settings.tokens,
    status(nowMs) {
      const failure = lastFailure;
      return {
        issuer: settings.issuer,
        endpoint: endpointUrl,
        answeredAt,
        lastFailure:
          failure === undefined
            ? undefined
            : { at: lastFailedAt, kind: failure.kind, code: failure.code, message: failure.message, failures },
        retryAt: nowMs < retryAt ? retryAt : undefined,
      };
    },
    lookup(token, nowMs) {
      const key = tokenKey(token);
      if (cache !== undefined) {
        const hit = cache.get(key, nowMs);
        if (hit !== undefined) return hit;
      }
      let pending = inflight.get(key);
      if (pending === undefined) {
        pending = resolve(token, key).finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      return pending;
    },
  };
}
