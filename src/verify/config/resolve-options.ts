/**
 * {@link VerifierOptions} → {@link VerifierConfig}: every option validated once, at creation, with the
 * option toolkit (a `TypeError` naming the option), returning plain data. Nothing is created or fetched
 * here: key stores, the issuer matcher and the cache are assembled from the result in one place
 * (`createVerifier`).
 */
import { toFetchableUrl } from '../../http/url-policy.js';
import { resolveIntrospectionOptions } from '../../introspection/introspection-options.js';
import {
  booleanOption,
  fail,
  functionOption,
  numberOption,
  oneOf,
  optionsObject,
  realmOption,
  stringList,
} from '../../options/option-checks.js';
import { resolveTokenCacheOptions } from '../cache/token-cache.js';
import { resolveDecryption } from '../format/decryption-options.js';
import { resolveClaimLocations, toClaimLocations } from '../identity/claim-locations.js';
import type { IssuerProfile } from '../issuer-family.js';
import { TENANT_PLACEHOLDER } from '../issuer/match-issuer.js';
import { getAlgorithmSpec, isForbiddenAlgorithm, SUPPORTED_ALGORITHMS } from '../keys/algorithms.js';
import { resolveKeyOptions } from '../keys/key-options.js';
import { resolveImpliedScopes } from './implied-scopes.js';
import { resolveResource, type ResourceConfig } from './resource-options.js';
import type { VerifierOptions } from '../verifier-options.js';
import { resolveDpopOptions, resolveMtlsOptions } from './binding-options.js';
import type { ValidateRule } from '../caller/check-validate.js';
import type { IssuerResolver } from '../issuer/issuer-resolver.js';
import { resolvePublicKeys } from './resolve-public-keys.js';
import type { VerifierConfig } from './verifier-config.js';

/** Default leeway on `exp`, `nbf` and `iat`, in seconds. */
export const DEFAULT_CLOCK_TOLERANCE = 60;
/**
 * Largest accepted `clockTolerance`, in seconds: five minutes. A larger value is almost always milliseconds
 * given by mistake (`60000` would accept a token expired 16 hours ago).
 */
export const MAX_CLOCK_TOLERANCE = 300;
/** Default longest token, in characters. */
export const DEFAULT_MAX_TOKEN_LENGTH = 16_384;

/** Every option name of {@link VerifierOptions}. */
export const VERIFIER_OPTION_NAMES: readonly string[] = Object.freeze([
  'issuer', 'audience', 'jwksUri', 'algorithms', 'clockTolerance', 'realm', 'maxTokenAge', 'requiredTokenType',
  'audienceClaim', 'allowedClientIds', 'allowedTenants', 'excludedTenants', 'requiredClaims', 'claims', 'profile',
  'validateKeyIssuer', 'maxTokenLength', 'keys', 'cache', 'introspection', 'decryption', 'dpop', 'mtls', 'publicKeys',
  'validate', 'resource', 'resourceMetadataUrl', 'impliedScopes',
]);

function resolveAlgorithms(value: unknown): Set<string> {
  if (value === undefined) return new Set(SUPPORTED_ALGORITHMS);
  if (!Array.isArray(value) || value.length === 0) fail('algorithms', 'must be a non-empty array');
  for (const alg of value) {
    if (typeof alg !== 'string') fail('algorithms', 'must only hold strings');
    if (isForbiddenAlgorithm(alg)) fail('algorithms', `must not contain "${alg}": only asymmetric algorithms are supported`);
    if (getAlgorithmSpec(alg) === undefined) {
      fail('algorithms', `contains the unsupported "${alg}" (supported: ${SUPPORTED_ALGORITHMS.join(', ')})`);
    }
  }
  return new Set(value as string[]);
}

function resolveJwksUri(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail('jwksUri', 'must be a string');
  const url = toFetchableUrl(value);
  if (typeof url === 'string') fail('jwksUri', url);
  return url.href;
}

/** `keys`: where keys come from when not discovered (`jwksUri` or `publicKeys`), if anywhere. */
function resolveIssuers(value: unknown, keys: 'jwksUri' | 'publicKeys' | undefined): string[] {
  const issuers = stringList(value, 'issuer', { required: true, printable: true })!;
  for (const issuer of issuers) {
    const templates = issuer.split(TENANT_PLACEHOLDER).length - 1;
    if (templates > 1) fail('issuer', `may hold "${TENANT_PLACEHOLDER}" at most once per value`);
    if (templates === 1 && keys === undefined) {
      fail('jwksUri', `is required when an issuer is a "${TENANT_PLACEHOLDER}" template (it cannot be discovered)`);
    }
    // RFC 8414 §2 (and OpenID Connect Discovery §3): an issuer identifier has no query and no fragment.
    if (/^https?:\/\//i.test(issuer) && /[?#]/.test(issuer)) fail('issuer', 'must not hold a query or a fragment (RFC 8414 §2)');
    if (keys === undefined) {
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

/** The accepted audiences: those given, plus both spellings of the resource (a fast exact match). */
function resolveAudiences(value: unknown, resource: ResourceConfig | undefined, audienceClaim: string): Set<string> {
  if (value === undefined && resource === undefined) fail('audience', 'is required (or set "resource")');
  const given = stringList(value, 'audience', { printable: true }) ?? [];
  if (resource === undefined) return new Set(given);
  if (audienceClaim === 'client_id') fail('resource', 'cannot be combined with audienceClaim "client_id"');
  return new Set([...given, resource.resource, resource.normalized]);
}

/** The extra auth-params of every challenge: `resource_metadata` when a resource is configured. */
function toAuthParams(resource: ResourceConfig | undefined): VerifierConfig['authParams'] {
  if (resource === undefined) return Object.freeze([]);
  return Object.freeze([Object.freeze(['resource_metadata', resource.metadataUrl] as const)]);
}

function toSet(list: readonly string[] | undefined): ReadonlySet<string> | undefined {
  return list === undefined ? undefined : new Set(list);
}

/**
 * Validates `options` and returns the verifier's configuration. `profiles` are the issuer family names the
 * `profile` option accepts.
 */
export function resolveOptions(options: VerifierOptions, profiles: readonly IssuerProfile[]): VerifierConfig {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError('bearer-guard: options must be an object with at least "issuer" and "audience" (or "resource")');
  }
  const given = optionsObject(options, '', VERIFIER_OPTION_NAMES)!;
  const jwksUri = resolveJwksUri(given.jwksUri);
  const publicKeys = resolvePublicKeys(given.publicKeys);
  if (publicKeys !== undefined && jwksUri !== undefined) fail('publicKeys', 'excludes "jwksUri": give one source of keys');
  const keySource = jwksUri !== undefined ? 'jwksUri' : publicKeys !== undefined ? 'publicKeys' : undefined;
  const issuerResolver = typeof given.issuer === 'function' ? (given.issuer as IssuerResolver) : undefined;
  const issuers = issuerResolver === undefined ? resolveIssuers(given.issuer, keySource) : [];
  const requireAtJwt = oneOf(given.requiredTokenType, 'requiredTokenType', ['at+jwt']) === 'at+jwt';
  const audienceClaim = oneOf(given.audienceClaim, 'audienceClaim', ['aud', 'client_id']) ?? 'aud';
  if (requireAtJwt && audienceClaim === 'client_id') {
    fail('requiredTokenType', 'cannot be "at+jwt" with audienceClaim "client_id": RFC 9068 access tokens carry aud');
  }
  const resource = resolveResource(given.resource, given.resourceMetadataUrl);
  const audiences = resolveAudiences(given.audience, resource, audienceClaim);
  const maxTokenLength =
    numberOption(given.maxTokenLength, 'maxTokenLength', { min: 256, integer: true, unit: 'characters' }) ??
    DEFAULT_MAX_TOKEN_LENGTH;
  const authParams = toAuthParams(resource);
  const impliedScopes = resolveImpliedScopes(given.impliedScopes);
  const realm = realmOption(given.realm);
  const dpop = resolveDpopOptions(given.dpop);
  const issuedBy = Object.freeze({
    realm,
    authParams,
    resource: resource?.resource,
    resourceMetadataUrl: resource?.metadataUrl,
    impliedScopes,
    dpop: dpop === undefined ? undefined : Object.freeze({ algs: dpop.algorithms, required: dpop.required }),
  });
  return {
    realm,
    profile: oneOf(given.profile, 'profile', profiles) ?? 'generic',
    maxTokenLength,
    header: {
      algorithms: resolveAlgorithms(given.algorithms),
      requireAtJwt,
    },
    claims: {
      toleranceSec:
        numberOption(given.clockTolerance, 'clockTolerance', { min: 0, max: MAX_CLOCK_TOLERANCE, unit: 'seconds' }) ??
        DEFAULT_CLOCK_TOLERANCE,
      maxTokenAgeSec: numberOption(given.maxTokenAge, 'maxTokenAge', { min: 0, unit: 'seconds' }),
      audiences,
      resource: resource?.normalized,
      audienceClaim,
      requiredClaims: resolveRequiredClaims(given.requiredClaims),
      accessTokenClaims: requireAtJwt,
    },
    caller: {
      allowedClientIds: toSet(stringList(given.allowedClientIds, 'allowedClientIds', { printable: true })),
      allowedTenants: toSet(stringList(given.allowedTenants, 'allowedTenants', { printable: true })),
    },
    // The profile does not add claim locations: a preset spells its own out in `claims`.
    locations: resolveClaimLocations(toClaimLocations(given.claims)),
    issuers,
    jwksUri,
    publicKeys,
    issuerResolver,
    validate: functionOption<ValidateRule>(given.validate, 'validate'),
    excludedTenants: stringList(given.excludedTenants, 'excludedTenants', { printable: true }) ?? [],
    validateKeyIssuer: booleanOption(given.validateKeyIssuer, 'validateKeyIssuer') !== false,
    cache: resolveTokenCacheOptions(given.cache),
    keys: resolveKeyOptions(given.keys as VerifierOptions['keys']),
    // One endpoint answers for one authorization server: introspection needs one exact issuer.
    introspection: resolveIntrospectionOptions(
      given.introspection,
      issuers.length === 1 && !issuers[0]!.includes(TENANT_PLACEHOLDER) ? issuers[0] : undefined,
    ),
    decryption: issuerResolver !== undefined && given.decryption !== undefined
      ? fail('decryption', 'cannot be combined with an issuer resolver, which reads the claims of signed tokens only: list the issuers, or give one option set per issuer')
      : resolveDecryption(given.decryption),
    dpop,
    mtls: resolveMtlsOptions(given.mtls),
    resource,
    authParams,
    impliedScopes,
    issuedBy,
  };
}
