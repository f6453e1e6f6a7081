/**
 * Issuer metadata discovery: OpenID Connect Discovery 1.0 §4 (`<issuer>/.well-known/openid-configuration`,
 * appended), then RFC 8414 §3.1 (`/.well-known/oauth-authorization-server` inserted before the issuer's
 * path). The document's `issuer` must equal the configured issuer exactly (RFC 8414 §3.3) and its `jwks_uri`
 * must be HTTPS (loopback aside). Only configured issuers are ever discovered, never one read from a token.
 */
import { fetchJson, KeyFetchError, type FetchJsonOptions } from './fetch-json.js';
import { RefreshingValue, type RefreshPolicy } from './refreshing-value.js';
import { toFetchableUrl } from './url-policy.js';

/** The parts of issuer metadata bearer-guard uses. */
export interface IssuerMetadata {
  readonly issuer: string;
  readonly jwksUri: string;
}

/** The two metadata URLs of `issuer`, in the order they are tried. */
export function toDiscoveryUrls(issuer: string): [openid: string, oauth: string] {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const openid = `${url.origin}${path}/.well-known/openid-configuration${url.search}`;
  const oauth = `${url.origin}/.well-known/oauth-authorization-server${path}${url.search}`;
  return [openid, oauth];
}

/** Checks a metadata document against the configured `issuer`. */
export function toIssuerMetadata(document: unknown, issuer: string, url: string): IssuerMetadata {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new KeyFetchError('invalid_document', url, 'the metadata is not a JSON object');
  }
  const { issuer: declared, jwks_uri: jwksUri } = document as Record<string, unknown>;
  if (declared !== issuer) {
    throw new KeyFetchError('issuer_mismatch', url, 'the metadata "issuer" differs from the configured issuer');
  }
  if (typeof jwksUri !== 'string') throw new KeyFetchError('invalid_document', url, 'the metadata has no "jwks_uri"');
  const target = toFetchableUrl(jwksUri);
  if (typeof target === 'string') throw new KeyFetchError('insecure_url', url, `the metadata "jwks_uri" ${target}`);
  return { issuer, jwksUri: target.href };
}

/**
 * Tries both metadata URLs in order. Both live on the issuer's origin, so after a timeout on the first the
 * second is not tried: a cold request then waits at most one `timeoutMs` for metadata.
 */
async function discover(issuer: string, options: FetchJsonOptions): Promise<IssuerMetadata> {
  const failures: KeyFetchError[] = [];
  for (const url of toDiscoveryUrls(issuer)) {
    try {
      return toIssuerMetadata(await fetchJson(url, options), issuer, url);
    } catch (error) {
      const failure = error instanceof KeyFetchError ? error : new KeyFetchError('network', url, String(error));
      failures.push(failure);
      if (failure.kind === 'timeout') break;
    }
  }
  const [first] = failures;
  throw new KeyFetchError(first!.kind, issuer, `discovery failed (${failures.map((f) => f.message).join('; ')})`);
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
      { resource: 'metadata', url: toDiscoveryUrls(issuer)[0], load: () => discover(issuer, options.fetch) },
      options,
    );
  }

  /** The metadata when usable at `now`, else `undefined` (see {@link RefreshingValue.usable}). */
  usable(now: number): IssuerMetadata | undefined {
    return this.#metadata.usable(now);
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
}
