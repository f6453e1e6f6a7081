/**
 * Issuer matching: exact, case-sensitive string equality (RFC 7519 §4.1.1, RFC 9068 §4), plus Entra-style
 * templates holding the literal `{tenantid}`, which match an `iss` whose tenant segment equals the token's
 * `tid` claim. An exact issuer may name its tenant too (a single-tenant Entra issuer): the token's `tid` must
 * then equal it. Tenants listed as excluded never match. Linear-time string comparisons only; no patterns.
 */

/** The literal placeholder of a multi-tenant issuer template. */
export const TENANT_PLACEHOLDER = '{tenantid}';

/** One configured issuer and what it selects. */
export interface IssuerRule<T> {
  /** The configured value (exact issuer or template). */
  readonly configured: string;
  /** What a match selects (the issuer's key source). */
  readonly target: T;
  /** For an exact issuer: the tenant its tokens must name in `tid` (else `tenant_mismatch`). */
  readonly tenant?: string;
}

/** The result of matching a token's `iss`. */
export type IssuerMatch<T> =
  | { readonly matched: true; readonly issuer: string; readonly rule: IssuerRule<T> }
  | { readonly matched: false; readonly reason: 'issuer_mismatch' | 'tenant_mismatch' | 'tenant_not_allowed' };

/**
 * The issuer stage as the pipeline sees it: configured issuers ({@link IssuerMatcher}), or the issuers an
 * issuer resolver allowed for the request (`allowed`).
 */
export interface IssuerSelector<T> {
  /** Matches the (unverified) `iss` and `tid` of a token. */
  match(iss: unknown, tid: unknown, allowed?: ReadonlySet<string>): IssuerMatch<T>;
}

interface Template<T> {
  readonly prefix: string;
  readonly suffix: string;
  readonly rule: IssuerRule<T>;
}

/** Matches `iss` claims against configured issuers. */
export class IssuerMatcher<T> implements IssuerSelector<T> {
  readonly #exact = new Map<string, IssuerRule<T>>();
  readonly #templates: Template<T>[] = [];
  readonly #excludedTenants: ReadonlySet<string>;

  /**
   * @param rules - the configured issuers.
   * @param excludedTenants - `tid` values (compared case-insensitively) that never match, answered
   *   `tenant_not_allowed`.
   */
  constructor(rules: readonly IssuerRule<T>[], excludedTenants: readonly string[] = []) {
    this.#excludedTenants = new Set(excludedTenants.map((tenant) => tenant.toLowerCase()));
    for (const rule of rules) {
      const at = rule.configured.indexOf(TENANT_PLACEHOLDER);
      if (at === -1) this.#exact.set(rule.configured, rule);
      else {
        this.#templates.push({
          prefix: rule.configured.slice(0, at),
          suffix: rule.configured.slice(at + TENANT_PLACEHOLDER.length),
          rule,
        });
      }
    }
  }

  /** Matches the (unverified) `iss` and `tid` of a token. */
  match(iss: unknown, tid: unknown): IssuerMatch<T> {
    const found = this.#find(iss, tid);
    if (found.matched && typeof tid === 'string' && this.#excludedTenants.has(tid.toLowerCase())) {
      return { matched: false, reason: 'tenant_not_allowed' };
    }
    return found;
  }

  #find(iss: unknown, tid: unknown): IssuerMatch<T> {
    if (typeof iss !== 'string') return { matched: false, reason: 'issuer_mismatch' };
    const exact = this.#exact.get(iss);
    if (exact !== undefined) {
      if (exact.tenant !== undefined && tid !== exact.tenant) return { matched: false, reason: 'tenant_mismatch' };
      return { matched: true, issuer: iss, rule: exact };
    }
    let shapeMatched = false;
    for (const { prefix, suffix, rule } of this.#templates) {
      if (iss.length <= prefix.length + suffix.length || !iss.startsWith(prefix) || !iss.endsWith(suffix)) continue;
      const tenant = iss.slice(prefix.length, iss.length - suffix.length);
      if (tenant.includes('/')) continue;
      shapeMatched = true;
      if (typeof tid === 'string' && tid === tenant) return { matched: true, issuer: iss, rule };
    }
    return { matched: false, reason: shapeMatched ? 'tenant_mismatch' : 'issuer_mismatch' };
  }
}
