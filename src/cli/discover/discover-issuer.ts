/**
 * `discover`'s findings, made with the verifier's own parts: the metadata locations in the order
 * bearer-guard tries them (`toDiscoveryUrls`), each fetched with the same limits (`fetchJson`) and judged by
 * the same rule (`toIssuerMetadata`: the `issuer` member equal to the issuer, an HTTPS `jwks_uri`); then the
 * key set the first usable answer names, each member read as the key store reads it (`readKey`), with why
 * a member is not used. Unlike the verifier, every location is tried, so each answer can be shown.
 */
import { fetchJson, KeyFetchError, type FetchJsonOptions } from '../../http/fetch-json.js';
import { isJsonObject, ownMember } from '../../json.js';
import { toDiscoveryUrls, toIssuerMetadata } from '../../verify/keys/discovery.js';
import { readKey } from '../../verify/keys/jwk-set.js';
import { KEY_DEFAULTS } from '../../verify/keys/key-options.js';
import { JWKS_ACCEPT } from '../../verify/keys/key-store.js';

/** One metadata location and its answer. */
export interface MetadataAttempt {
  readonly url: string;
  /** True when bearer-guard would use this answer. */
  readonly usable: boolean;
  /** The answer in words: `HTTP 404`, `the metadata "issuer" differs…`, `issuer matches`. */
  readonly answer: string;
  /** The document's `issuer` member, when a JSON document answered. */
  readonly issuer: string | null;
  /** The document's `jwks_uri` member, when a JSON document answered. */
  readonly jwksUri: string | null;
}

/** One member of the key set. */
export interface KeyLine {
  readonly kid: string | null;
  readonly kty: string | null;
  readonly alg: string | null;
  readonly use: string | null;
  /** `2048 bits` (RSA) or the curve (EC, OKP). */
  readonly size: string | null;
  /** The key's own `issuer` member (Entra ID publishes one). */
  readonly issuer: string | null;
  /** The algorithms it may verify, when bearer-guard uses it. */
  readonly algorithms: readonly string[];
  /** Why bearer-guard does not use it, else `null`. */
  readonly unusable: string | null;
}

/** What `discover` found. */
export interface DiscoverReport {
  readonly issuer: string;
  /** `ok` (usable metadata and keys), `unusable` (answers bearer-guard would refuse), `unavailable` (no answer). */
  readonly verdict: 'ok' | 'unusable' | 'unavailable';
  readonly metadata: readonly MetadataAttempt[];
  /** The key set URL bearer-guard would use, else `null`. */
  readonly jwksUri: string | null;
  /** The key set fetch: its answer and its members. */
  readonly jwks: { readonly answer: string; readonly keys: readonly KeyLine[] } | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

function answerOf(error: unknown): string {
  if (!(error instanceof KeyFetchError)) return 'the request failed';
  const prefix = `${error.url}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function sizeOf(jwk: Record<string, unknown>): string | null {
  if (jwk.kty === 'RSA' && typeof jwk.n === 'string') {
    const n = Buffer.from(jwk.n, 'base64url');
    let at = 0;
    while (at < n.length && n[at] === 0) at++;
    return at === n.length ? null : `${(n.length - at) * 8 - (Math.clz32(n[at]!) - 24)} bits`;
  }
  return text(jwk.crv);
}

function toKeyLine(member: unknown): KeyLine {
  const jwk = isJsonObject(member) ? member : {};
  const read = readKey(member);
  return {
    kid: text(ownMember(jwk, 'kid')),
    kty: text(ownMember(jwk, 'kty')),
    alg: text(ownMember(jwk, 'alg')),
    use: text(ownMember(jwk, 'use')),
    size: sizeOf(jwk),
    issuer: text(ownMember(jwk, 'issuer')),
    algorithms: typeof read === 'string' ? [] : [...read.algorithms],
    unusable: typeof read === 'string' ? read : null,
  };
}

async function tryMetadata(url: string, issuer: string, options: FetchJsonOptions): Promise<MetadataAttempt> {
  let document: unknown;
  try {
    document = await fetchJson(url, options);
  } catch (error) {
    return { url, usable: false, answer: answerOf(error), issuer: null, jwksUri: null };
  }
  const declared = isJsonObject(document) ? { issuer: text(ownMember(document, 'issuer')), jwksUri: text(ownMember(document, 'jwks_uri')) } : { issuer: null, jwksUri: null };
  try {
    toIssuerMetadata(document, issuer, url);
    return { url, usable: true, answer: 'usable: "issuer" equals the issuer, "jwks_uri" may be fetched', ...declared };
  } catch (error) {
    return { url, usable: false, answer: answerOf(error), ...declared };
  }
}

/** Discovers `issuer` with fetches bounded by `timeoutMs` each. */
export async function discoverIssuer(issuer: string, timeoutMs: number): Promise<DiscoverReport> {
  const options: FetchJsonOptions = {
    timeoutMs,
    maxResponseBytes: KEY_DEFAULTS.maxResponseBytes,
    allowedRedirectHosts: new Set(),
    fetch: globalThis.fetch,
    accept: 'application/json',
  };
  const metadata: MetadataAttempt[] = [];
  for (const url of toDiscoveryUrls(issuer)) metadata.push(await tryMetadata(url, issuer, options));
  const chosen = metadata.find((attempt) => attempt.usable);
  if (chosen === undefined) {
    const answered = metadata.some((attempt) => attempt.issuer !== null || attempt.jwksUri !== null);
    return { issuer, verdict: answered ? 'unusable' : 'unavailable', metadata, jwksUri: null, jwks: null };
  }
  const jwksUri = new URL(chosen.jwksUri!).href;
  let document: unknown;
  try {
    document = await fetchJson(jwksUri, { ...options, accept: JWKS_ACCEPT });
  } catch (error) {
    const kind = error instanceof KeyFetchError ? error.kind : 'network';
    const verdict = kind === 'network' || kind === 'timeout' || kind === 'status' ? 'unavailable' : 'unusable';
    return { issuer, verdict, metadata, jwksUri, jwks: { answer: answerOf(error), keys: [] } };
  }
  const members = isJsonObject(document) ? ownMember(document, 'keys') : undefined;
  if (!Array.isArray(members)) return { issuer, verdict: 'unusable', metadata, jwksUri, jwks: { answer: 'not a JWK Set (no "keys" array)', keys: [] } };
  const keys = members.slice(0, 1000).map(toKeyLine);
  const usable = keys.filter((key) => key.unusable === null).length;
  const answer = `${members.length} key${members.length === 1 ? '' : 's'}, ${usable} usable to verify signatures`;
  return { issuer, verdict: usable > 0 ? 'ok' : 'unusable', metadata, jwksUri, jwks: { answer, keys } };
}
