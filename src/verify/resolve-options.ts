/**
 * {@link VerifierOptions} → the verifier's fixed configuration, validated once at creation: any missing,
 * malformed or unknown option throws a `TypeError` naming it, so misconfiguration never surfaces later as
 * a 500 or a silent pass.
 */
import { isAttributeValue } from '../challenge.js';
import { DEFAULT_REALM } from '../errors.js';
import { resolveClaimLocations, toClaimLocations, type ResolvedClaimLocations } from '../identity/claim-locations.js';
import { getAlgorithmSpec, isForbiddenAlgorithm, SUPPORTED_ALGORITHMS } from '../keys/algorithms.js';
import { resolveKeyOptions } from '../keys/key-options.js';
import { createDiscoveredKeySource, createStaticKeySource, type KeySource } from '../keys/key-source.js';
import { toFetchableUrl } from '../keys/url-policy.js';
import type { IssuerProfile, TokenCacheOptions, VerifierOptions } from '../types.js';
import type { HeaderPolicy } from './check-header.js';
import type { ClaimPolicy } from './check-claims.js';
import { parseEntraIssuer } from './entra-issuer.js';
import { IssuerMatcher, TENANT_PLACEHOLDER } from './match-issuer.js';
import { resolveTokenCacheOptions } from './token-cache.js';

/** Default leeway on `exp`, `nbf` and `iat`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE = 60;
/** Default longest token, in characters. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16_384;

/** Everything a verifier needs, resolved once. */
export interface ResolvedConfig {
  readonly realm: string;
  readonly profile: IssuerProfile;
  readonly maxTokenLength: number;
  readonly header: HeaderPolicy;
  readonly claims: ClaimPolicy;
  readonly locations: ResolvedClaimLocations;
  readonly issuers: IssuerMatcher<KeySource>;
  readonly configuredIssuers: readonly string[];
  readonly validateKeyIssuer: boolean;
  readonly cache: Required<TokenCacheOptions> | false;
  readonly sources: readonly KeySource[];
}

const KNOWN_OPTIONS = new Set<string>([
  'issuer', 'audience', 'jwksUri', 'algorithms', 'clockTolerance', 'realm', 'maxTokenAge', 'requiredTokenType',
  'audienceClaim', 'allowedClientIds', 'allowedTenants', 'excludedTenants', 'requiredClaims', 'claims', 'profile',
  'validateKeyIssuer', 'maxTokenLength', 'keys', 'cache',
]);
const PROFILES = new Set<IssuerProfile>(['generic', 'entra', 'auth0', 'okta', 'keycloak', 'cognito']);
// Printable ASCII without space: what an issuer, audience or client id can reasonably hold.
const PRINTABLE = /^[\x21-\x7e]+$/;

function fail(name: string, expectation: string): never {
  throw new TypeError(`bearer-guard: option "${name}" ${expectation}`);
}

function stringList(value: unknown, name: string, required: boolean): string[] | undefined {
  if (value === undefined) {
    if (required) fail(name, 'is required');
    return undefined;
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) fail(name, 'must be a non-empty string or a non-empty array of strings');
  for (const item of list) {
    if (typeof item !== 'string' || !PRINTABLE.test(item)) {
      fail(name, 'must only hold non-empty strings of printable ASCII characters without spaces');
    }
  }
  return [...new Set(list as string[])];
}

function finiteNumber(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) fail(name, `must be a finite number >= ${min}`);
  return value;
}

function resolveAlgorithms(value: unknown): Set<string> {
  if (value === undefined) return new Set(SUPPORTED_ALGORITHMS);
  if (!Array.isArray(value) || value.length === 0) fail('algorithms', 'must be a non-empty array');
  for (const alg of value) {
    if (typeof alg !== 'string') fail('algorithms', 'must only hold strings');
    if (isForbiddenAlgorithm(alg)) {
      fail('algorithms', `must not contain "${alg}": only asymmetric algorithms are supported`);
    }
    if (getAlgorithmSpec(alg) === undefined) {
      fail('algorithms', `contains the unsupported "${alg}" (supported: ${SUPPORTED_ALGORITHMS.join(', ')})`);
    }
  }
  return new Set(value as string[]);
}

function resolveIssuers(value: unknown, jwksUri: string | undefined): string[] {
  const issuers = stringList(value, 'issuer', true)!;
  for (const issuer of issuers) {
    const templates = issuer.split(TENANT_PLACEHOLDER).length - 1;
    if (templates > 1) fail('issuer', `may hold "${TENANT_PLACEHOLDER}" at most once per value`);
    if (templates === 1 && jwksUri === undefined) {
      fail('jwksUri', `is required when an issuer is a "${TENANT_PLACEHOLDER}" template (it cannot be discovered)`);
    }
    if (jwksUri === undefined) {
      const url = toFetchableUrl(issuer);
      if (typeof url === 'string') fail('issuer', `is used for discovery and ${url} (or set "jwksUri")`);
    }
  }
  return issuers;
}

function resolveRequiredClaims(value: unknown): [string, string | number | boolean][] {
  if (value === undefined) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('requiredClaims', 'must be an object');
  const entries = Object.entries(value);
  for (const [, expected] of entries) {
    if (!['string', 'number', 'boolean'].includes(typeof expected)) {
      fail('requiredClaims', 'must map claim names to strings, numbers or booleans');
    }
  }
  return entries as [string, string | number | boolean][];
}

/** A single-tenant Entra issuer names its tenant: its tokens must carry that `tid`. */
function entraTenantRule(issuer: string): { tenant?: string } {
  const tenant = issuer.includes(TENANT_PLACEHOLDER) ? undefined : parseEntraIssuer(issuer)?.tenant;
  return tenant === undefined ? {} : { tenant };
}

function resolveRealm(value: unknown): string {
  if (value === undefined) return DEFAULT_REALM;
  if (typeof value !== 'string' || value === '' || value.length > 256 || !isAttributeValue(value)) {
    fail('realm', 'must be 1 to 256 printable ASCII characters without " or \\');
  }
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) fail(name, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  return value as T;
}

/** Validates `options` and resolves the verifier's configuration. */
export function resolveOptions(options: VerifierOptions): ResolvedConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('bearer-guard: options must be an object with at least "issuer" and "audience"');
  }
  const given = options as unknown as Record<string, unknown>;
  for (const name of Object.keys(given)) if (!KNOWN_OPTIONS.has(name)) fail(name, 'is not a known option');

  let jwksUri: string | undefined;
  if (given.jwksUri !== undefined) {
    if (typeof given.jwksUri !== 'string') fail('jwksUri', 'must be a string');
    const url = toFetchableUrl(given.jwksUri);
    if (typeof url === 'string') fail('jwksUri', url);
    jwksUri = url.href;
  }
  const issuers = resolveIssuers(given.issuer, jwksUri);
  const audiences = stringList(given.audience, 'audience', true)!;
  const profile = oneOf(given.profile, 'profile', [...PROFILES]) ?? 'generic';
  const maxTokenLength = finiteNumber(given.maxTokenLength, 'maxTokenLength', 256) ?? DEFAULT_MAX_TOKEN_LENGTH;
  if (!Number.isInteger(maxTokenLength)) fail('maxTokenLength', 'must be an integer');
  if (given.validateKeyIssuer !== undefined && typeof given.validateKeyIssuer !== 'boolean') {
    fail('validateKeyIssuer', 'must be a boolean');
  }
  const allowedClientIds = stringList(given.allowedClientIds, 'allowedClientIds', false);
  const allowedTenants = stringList(given.allowedTenants, 'allowedTenants', false);
  const excludedTenants = stringList(given.excludedTenants, 'excludedTenants', false) ?? [];

  const realm = resolveRealm(given.realm);
  const algorithms = resolveAlgorithms(given.algorithms);
  const requireAtJwt = oneOf(given.requiredTokenType, 'requiredTokenType', ['at+jwt']) === 'at+jwt';
  const claims: ClaimPolicy = {
    toleranceSec: finiteNumber(given.clockTolerance, 'clockTolerance', 0) ?? DEFAULT_CLOCK_TOLERANCE,
    maxTokenAgeSec: finiteNumber(given.maxTokenAge, 'maxTokenAge', 0),
    audiences: new Set(audiences),
    audienceClaim: oneOf(given.audienceClaim, 'audienceClaim', ['aud', 'client_id']) ?? 'aud',
    requiredClaims: resolveRequiredClaims(given.requiredClaims),
    allowedClientIds: allowedClientIds === undefined ? undefined : new Set(allowedClientIds),
    allowedTenants: allowedTenants === undefined ? undefined : new Set(allowedTenants),
  };
  // The profile does not add claim locations: a preset spells its own out in `claims`.
  const locations = resolveClaimLocations('generic', toClaimLocations(given.claims));
  const cache = resolveTokenCacheOptions(given.cache as TokenCacheOptions | false | undefined);
  const keyOptions = resolveKeyOptions(given.keys as VerifierOptions['keys']);

  // Everything is valid: only now are key stores created or shared.
  const shared = jwksUri === undefined ? undefined : createStaticKeySource(jwksUri, keyOptions);
  const rules = issuers.map((issuer) => ({
    configured: issuer,
    target: shared ?? createDiscoveredKeySource(issuer, keyOptions),
    ...(profile === 'entra' ? entraTenantRule(issuer) : {}),
  }));
  return {
    realm,
    profile,
    maxTokenLength,
    header: { algorithms, requireAtJwt },
    claims,
    locations,
    issuers: new IssuerMatcher(rules, excludedTenants),
    configuredIssuers: issuers,
    validateKeyIssuer: given.validateKeyIssuer !== false,
    cache,
    sources: [...new Set(rules.map((rule) => rule.target))],
  };
}
