/**
 * The `introspection` option (RFC 7662): its public shape, its defaults, and its validation into plain
 * data, once, at creation (a `TypeError` naming the option). Nothing is created or fetched here: the
 * introspector is assembled from the result by `createVerifier`.
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { toFetchableUrl } from '../http/url-policy.js';
import { fail, numberOption, oneOf, optionsObject, requiredString, stringOption } from '../options/option-checks.js';
import type { SharedStore } from '../stores/shared-store.js';
import { ClientSecret, toAssertionKey, type AssertionKey, type IntrospectionClientAuth } from './client-credentials.js';

export type { IntrospectionClientAuth } from './client-credentials.js';

/** The introspection cache: one per verifier, optionally backed by a store the whole fleet shares. */
export interface IntrospectionCacheOptions {
  /**
   * Most answers kept in memory.
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Longest time in milliseconds an active answer is reused, whatever the token's `exp`: a revoked token
   * keeps passing for at most this long.
   * @default 60000 (1 minute)
   */
  maxTtlMs?: number;
  /**
   * Milliseconds an answer that refuses the token (`active: false`, or an active answer without `exp` or
   * past it) is reused, so a client retrying a bad token does not become a flood at the authorization server.
   * @default 5000
   */
  negativeTtlMs?: number;
  /**
   * Approximate bytes of memory the cached answers may take (each counted from its size as JSON).
   * @default 16777216 (16 MiB)
   */
  maxBytes?: number;
  /**
   * A store shared by every instance of the fleet (`createRedisStore(client)`): answers are shared and
   * concurrent instances asking about one token make one call between them.
   * @default none (each instance on its own)
   */
  store?: SharedStore;
}

/** Options of opaque-token validation by the issuer's introspection endpoint (RFC 7662). */
export interface IntrospectionOptions {
  /**
   * The introspection endpoint. HTTPS, or plain HTTP on a loopback host.
   * @default the `introspection_endpoint` of the issuer's discovered metadata
   */
  endpoint?: string;
  /** The resource server's client id at the authorization server. */
  clientId: string;
  /** Its client secret (for `client_secret_basic` and `client_secret_post`). Never logged or shown. */
  clientSecret?: string;
  /** How it authenticates. @default "client_secret_basic" */
  clientAuth?: IntrospectionClientAuth;
  /** Its private key, for `private_key_jwt` (RSA ≥ 2048 bits, EC P-256/P-384/P-521 or Ed25519). */
  privateKey?: KeyObject | JsonWebKey;
  /**
   * Which tokens are introspected: `'opaque'`, only tokens that are not JWTs (JWTs stay local); `'all'`,
   * JWTs too, after their local verification, so that revocation is honoured.
   * @default "opaque"
   */
  tokens?: 'opaque' | 'all';
  /** The introspection cache, or `false` to ask the endpoint on every request. */
  cache?: IntrospectionCacheOptions | false;
  /**
   * Deadline in milliseconds of one introspection call: connect, headers and the whole body.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Most introspection calls of this verifier in flight at once. A token that would need one more is
   * answered 503 (`Retry-After: 1`) without a call, so a flood of made-up opaque tokens cannot become a
   * flood at the authorization server; cached tokens and tokens already being asked about are unaffected.
   * @default 64
   */
  maxConcurrentCalls?: number;
}

/** The cache options with every default applied. */
export interface ResolvedIntrospectionCache {
  readonly maxEntries: number;
  readonly maxTtlMs: number;
  readonly negativeTtlMs: number;
  readonly maxBytes: number;
  readonly store: SharedStore | undefined;
}

/** How the resource server authenticates, validated. */
export type IntrospectionCredentials =
  | { readonly method: 'client_secret_basic' | 'client_secret_post'; readonly secret: ClientSecret }
  | { readonly method: 'private_key_jwt'; readonly key: AssertionKey };

/** The `introspection` option, validated: plain data. */
export interface ResolvedIntrospectionOptions {
  /** The configured issuer the endpoint answers for (the audience of client assertions, the expected `iss`). */
  readonly issuer: string;
  /** A fixed endpoint; `undefined` to discover it. */
  readonly endpoint: string | undefined;
  readonly clientId: string;
  readonly credentials: IntrospectionCredentials;
  readonly tokens: 'opaque' | 'all';
  readonly cache: ResolvedIntrospectionCache | false;
  readonly timeoutMs: number;
  readonly maxConcurrentCalls: number;
  /** Largest accepted response body, in bytes. */
  readonly maxResponseBytes: number;
}

/** Defaults of {@link IntrospectionOptions} (milliseconds and bytes). */
export const INTROSPECTION_DEFAULTS = Object.freeze({
  clientAuth: 'client_secret_basic' as const,
  tokens: 'opaque' as const,
  timeoutMs: 5_000,
  maxConcurrentCalls: 64,
  /** Largest accepted response body: 64 KiB. */
  maxResponseBytes: 64 * 1024,
  cache: Object.freeze({ maxEntries: 10_000, maxTtlMs: 60_000, negativeTtlMs: 5_000, maxBytes: 16 * 1024 * 1024 }),
});

const KNOWN = ['endpoint', 'clientId', 'clientSecret', 'clientAuth', 'privateKey', 'tokens', 'cache', 'timeoutMs', 'maxConcurrentCalls'];
const CACHE_NUMBERS = ['maxEntries', 'maxTtlMs', 'negativeTtlMs', 'maxBytes'] as const;
const METHODS: readonly IntrospectionClientAuth[] = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];

function resolveCache(value: unknown): ResolvedIntrospectionCache | false {
  if (value === false) return false;
  const given = optionsObject(value, 'introspection.cache', [...CACHE_NUMBERS, 'store']) ?? {};
  const numbers: Record<(typeof CACHE_NUMBERS)[number], number> = { ...INTROSPECTION_DEFAULTS.cache };
  for (const name of CACHE_NUMBERS) {
    numbers[name] = numberOption(given[name], `introspection.cache.${name}`, { min: 1, integer: true }) ?? numbers[name];
  }
  const store = given.store;
  if (store !== undefined) {
    const { addIfAbsent, get, set } = (store ?? {}) as Partial<SharedStore>;
    if (typeof addIfAbsent !== 'function' || typeof get !== 'function' || typeof set !== 'function') {
      fail('introspection.cache.store', 'must be a SharedStore (addIfAbsent, get, set), e.g. createRedisStore(client)');
    }
  }
  return { ...numbers, store: store as SharedStore | undefined };
}

function resolveCredentials(given: Record<string, unknown>): IntrospectionCredentials {
  const method = oneOf(given.clientAuth, 'introspection.clientAuth', METHODS) ?? INTROSPECTION_DEFAULTS.clientAuth;
  if (method === 'private_key_jwt') {
    if (given.clientSecret !== undefined) fail('introspection.clientSecret', 'is not used with clientAuth "private_key_jwt"');
    if (given.privateKey === undefined) fail('introspection.privateKey', 'is required with clientAuth "private_key_jwt"');
    return { method, key: toAssertionKey(given.privateKey, 'introspection.privateKey') };
  }
  if (given.privateKey !== undefined) fail('introspection.privateKey', `is not used with clientAuth "${method}"`);
  if (given.clientSecret === undefined) fail('introspection.clientSecret', `is required with clientAuth "${method}"`);
  // Never echo the value: only its kind is wrong.
  if (typeof given.clientSecret !== 'string' || given.clientSecret === '') fail('introspection.clientSecret', 'must be a non-empty string');
  return { method, secret: new ClientSecret(given.clientSecret) };
}

/**
 * Validates the `introspection` option. `issuer` is the one configured issuer, or `undefined` when
 * several (or a `{tenantid}` template) are: one introspection endpoint answers for one authorization server.
 */
export function resolveIntrospectionOptions(value: unknown, issuer: string | undefined): ResolvedIntrospectionOptions | undefined {
  const given = optionsObject(value, 'introspection', KNOWN);
  if (given === undefined) return undefined;
  if (issuer === undefined) {
    fail(
      'introspection',
      'needs exactly one "issuer" (neither a list nor a {tenantid} template): one endpoint answers for one authorization server',
    );
  }
  const clientId = requiredString(given.clientId, 'introspection.clientId');
  const endpoint = stringOption(given.endpoint, 'introspection.endpoint');
  const target = toFetchableUrl(endpoint ?? issuer);
  if (typeof target === 'string') {
    if (endpoint !== undefined) fail('introspection.endpoint', target);
    fail('issuer', `is used to discover the introspection endpoint and ${target} (or set "introspection.endpoint")`);
  }
  return {
    issuer,
    endpoint: endpoint === undefined ? undefined : target.href,
    clientId,
    credentials: resolveCredentials(given),
    tokens: oneOf(given.tokens, 'introspection.tokens', ['opaque', 'all']) ?? INTROSPECTION_DEFAULTS.tokens,
    cache: resolveCache(given.cache),
    timeoutMs:
      numberOption(given.timeoutMs, 'introspection.timeoutMs', { min: 1, unit: 'milliseconds' }) ??
      INTROSPECTION_DEFAULTS.timeoutMs,
    maxConcurrentCalls:
      numberOption(given.maxConcurrentCalls, 'introspection.maxConcurrentCalls', { min: 1, integer: true }) ??
      INTROSPECTION_DEFAULTS.maxConcurrentCalls,
    maxResponseBytes: INTROSPECTION_DEFAULTS.maxResponseBytes,
  };
}
