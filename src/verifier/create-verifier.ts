/**
 * `createVerifier`: assembly only. Options are validated into plain data (`resolveOptions`), the issuer
 * family is looked up, key sources and the issuer matcher are built (sharing key stores process-wide), the
 * cache is created, and the pipeline (`verify-token.ts`) is assembled from them. The order of the checks
 * lives in the pipeline, not here.
 */
import { FAMILIES } from '../profiles/families.js';
import type { VerifyRequest } from '../request/verify-request.js';
import { TokenCache } from '../verify/cache/token-cache.js';
import { resolveOptions } from '../verify/config/resolve-options.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import type { IssuedBy } from '../verify/identity/issued-identity.js';
import { IssuerMatcher } from '../verify/issuer/match-issuer.js';
import { createDiscoveredKeySource, createStaticKeySource, type KeySource } from '../verify/keys/key-source.js';
import type { Verifier } from '../verify/verifier.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { createPipeline } from '../verify/verify-token.js';
import { readyAll } from './ready.js';
import { toVerifierStatus, type VerifierStatus } from './verifier-status.js';

/** Internal entry point: answers synchronously when no key fetch is needed. */
export const VERIFY_NOW: unique symbol = Symbol('bearer-guard.verifyNow');
/** Internal: what the verifier's identities and challenges carry (realm, auth-params, resource…). */
export const ISSUED_BY: unique symbol = Symbol('bearer-guard.verifierIssuedBy');

/** The verifier {@link createVerifier} returns. */
export interface BearerVerifier extends Verifier {
  /** The `realm` of the challenges this verifier's errors carry. */
  readonly realm: string;
  /**
   * Loads the metadata and keys of every configured issuer now, for example before the server starts
   * listening. Rejects with an `AggregateError` whose message names each URL that failed and why (with the
   * system error code: `ENOTFOUND`, `ECONNREFUSED`, a TLS error, or the HTTP status). Never required: keys
   * are otherwise loaded by the first request.
   */
  ready(): Promise<void>;
  /**
   * The state of every issuer's metadata and keys, for a `/healthz` route: when keys were last fetched, how
   * many, the last failure (with its system error code), whether stale keys are being served, when the next
   * refresh is due. Never fetches anything.
   *
   * @example
   * app.get('/healthz', (_req, res) => { const s = verifier.status(); res.status(s.ok ? 200 : 503).json(s); });
   */
  status(): VerifierStatus;
  /** @internal Verifies without a promise when the key is at hand; throws `AuthError`. */
  readonly [VERIFY_NOW]: (token: string, request?: VerifyRequest) => AuthInfo | Promise<AuthInfo>;
  /** @internal The challenge parameters and resource of this verifier, for `authenticate()`. */
  readonly [ISSUED_BY]: IssuedBy;
}

/**
 * Creates a verifier for access tokens of the configured issuer(s) and audience(s). Throws a
 * `TypeError` naming the option when `options` are invalid.
 *
 * @example
 * const verifier = createVerifier({ issuer: 'https://login.example.com/', audience: 'api://receipts' });
 * const auth = await verifier.verify(token); // auth.clientId, auth.scopes, auth.roles…
 */
export function createVerifier(options: VerifierOptions): BearerVerifier {
  const config = resolveOptions(options, [...FAMILIES.keys()]);
  const family = FAMILIES.get(config.profile)!;
  // Everything is valid: only now are key stores created or shared.
  const shared = config.jwksUri === undefined ? undefined : createStaticKeySource(config.jwksUri, config.keys);
  const rules = config.issuers.map((issuer) => {
    const tenant = family.tenantOfIssuer(issuer);
    return {
      configured: issuer,
      target: shared ?? createDiscoveredKeySource(issuer, config.keys),
      ...(tenant === undefined ? {} : { tenant }),
    };
  });
  const sources = new Map<string, KeySource>(rules.map((rule) => [rule.configured, rule.target]));
  const issuedBy: IssuedBy = Object.freeze({
    realm: config.realm,
    authParams: config.authParams,
    resource: config.resource?.resource,
    resourceMetadataUrl: config.resource?.metadataUrl,
    impliedScopes: config.impliedScopes,
  });
  const verifyNow = createPipeline({
    issuedBy,
    config,
    family,
    issuers: new IssuerMatcher(rules, config.excludedTenants),
    cache: config.cache === false ? undefined : new TokenCache(config.cache),
  });
  return {
    realm: config.realm,
    [VERIFY_NOW]: verifyNow,
    [ISSUED_BY]: issuedBy,
    verify(token: string, request?: VerifyRequest): Promise<AuthInfo> {
      try {
        return Promise.resolve(verifyNow(token, request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    ready: () => readyAll([...new Set(sources.values())]),
    status: () => toVerifierStatus(sources, Date.now()),
  };
}
