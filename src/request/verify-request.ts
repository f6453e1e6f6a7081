/**
 * The request context of a verification: what `authenticate()` passes to `verifier.verify(token, request)`
 * so that the stages binding a token to its request (DPoP `htm`/`htu`, mutual TLS) can read it, and so that
 * every outcome event names its method and path. A Node `IncomingMessage` has every field but `certificate`.
 */
import type { X509Certificate } from 'node:crypto';

/** The request that carried a token. */
export interface VerifyRequest {
  /** The HTTP method (`GET`, `POST`…). */
  readonly method?: string | undefined;
  /** The request target as received: origin-form (`/receipts/7?x=1`) or absolute. */
  readonly url?: string | undefined;
  /** The request headers with lower-case names, as Node parses them. */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>> | undefined;
  /** The client's TLS certificate (mutual TLS), when the connection presented one. */
  readonly certificate?: X509Certificate | undefined;
  /**
   * The request came over TLS: the scheme of its URI is `https` (DPoP `htu`, when no `publicOrigin` is set).
   * @default false
   */
  readonly secure?: boolean | undefined;
}

/** The path of a request target, without query or fragment (what events may report). */
export function pathOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let end = url.length;
  const query = url.indexOf('?');
  if (query !== -1) end = query;
  const hash = url.indexOf('#');
  if (hash !== -1 && hash < end) end = hash;
  return end === url.length ? url : url.slice(0, end);
}
