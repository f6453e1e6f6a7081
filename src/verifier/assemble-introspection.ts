/**
 * The stateful side of introspection, built once per verifier: where the endpoint is (fixed, or the
 * `introspection_endpoint` of the issuer's metadata, read from the metadata store the key source shares),
 * and the introspector (its cache, its single flight, its backoff) whose answers the pipeline's judge
 * prepares.
 */
import { KeyFetchError } from '../http/fetch-json.js';
import { createIntrospector, type Introspector } from '../introspection/introspector.js';
import type { VerifierConfig } from '../verify/config/verifier-config.js';
import type { IssuerFamily } from '../verify/issuer-family.js';
import { toDiscoveryUrls, type IssuerMetadata } from '../verify/keys/discovery.js';
import { sharedMetadataStore } from '../verify/keys/registry.js';
import { createIntrospectionJudge, type JudgedAnswer } from '../verify/opaque/judge-introspection.js';

/** The endpoint of `issuer`: from its metadata, fetched (or shared) through the metadata store. */
function discoveredEndpoint(issuer: string, config: VerifierConfig): (nowMs: number) => string | Promise<string> {
  const metadata = sharedMetadataStore(issuer, config.keys);
  const pick = (found: IssuerMetadata): string => {
    if (found.introspectionEndpoint !== undefined) return found.introspectionEndpoint;
    throw new KeyFetchError(
      'invalid_document',
      toDiscoveryUrls(issuer)[0],
      'the metadata names no usable "introspection_endpoint" (HTTPS, or http on a loopback host); set introspection.endpoint',
    );
  };
  return (nowMs) => {
    const current = metadata.usable(nowMs);
    return current === undefined ? metadata.load().then(pick) : pick(current);
  };
}

/** The introspector of a verifier, when `introspection` is configured. */
export function assembleIntrospection(config: VerifierConfig, family: IssuerFamily): Introspector<JudgedAnswer> | undefined {
  const settings = config.introspection;
  if (settings === undefined) return undefined;
  const fixed = settings.endpoint;
  return createIntrospector({
    settings,
    endpoint: fixed === undefined ? discoveredEndpoint(settings.issuer, config) : () => fixed,
    fetch: config.keys.fetch.fetch,
    retry: config.keys,
    realm: config.realm,
    prepare: createIntrospectionJudge(config, family),
  });
}
