/**
 * The issuer resolver option: issuers that depend on the request. Types only; the stage is
 * `resolve-issuers.ts`.
 */
import type { JsonObject } from '../../json.js';

/** The request as an issuer resolver sees it: frozen, headers with lower-case names. */
export interface ResolverRequest {
  /** The HTTP method, when known. */
  readonly method: string | undefined;
  /** The request target as received (`/receipts/7?x=1`), when known. */
  readonly url: string | undefined;
  /** The request headers (`host`, `x-forwarded-host`…), lower-case names; empty without a request. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/**
 * Answers the issuers allowed for one request. `claims` are the token's unverified claims (frozen,
 * own members only): use them to choose among your own issuers, never as the answer.
 */
export type IssuerResolver = (
  request: ResolverRequest,
  claims: Readonly<JsonObject>,
) => string | readonly string[] | Promise<string | readonly string[]>;
