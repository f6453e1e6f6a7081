/**
 * Issuer metadata discovery: OpenID Connect Discovery 1.0 §4 (`<issuer>/.well-known/openid-configuration`,
 * appended), then RFC 8414 §3.1 (`/.well-known/oauth-authorization-server` inserted before the issuer's
 * path), then, for an issuer with a path, `<issuer>/.well-known/oauth-authorization-server` appended (as
 * some servers publish it, e.g. Okta custom authorization servers). The document's `issuer` must equal the
 * configured issuer exactly (RFC 8414 §3.3) and its `jwks_uri` must be HTTPS (loopback aside). Only
 * configured issuers are ever discovered, never one read from a token.
 */
import { performance } from 'node:perf_hooks';
import { fetchJson, KeyFetchError, type FetchJsonOptions } from '../../http/fetch-json.js';
import { RefreshingValue, type RefreshPolicy, type RefreshStatus } from './refreshing-value.js';
import { toFetchableUrl } from '../../http/url-policy.js';
import { noteKeyChange } from './key-changes.js';

/** The parts of issuer metadata bearer-guard uses. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwksUri: string;
  /**
   * `introspection_endpoint` (RFC 8414 §2) when the document names one that may be fetched (HTTPS, or plain
   * HTTP on a loopback host); `undefined` otherwise. Only used when introspection is configured.
   */
  readonly introspectionEndpoint: string | undefined;
}

/**
 * The metadata URLs of `issuer`, in the order they are tried: OpenID (appended), RFC 8414 (inserted), and
 * RFC 8414 appended when the issuer has a path (without a path it equals the inserted form, so it is not
 * repeated).
 */
export function toDiscoveryUrls(issuer: string): readonly [openid: string, oauth: string, ...appended: string[]] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const openid = `${url.origin}${path}/.well-known/openid-configuration${url.search}`;
  const inserted = `${url.origin}/.well-known/oauth-authorization-server${path}${url.search}`;
  const appended = `${url.origin}${path}/.well-known/oauth-authorization-server${url.search}`;
  return appended === inserted ? [openid, inserted] : [openid, inserted, appended];
}

/** Checks a metadata document against the configured `issuer`. */
export function toIssuerMetadata(document: unknown, issuer: string, url: string): IssuerMetadata {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new KeyFetchError('invalid_document', url, 'the metadata is not a JSON object');
  }
  const { issuer: declared, jwks_uri: jwksUri, introspection_endpoint: introspection } = document as Record<string, unknown>;
  if (declared !== issuer) {
    throw new KeyFetchError('issuer_mismatch', url, 'the metadata "issuer" differs from the configured issuer');
  }
  if (typeof jwksUri !== 'string') throw new KeyFetchError('invalid_document', url, 'the metadata has no "jwks_uri"');
  const target = toFetchableUrl(jwksUri);
  if (typeof target === 'string') throw new KeyFetchError('insecure_url', url, `the metadata "jwks_uri" ${target}`);
  const introspectionTarget = typeof introspection === 'string' ? toFetchableUrl(introspection) : undefined;
  const introspectionEndpoint = introspectionTarget instanceof URL ? introspectionTarget.href : undefined;
  return { issuer, jwksUri: target.href, introspectionEndpoint };
}

/**
 * Tries the metadata URLs in order until one yields valid metadata. All attempts share one deadline of
 * `timeoutMs`: each gets what the earlier ones left, and a timeout (the deadline reached) ends discovery,
 * so discovery as a whole never takes longer than one `timeoutMs`.
 */
async function discover(issuer: string, options: FetchJsonOptions): Promise<IssuerMetadata> {
  const failures: KeyFetchError[] = [];
  // A monotonic clock: the deadline holds whatever happens to the wall clock.
  const deadline = performance.now() + options.timeoutMs;
  for (const url of toDiscoveryUrls(issuer)) {
    const timeoutMs = failures.length === 0 ? options.timeoutMs : Math.floor(deadline - performance.now());
    if (timeoutMs <= 0) {
      failures.push(new KeyFetchError('timeout', url, `not tried: discovery used up its ${options.timeoutMs} ms`));
      break;
    }
    try {
      return toIssuerMetadata(await fetchJson(url, { ...options, timeoutMs }), issuer, url);
    } catch (error) {
      const failure = error instanceof KeyFetchError ? error : new KeyFetchError('network', url, String(error));
      failures.push(failure);
      if (failure.kind === 'timeout') break;
    }
  }
  // The first attempt's failure is the cause, so the system error (`ENOTFOUND`, a TLS code…) stays reachable.
  const [first] = failures;
  throw new KeyFetchError(first!.kind, issuer, `discovery failed (${failures.map((f) => f.message).join('; ')})`, {
    cause: first,
    ...(first!.code === undefined ? {} : { code: first!.code }),
  });
}

/** Settings of a {@link MetadataStore}. */
export interface MetadataStoreOptions extends RefreshPolicy {
  readonly fetch: FetchJsonOptions;
}

/** The cached, refreshed metadata of one issuer. */
export class MetadataStore {
  /** The configured issuer. */
  readonly issuer: string;
  readonly #metadata: RefreshingValue<IssuerMetadata>;

  constructor(issuer: string, options: MetadataStoreOptions) {
    this.issuer = issuer;
    this.#metadata = new RefreshingValue<IssuerMetadata>(
      {
        resource: 'metadata',
        url: toDiscoveryUrls(issuer)[0],
        load: () => discover(issuer, options.fetch),
        // Another `jwks_uri` is another key set: cached verifications re-check their key before answering again.
        onLoaded: (loaded, previous) => {
          if (loaded.jwksUri !== previous?.jwksUri) noteKeyChange();
        },
      },
      options,
    );
  }

  /** The metadata when usable at `now`, else `undefined` (see {@link RefreshingValue.usable}). */
  usable(now: number): IssuerMetadata | undefined {
    return this.#metadata.usable(now);
  }

  /** Time (ms, `Date.now()` clock) at which the metadata becomes due for a refresh; 0 before the first load. */
  get freshUntil(): number {
    return this.#metadata.freshUntil;
  }

  /** Fetches the metadata, sharing a fetch in flight; rejects with {@link KeyFetchError}. */
  load(): Promise<IssuerMetadata> {
    return this.#metadata.refresh(this.#metadata.usableUntil === 0 ? 'initial' : 'expired');
  }

  /** Starts a fetch unless one runs or a failure backoff is pending; never rejects. */
  refreshInBackground(now: number): void {
    if (this.#metadata.canFetch(now)) this.#metadata.refresh('expired').catch(() => undefined);
  }

  /** Milliseconds until another attempt may be made. */
  retryAfterMs(now: number): number {
    return this.#metadata.retryAfterMs(now);
  }

  /** The state of the metadata at `now`, for `verifier.status()`. */
  status(now: number): RefreshStatus {
    return this.#metadata.status(now);
  }
}
