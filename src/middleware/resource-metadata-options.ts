/**
 * Options of `protectedResourceMetadata()` → the RFC 9728 §2 document and the paths it is served at,
 * validated once at creation with the option toolkit (a `TypeError` naming the option).
 */
import { isScopeToken } from '../errors/challenge.js';
import { toFetchableUrl } from '../http/url-policy.js';
import { booleanOption, fail, optionsObject, stringOption } from '../options/option-checks.js';
import {
  parseMetadataUrl,
  parseResource,
  RESOURCE_METADATA_SUFFIX,
  toResourceMetadataUrl,
} from '../verify/config/resource-options.js';

/** How a protected resource accepts bearer tokens (RFC 9728 §2 `bearer_methods_supported`). */
export type BearerMethod = 'header' | 'body' | 'query';

/**
 * Options of `protectedResourceMetadata()`: the members of RFC 9728 §2, in camelCase, and where to serve (the
 * same under the RFC's names: {@link Rfc9728MetadataOptions}).
 */
export interface ProtectedResourceMetadataOptions {
  /** The resource identifier (`resource`), served exactly as given: `https`, no query or fragment. */
  resource: string;
  /** Issuer identifiers of the authorization servers that issue its tokens (`authorization_servers`). */
  authorizationServers: readonly string[];
  /** Scopes a client may request for it (`scopes_supported`). Scope tokens. */
  scopesSupported?: readonly string[];
  /** How tokens may be sent (`bearer_methods_supported`). @default ['header'] */
  bearerMethodsSupported?: readonly BearerMethod[];
  /** The resource's own JWK Set URL (`jwks_uri`), for resources that sign responses. */
  jwksUri?: string;
  /** JWS algorithms the resource signs with (`resource_signing_alg_values_supported`); never `none`. */
  resourceSigningAlgValuesSupported?: readonly string[];
  /** A name for people (`resource_name`). */
  resourceName?: string;
  /** Documentation for developers (`resource_documentation`), a URL. */
  resourceDocumentation?: string;
  /** Its data policy (`resource_policy_uri`), a URL. */
  resourcePolicyUri?: string;
  /** Its terms of service (`resource_tos_uri`), a URL. */
  resourceTosUri?: string;
  /** Whether it supports certificate-bound tokens, RFC 8705 (`tls_client_certificate_bound_access_tokens`). */
  tlsClientCertificateBoundAccessTokens?: boolean;
  /** RFC 9396 authorization details types it accepts (`authorization_details_types_supported`). */
  authorizationDetailsTypesSupported?: readonly string[];
  /** JWS algorithms it accepts in DPoP proofs (`dpop_signing_alg_values_supported`). */
  dpopSigningAlgValuesSupported?: readonly string[];
  /** Whether it always requires DPoP-bound tokens (`dpop_bound_access_tokens_required`). */
  dpopBoundAccessTokensRequired?: boolean;
  /** Signed metadata (`signed_metadata`, RFC 9728 §2.2): a JWT you made, served as it is. */
  signedMetadata?: string;
  /**
   * Where the document is served: only this URL's path is answered. Give the same value as the verifier's
   * `resourceMetadataUrl` when you set that.
   * @default `/.well-known/oauth-protected-resource` inserted before the resource's path (RFC 9728 §3.1)
   */
  resourceMetadataUrl?: string;
  /**
   * Also serve the document at `/.well-known/oauth-protected-resource`, for clients that only look at the
   * root. (When the resource has no path, that is where it is served anyway.)
   * @default false
   */
  serveAtRoot?: boolean;
}

/**
 * The options of `protectedResourceMetadata()` written with RFC 9728's own member names, as in the document
 * served (`authorization_servers`, `resource_name`…); each means what its camelCase twin in
 * {@link ProtectedResourceMetadataOptions} means. `resourceMetadataUrl` and `serveAtRoot` are not members of
 * the document and keep their names.
 */
export interface Rfc9728MetadataOptions {
  /** As {@link ProtectedResourceMetadataOptions.resource}. */
  resource: string;
  /** As {@link ProtectedResourceMetadataOptions.authorizationServers}. */
  authorization_servers: readonly string[];
  /** As {@link ProtectedResourceMetadataOptions.scopesSupported}. */
  scopes_supported?: readonly string[];
  /** As {@link ProtectedResourceMetadataOptions.bearerMethodsSupported}. */
  bearer_methods_supported?: readonly BearerMethod[];
  /** As {@link ProtectedResourceMetadataOptions.jwksUri}. */
  jwks_uri?: string;
  /** As {@link ProtectedResourceMetadataOptions.resourceSigningAlgValuesSupported}. */
  resource_signing_alg_values_supported?: readonly string[];
  /** As {@link ProtectedResourceMetadataOptions.resourceName}. */
  resource_name?: string;
  /** As {@link ProtectedResourceMetadataOptions.resourceDocumentation}. */
  resource_documentation?: string;
  /** As {@link ProtectedResourceMetadataOptions.resourcePolicyUri}. */
  resource_policy_uri?: string;
  /** As {@link ProtectedResourceMetadataOptions.resourceTosUri}. */
  resource_tos_uri?: string;
  /** As {@link ProtectedResourceMetadataOptions.tlsClientCertificateBoundAccessTokens}. */
  tls_client_certificate_bound_access_tokens?: boolean;
  /** As {@link ProtectedResourceMetadataOptions.authorizationDetailsTypesSupported}. */
  authorization_details_types_supported?: readonly string[];
  /** As {@link ProtectedResourceMetadataOptions.dpopSigningAlgValuesSupported}. */
  dpop_signing_alg_values_supported?: readonly string[];
  /** As {@link ProtectedResourceMetadataOptions.dpopBoundAccessTokensRequired}. */
  dpop_bound_access_tokens_required?: boolean;
  /** As {@link ProtectedResourceMetadataOptions.signedMetadata}. */
  signed_metadata?: string;
  /** As {@link ProtectedResourceMetadataOptions.resourceMetadataUrl}. */
  resourceMetadataUrl?: string;
  /** As {@link ProtectedResourceMetadataOptions.serveAtRoot}. */
  serveAtRoot?: boolean;
}

/** The validated options: the document, serialised once, and the paths it answers. */
export interface ResolvedResourceMetadata {
  readonly body: string;
  readonly paths: ReadonlySet<string>;
}

const WHERE = 'protectedResourceMetadata()';
const NAMES = [
  'resource', 'authorizationServers', 'scopesSupported', 'bearerMethodsSupported', 'jwksUri',
  'resourceSigningAlgValuesSupported', 'resourceName', 'resourceDocumentation', 'resourcePolicyUri', 'resourceTosUri',
  'tlsClientCertificateBoundAccessTokens', 'authorizationDetailsTypesSupported', 'dpopSigningAlgValuesSupported',
  'dpopBoundAccessTokensRequired', 'signedMetadata', 'resourceMetadataUrl', 'serveAtRoot',
];
const CONTROL = /\p{Cc}/u;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Each member's RFC 9728 name, accepted as an alias of its camelCase option. */
const RFC_NAMES: Readonly<Record<string, string>> = {
  authorization_servers: 'authorizationServers',
  scopes_supported: 'scopesSupported',
  bearer_methods_supported: 'bearerMethodsSupported',
  jwks_uri: 'jwksUri',
  resource_signing_alg_values_supported: 'resourceSigningAlgValuesSupported',
  resource_name: 'resourceName',
  resource_documentation: 'resourceDocumentation',
  resource_policy_uri: 'resourcePolicyUri',
  resource_tos_uri: 'resourceTosUri',
  tls_client_certificate_bound_access_tokens: 'tlsClientCertificateBoundAccessTokens',
  authorization_details_types_supported: 'authorizationDetailsTypesSupported',
  dpop_signing_alg_values_supported: 'dpopSigningAlgValuesSupported',
  dpop_bound_access_tokens_required: 'dpopBoundAccessTokensRequired',
  signed_metadata: 'signedMetadata',
};

/** `given` with each RFC-named member moved to its camelCase name (both at once is a mistake). */
function camelCased(given: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...given };
  for (const [rfcName, name] of Object.entries(RFC_NAMES)) {
    if (!Object.hasOwn(given, rfcName)) continue;
    if (Object.hasOwn(given, name)) fail(rfcName, `repeats "${name}": give one of them`, WHERE);
    result[name] = given[rfcName];
    delete result[rfcName];
  }
  return result;
}

function list(value: unknown, path: string, valid: (item: string) => boolean, expectation: string, nonEmpty = false): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || (nonEmpty && value.length === 0) || !value.every((item) => typeof item === 'string' && valid(item))) {
    fail(path, `must be ${nonEmpty ? 'a non-empty' : 'an'} array of ${expectation}`, WHERE);
  }
  return [...new Set(value as string[])];
}

function webUrl(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    fail(path, 'must be an absolute http or https URL', WHERE);
  }
  return value;
}

function isIssuer(value: string): boolean {
  const url = toFetchableUrl(value);
  return typeof url !== 'string' && url.search === '' && !value.includes('?') && !value.includes('#');
}

/** Validates the options of `protectedResourceMetadata()`. Throws a `TypeError` naming the option. */
export function resolveResourceMetadata(
  options: ProtectedResourceMetadataOptions | Rfc9728MetadataOptions,
): ResolvedResourceMetadata {
  const raw = optionsObject(options, '', [...NAMES, ...Object.keys(RFC_NAMES)], WHERE);
  if (raw === undefined) fail('resource', 'is required', WHERE);
  const given = camelCased(raw);
  const signed = stringOption(given.signedMetadata, 'signedMetadata', WHERE);
  if (signed !== undefined && !COMPACT_JWS.test(signed)) fail('signedMetadata', 'must be a JWT (a compact JWS)', WHERE);
  const resourceUrl = parseResource(given.resource, 'resource', WHERE);
  const nonEmptyText = (item: string): boolean => item !== '' && !CONTROL.test(item);
  const algs = (name: string): string[] | undefined =>
    list(given[name], name, (alg) => nonEmptyText(alg) && alg !== 'none', 'JWS algorithm names (not "none")', true);
  const resourceName = stringOption(given.resourceName, 'resourceName', WHERE);
  if (resourceName !== undefined && CONTROL.test(resourceName)) fail('resourceName', 'must hold no control characters', WHERE);
  const jwksUri = given.jwksUri === undefined ? undefined : parseMetadataUrl(given.jwksUri, 'jwksUri', WHERE).href;
  const document: Record<string, unknown> = {
    resource: given.resource,
    authorization_servers: list(given.authorizationServers, 'authorizationServers', isIssuer,
      'issuer URLs (https, plain http on loopback hosts only; no query or fragment)', true) ??
      fail('authorizationServers', 'is required', WHERE),
    jwks_uri: jwksUri,
    scopes_supported: list(given.scopesSupported, 'scopesSupported', isScopeToken, 'scope tokens'),
    bearer_methods_supported: list(given.bearerMethodsSupported, 'bearerMethodsSupported',
      (m) => m === 'header' || m === 'body' || m === 'query', '"header", "body" and "query"') ?? ['header'],
    resource_signing_alg_values_supported: algs('resourceSigningAlgValuesSupported'),
    resource_name: resourceName,
    resource_documentation: webUrl(given.resourceDocumentation, 'resourceDocumentation'),
    resource_policy_uri: webUrl(given.resourcePolicyUri, 'resourcePolicyUri'),
    resource_tos_uri: webUrl(given.resourceTosUri, 'resourceTosUri'),
    tls_client_certificate_bound_access_tokens: booleanOption(given.tlsClientCertificateBoundAccessTokens,
      'tlsClientCertificateBoundAccessTokens', WHERE),
    authorization_details_types_supported: list(given.authorizationDetailsTypesSupported,
      'authorizationDetailsTypesSupported', nonEmptyText, 'non-empty strings', true),
    dpop_signing_alg_values_supported: algs('dpopSigningAlgValuesSupported'),
    dpop_bound_access_tokens_required: booleanOption(given.dpopBoundAccessTokensRequired, 'dpopBoundAccessTokensRequired', WHERE),
    signed_metadata: signed,
  };
  const served =
    given.resourceMetadataUrl === undefined
      ? new URL(toResourceMetadataUrl(resourceUrl))
      : parseMetadataUrl(given.resourceMetadataUrl, 'resourceMetadataUrl', WHERE);
  if (served.search !== '') fail('resourceMetadataUrl', 'must have no query component', WHERE);
  const paths = new Set([served.pathname]);
  if (booleanOption(given.serveAtRoot, 'serveAtRoot', WHERE) === true) paths.add(RESOURCE_METADATA_SUFFIX);
  // JSON.stringify leaves out the members left undefined.
  return { body: JSON.stringify(document), paths };
}
