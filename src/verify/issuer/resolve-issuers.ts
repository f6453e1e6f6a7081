/**
 * Issuers that depend on the request (one API behind many custom domains, a tenant per host): an issuer
 * resolver is called for each request with a view of the request and the token's UNVERIFIED claims, and
 * answers the issuers it allows for that request. Its answer only narrows what is accepted: the token must
 * name one of them in `iss`, and is then verified as usual against that issuer's keys (discovered from the
 * issuer itself, or the configured `jwksUri` / `publicKeys`). A token answered from the verified-token cache
 * is re-judged against each new answer.
 *
 * Trust: the claims are the token's own, not yet verified, so anyone can put anything in them. An answer
 * must come from the API's own list (a table of hosts, a tenant directory), never from the claims alone:
 * echoing `iss` would let any issuer whose keys an attacker controls in.
 *
 * Bounded: an answer names at most {@link MAX_RESOLVED_ISSUERS} issuers; each is validated once (an HTTPS
 * URL, or http on loopback, without query or fragment) and its key source kept in a least-recently-used set
 * of {@link MAX_RESOLVER_SOURCES}. A resolver that throws, or answers anything else, is a fault of the API
 * (a 500); one that throws an `AuthError` gets that error's answer.
 */
import { LRUCache } from 'lru-cache';
import { toFetchableUrl } from '../../http/url-policy.js';
import { ownMember, type JsonObject } from '../../json.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import { decodeJws } from '../format/decode-jws.js';
import { jsonView } from '../identity/own-view.js';
import type { KeySource } from '../keys/key-source.js';
import type { IssuerResolver, ResolverRequest } from './issuer-resolver.js';
import type { IssuerMatch, IssuerRule, IssuerSelector } from './match-issuer.js';
import type { Fail } from '../pipeline-outcomes.js';
import type { VerifyNow } from '../verify-token.js';

/** Most issuers one answer may name. */
export const MAX_RESOLVED_ISSUERS = 32;
/** Most resolved issuers whose validation and key source a verifier keeps. */
export const MAX_RESOLVER_SOURCES = 256;

/** The fixed message of the fault raised for an answer that is not a list of issuer URLs. */
export const BAD_RESOLVER_ANSWER = 'bearer-guard: the issuer resolver answered something other than at most 32 issuer URLs';

const NO_HEADERS: ResolverRequest['headers'] = Object.freeze({});

function toResolverRequest(request: VerifyRequest | undefined): ResolverRequest {
  const headers = request?.headers;
  return Object.freeze({
    method: request?.method,
    url: request?.url,
    headers: headers === undefined ? NO_HEADERS : Object.freeze({ ...headers }),
  });
}

/** The issuers an issuer resolver allows, each with its key source. */
export class ResolvedIssuers implements IssuerSelector<KeySource> {
  readonly #rules: LRUCache<string, IssuerRule<KeySource>>;
  readonly #sourceFor: (issuer: string) => KeySource;
  readonly #tenantOf: (issuer: string) => string | undefined;
  readonly #excludedTenants: ReadonlySet<string>;

  /**
   * @param sourceFor - the key source of an allowed issuer (a discovered one, or the fixed keys).
   * @param tenantOf - the tenant an issuer's tokens must name in `tid` (the family's rule), if any.
   * @param excludedTenants - `tid` values (compared case-insensitively) never accepted, as with configured issuers.
   */
  constructor(
    sourceFor: (issuer: string) => KeySource,
    tenantOf: (issuer: string) => string | undefined = () => undefined,
    excludedTenants: readonly string[] = [],
  ) {
    this.#sourceFor = sourceFor;
    this.#tenantOf = tenantOf;
    this.#excludedTenants = new Set(excludedTenants.map((tenant) => tenant.toLowerCase()));
    this.#rules = new LRUCache({ max: MAX_RESOLVER_SOURCES });
  }

  /** The validated set of an answer; throws a plain `Error` (a fault) for anything else. */
  allowed(answer: unknown): ReadonlySet<string> {
    const list = typeof answer === 'string' ? [answer] : answer;
    if (!Array.isArray(list) || list.length > MAX_RESOLVED_ISSUERS) throw new Error(BAD_RESOLVER_ANSWER);
    for (const issuer of list) this.#rule(issuer);
    return new Set(list as string[]);
  }

  /**
   * Matches `iss` against the issuers the resolver `allowed` for this request (none without an answer),
   * with the same tenant rules as configured issuers: an issuer that names its tenant needs that `tid`, and
   * an excluded tenant never matches.
   */
  match(iss: unknown, tid: unknown, allowed?: ReadonlySet<string>): IssuerMatch<KeySource> {
    if (typeof iss !== 'string' || allowed === undefined || !allowed.has(iss)) return { matched: false, reason: 'issuer_mismatch' };
    const rule = this.#rule(iss);
    if (rule.tenant !== undefined && tid !== rule.tenant) return { matched: false, reason: 'tenant_mismatch' };
    if (typeof tid === 'string' && this.#excludedTenants.has(tid.toLowerCase())) return { matched: false, reason: 'tenant_not_allowed' };
    return { matched: true, issuer: iss, rule };
  }

  /** The issuers resolved so far (least recently used last) and their key sources. */
  sources(): Map<string, KeySource> {
    return new Map([...this.#rules.entries()].map(([issuer, rule]) => [issuer, rule.target]));
  }

  #rule(issuer: unknown): IssuerRule<KeySource> {
    if (typeof issuer !== 'string') throw new Error(BAD_RESOLVER_ANSWER);
    let rule = this.#rules.get(issuer);
    if (rule === undefined) {
      const url = issuer.length <= 2048 ? toFetchableUrl(issuer) : 'too long';
      if (typeof url === 'string' || /[?#]/.test(issuer)) throw new Error(BAD_RESOLVER_ANSWER);
      const tenant = this.#tenantOf(issuer);
      rule = { configured: issuer, target: this.#sourceFor(issuer), ...(tenant === undefined ? {} : { tenant }) };
      this.#rules.set(issuer, rule);
    }
    return rule;
  }
}

/**
 * The verification of a verifier whose issuers come from `resolver`: the answer for each request narrows
 * `pipeline`'s issuers (a token that cannot even be decoded is left to the pipeline to refuse). An
 * `AuthError` the resolver throws is reported through `fail` like the pipeline's own refusals (event, debug
 * line, trace) at the issuer stage; anything else it throws goes on as it is.
 */
export function withIssuerResolver(
  pipeline: VerifyNow,
  resolver: IssuerResolver,
  issuers: ResolvedIssuers,
  maxTokenLength: number,
  fail: Fail,
): VerifyNow {
  const none: ReadonlySet<string> = new Set();
  return (token, request, extras) => {
    const trace = extras?.trace;
    let claims: JsonObject | undefined;
    if (typeof token === 'string' && token.length <= maxTokenLength) {
      try {
        claims = decodeJws(token).payload;
      } catch {
        claims = undefined;
      }
    }
    if (claims === undefined || typeof ownMember(claims, 'iss') !== 'string') return pipeline(token, request, { trace, allowed: none });
    const payload = claims;
    const refused = (error: unknown): never => fail(error, 'issuer', payload, request, trace);
    let answer: ReturnType<IssuerResolver>;
    try {
      answer = resolver(toResolverRequest(request), jsonView(claims));
    } catch (error) {
      return refused(error);
    }
    if (typeof answer === 'object' && answer !== null && typeof (answer as Promise<unknown>).then === 'function') {
      return Promise.resolve(answer).then(
        (settled) => pipeline(token, request, { trace, allowed: issuers.allowed(settled) }),
        refused,
      );
    }
    return pipeline(token, request, { trace, allowed: issuers.allowed(answer) });
  };
}
