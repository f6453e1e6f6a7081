/**
 * Several option sets in one verifier, each for its own issuers: the token's (unverified) `iss` selects the
 * one set that names it, before anything else is judged, so each token meets only its own issuer's rules
 * (audience, algorithms, claims, keys). Exact issuers first, then `{tenantid}` templates by their shape (the
 * selected set then checks the tenant). Linear-time string comparisons only.
 */
import { TENANT_PLACEHOLDER } from './match-issuer.js';

/** One option set's issuers and what selecting it yields. */
export interface IssuerRoute<T> {
  /** The set's configured issuers (exact values and templates). */
  readonly issuers: readonly string[];
  /** What the set's tokens are handed to. */
  readonly target: T;
}

/** Selects the option set of an `iss`. */
export class IssuerRouter<T> {
  readonly #exact = new Map<string, T>();
  readonly #templates: { prefix: string; suffix: string; target: T }[] = [];

  /**
   * @param routes - each option set's issuers. An issuer named by two sets is a configuration error, thrown
   *   as the index of the second set and the issuer (the caller words the `TypeError`).
   */
  constructor(routes: readonly IssuerRoute<T>[], onRepeat: (index: number, issuer: string) => never) {
    const seen = new Set<string>();
    routes.forEach(({ issuers, target }, index) => {
      for (const issuer of issuers) {
        if (seen.has(issuer)) onRepeat(index, issuer);
        seen.add(issuer);
        const at = issuer.indexOf(TENANT_PLACEHOLDER);
        if (at === -1) this.#exact.set(issuer, target);
        else this.#templates.push({ prefix: issuer.slice(0, at), suffix: issuer.slice(at + TENANT_PLACEHOLDER.length), target });
      }
    });
  }

  /** The target whose issuers name `iss`, or `undefined`. */
  route(iss: unknown): T | undefined {
    if (typeof iss !== 'string') return undefined;
    const exact = this.#exact.get(iss);
    if (exact !== undefined) return exact;
    for (const { prefix, suffix, target } of this.#templates) {
      if (iss.length <= prefix.length + suffix.length || !iss.startsWith(prefix) || !iss.endsWith(suffix)) continue;
      if (!iss.slice(prefix.length, iss.length - suffix.length).includes('/')) return target;
    }
    return undefined;
  }
}
