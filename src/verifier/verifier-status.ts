/**
 * `verifier.status()`: the state of each configured issuer's metadata and key set, and of each introspection
 * endpoint, read without fetching anything, for a `/healthz` route. Times are `Date`s (ISO strings in JSON).
 */
import type { IntrospectionState, Introspector } from '../introspection/introspector.js';
import type { KeySource } from '../verify/keys/key-source.js';
import type { RefreshFailure, RefreshStatus } from '../verify/keys/refreshing-value.js';

/** The last failed fetch of a document. */
export interface FetchFailureStatus {
  /** When it failed. */
  readonly at: Date;
  /** The class of fault (`network`, `timeout`, `status`, `not_json`…). */
  readonly kind: string;
  /** The system error code (`ENOTFOUND`, `ECONNREFUSED`, a TLS code) or `HTTP_<status>`, when known. */
  readonly code?: string;
  /** A sentence naming the URL (credentials redacted) and the fault. */
  readonly message: string;
  /** Consecutive failures so far. */
  readonly failures: number;
}

/** The state of one fetched document (issuer metadata or a JWK Set). */
export interface DocumentStatus {
  /** Its URL (credentials redacted). */
  readonly url: string;
  /** When the copy in use was fetched; absent before the first success. */
  readonly lastFetchedAt?: Date;
  /** The last failure, while the latest attempt failed. */
  readonly lastFailure?: FetchFailureStatus;
  /** True while a copy past its max age is served because refreshing it fails (stale-if-error). */
  readonly servingStale: boolean;
  /** When the next fetch is due (end of freshness, or of a failure backoff). */
  readonly nextRefreshAt?: Date;
  /** True when the copy may serve now. */
  readonly usable: boolean;
}

/** The state of a JWK Set. */
export interface KeySetDocumentStatus extends DocumentStatus {
  /** Usable keys in the set in use. */
  readonly keyCount: number;
  /** Their `kid`s (`#<n>` by position for a key without one). */
  readonly kids: readonly string[];
}

/** The state of one configured issuer's keys. */
export interface IssuerStatus {
  /** The configured issuer (an exact value or a `{tenantid}` template). */
  readonly issuer: string;
  /** Its discovery metadata, when keys are discovered. */
  readonly metadata?: DocumentStatus;
  /** The key set in use; absent until discovery named one. */
  readonly jwks?: KeySetDocumentStatus;
  /** True when a usable key set is at hand now (the issuer's tokens can be verified without a fetch). */
  readonly ok: boolean;
}

/** The state of an introspection endpoint (the `introspection` option). */
export interface IntrospectionStatus {
  /** The issuer whose endpoint it is. */
  readonly issuer: string;
  /** The endpoint (credentials redacted); absent while it is still to be discovered. */
  readonly endpoint?: string;
  /** When it last gave a usable answer; absent before the first. */
  readonly lastAnsweredAt?: Date;
  /** The last failed call, while the latest call failed. */
  readonly lastFailure?: FetchFailureStatus;
  /** The end of the failure backoff: until then, tokens not in the cache are answered 503 without a call. */
  readonly retryAt?: Date;
  /** True unless a failure backoff is running. */
  readonly ok: boolean;
}

/** What `verifier.status()` returns. */
export interface VerifierStatus {
  /** True when every issuer and every introspection endpoint is `ok`. */
  readonly ok: boolean;
  /** One entry per configured issuer. */
  readonly issuers: readonly IssuerStatus[];
  /** One entry per introspection endpoint; absent without the `introspection` option. */
  readonly introspection?: readonly IntrospectionStatus[];
}

function toFailureStatus(failure: RefreshFailure | NonNullable<IntrospectionState['lastFailure']>): FetchFailureStatus {
  return {
    at: new Date(failure.at),
    kind: failure.kind,
    ...(failure.code === undefined ? {} : { code: failure.code }),
    message: failure.message,
    failures: failure.failures,
  };
}

function toIntrospectionStatus(state: IntrospectionState): IntrospectionStatus {
  return {
    issuer: state.issuer,
    ...(state.endpoint === undefined ? {} : { endpoint: state.endpoint }),
    ...(state.answeredAt === undefined ? {} : { lastAnsweredAt: new Date(state.answeredAt) }),
    ...(state.lastFailure === undefined ? {} : { lastFailure: toFailureStatus(state.lastFailure) }),
    ...(state.retryAt === undefined ? {} : { retryAt: new Date(state.retryAt) }),
    ok: state.retryAt === undefined,
  };
}

function toDocumentStatus(status: RefreshStatus): DocumentStatus {
  const failure = status.lastFailure;
  return {
    url: status.url,
    ...(status.fetchedAt === undefined ? {} : { lastFetchedAt: new Date(status.fetchedAt) }),
    ...(failure === undefined ? {} : { lastFailure: toFailureStatus(failure) }),
    servingStale: status.servingStale,
    ...(status.nextRefreshAt === undefined ? {} : { nextRefreshAt: new Date(status.nextRefreshAt) }),
    usable: status.usable,
  };
}

/** The status of every configured issuer's key source and of every introspector at `now`. */
export function toVerifierStatus(
  sources: ReadonlyMap<string, KeySource>,
  introspectors: readonly Introspector<unknown>[],
  now: number,
): VerifierStatus {
  const issuers: IssuerStatus[] = [];
  for (const [issuer, source] of sources) {
    const { metadata, jwks } = source.status(now);
    const ok = jwks?.usable === true;
    issuers.push({
      issuer,
      ...(metadata === undefined ? {} : { metadata: toDocumentStatus(metadata) }),
      ...(jwks === undefined ? {} : { jwks: { ...toDocumentStatus(jwks), keyCount: jwks.keyCount, kids: jwks.kids } }),
      ok,
    });
  }
  if (introspectors.length === 0) return { ok: issuers.every((entry) => entry.ok), issuers };
  const introspection = introspectors.map((introspector) => toIntrospectionStatus(introspector.status(now)));
  return { ok: issuers.every((entry) => entry.ok) && introspection.every((entry) => entry.ok), issuers, introspection };
}
