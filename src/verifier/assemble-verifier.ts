/**
 * The assembly of one option set: options validated into plain data (`resolveOptions`), the issuer family
 * looked up, key sources built (fetched key stores shared process-wide; configured `publicKeys`; or the
 * sources of an issuer resolver's answers), the issuer stage and the cache created, and the pipeline
 * (`verify-token.ts`) assembled from them. The order of the checks lives in the pipeline, not here.
 */
import { FAMILIES } from '../profiles/families.js';
import { createBinding, type Binding } from '../verify/binding/check-binding.js';
import { NonceSource } from '../verify/binding/dpop-nonce.js';
import { MemoryReplayStore } from '../verify/binding/replay-store.js';
import { TokenCache } from '../verify/cache/token-cache.js';
import { resolveOptions } from '../verify/config/resolve-options.js';
import type { VerifierConfig } from '../verify/config/verifier-config.js';
import type { IssuerFamily } from '../verify/issuer-family.js';
import { IssuerMatcher } from '../verify/issuer/match-issuer.js';
import { ResolvedIssuers, withIssuerResolver } from '../verify/issuer/resolve-issuers.js';
import { createDiscoveredKeySource, createStaticKeySource, type KeySource } from '../verify/keys/key-source.js';
import { createPublicKeySource } from '../verify/keys/public-key-source.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { createOutcomes, type Outcomes } from '../verify/pipeline-outcomes.js';
import { createPipeline, type VerifyNow } from '../verify/verify-token.js';
import type { Introspector } from '../introspection/introspector.js';
import { assembleIntrospection } from './assemble-introspection.js';

/** One assembled option set. */
export interface AssembledVerifier {
  readonly config: VerifierConfig;
  readonly family: IssuerFamily;
  readonly verifyNow: VerifyNow;
  /** Its verified-token cache, if any. */
  readonly cache: TokenCache | undefined;
  /** Its binding stage (DPoP, mutual TLS): the credential schemes `authenticate()` accepts, its challenges. */
  readonly binding: Binding;
  /** The key source of each issuer (configured, or resolved so far), for `ready()` and `status()`. */
  readonly sources: () => ReadonlyMap<string, KeySource>;
  /** Its introspectors (none without `introspection`), for `status()`. */
  readonly introspectors: readonly Introspector<unknown>[];
}

/** The outcome functions of `config`, for refusals decided outside the pipeline (an issuer resolver's). */
function outcomesOf(config: VerifierConfig, family: IssuerFamily, binding: Binding): Outcomes {
  return createOutcomes({ realm: config.realm, family, issuers: config.issuers, binding, decrypts: config.decryption !== undefined });
}

/** Assembles one option set. Throws a `TypeError` naming the option when `options` are invalid. */
export function assembleVerifier(options: VerifierOptions): AssembledVerifier {
  const config = resolveOptions(options, [...FAMILIES.keys()]);
  const family = FAMILIES.get(config.profile)!;
  // Everything is valid: only now are key stores created or shared.
  const fixed =
    config.jwksUri !== undefined
      ? createStaticKeySource(config.jwksUri, config.keys)
      : config.publicKeys !== undefined
        ? createPublicKeySource(config.publicKeys)
        : undefined;
  const cache = config.cache === false ? undefined : new TokenCache(config.cache);
  const binding = assembleBinding(config);
  const introspector = assembleIntrospection(config, family);
  const resolver = config.issuerResolver;
  if (resolver !== undefined) {
    const resolved = new ResolvedIssuers(
      (issuer) => fixed ?? createDiscoveredKeySource(issuer, config.keys),
      (issuer) => family.tenantOfIssuer(issuer),
      config.excludedTenants,
    );
    const pipeline = createPipeline({ config, family, issuers: resolved, cache, binding, introspector });
    return {
      config,
      family,
      verifyNow: withIssuerResolver(pipeline, resolver, resolved, config.maxTokenLength, outcomesOf(config, family, binding).fail),
      cache,
      binding,
      sources: () => resolved.sources(),
      introspectors: introspector === undefined ? [] : [introspector],
    };
  }
  const rules = config.issuers.map((issuer) => {
    const tenant = family.tenantOfIssuer(issuer);
    return {
      configured: issuer,
      target: fixed ?? createDiscoveredKeySource(issuer, config.keys),
      ...(tenant === undefined ? {} : { tenant }),
    };
  });
  const sources = new Map<string, KeySource>(rules.map((rule) => [rule.configured, rule.target]));
  const issuers = new IssuerMatcher(rules, config.excludedTenants);
  const verifyNow = createPipeline({ config, family, issuers, cache, binding, introspector });
  const introspectors = introspector === undefined ? [] : [introspector];
  return { config, family, verifyNow, cache, binding, sources: () => sources, introspectors };
}

/** The binding stage of `config`: DPoP with its replay store and nonces, mutual TLS, or neither. */
export function assembleBinding(config: VerifierConfig): Binding {
  const { dpop, mtls } = config;
  return createBinding({
    realm: config.realm,
    authParams: config.authParams,
    toleranceSec: config.claims.toleranceSec,
    dpop,
    mtls,
    replayStore: dpop === undefined ? undefined : (dpop.replayStore ?? new MemoryReplayStore()),
    nonces: dpop?.nonce === undefined ? undefined : new NonceSource(dpop.nonce),
  });
}
