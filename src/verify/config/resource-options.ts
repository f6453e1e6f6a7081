/**
 * The protected resource's identifier (`resource`, RFC 8707 and RFC 9728 §1.2) and the URL of its metadata
 * (`resourceMetadataUrl`, RFC 9728 §3.1), validated once: shared by `createVerifier` and
 * `protectedResourceMetadata` so that both derive the same metadata URL from the same identifier.
 */
import { toFetchableUrl } from '../../http/url-policy.js';
import { fail } from '../../options/option-checks.js';
import { normalizeResourceUri } from '../claims/resource-uri.js';

/** The well-known URI suffix of protected resource metadata (RFC 9728 §3). */
export const RESOURCE_METADATA_SUFFIX = '/.well-known/oauth-protected-resource';

/** A validated protected resource. */
export interface ResourceConfig {
  /** The identifier exactly as configured (what the metadata's `resource` member says). */
  readonly resource: string;
  /** Its comparable spelling (see `resource-uri.ts`), matched against a token's `aud`. */
  readonly normalized: string;
  /** The URL of its metadata document, named by `resource_metadata` in challenges. */
  readonly metadataUrl: string;
}

/**
 * Parses a resource identifier: an absolute `https` URL (plain `http` on loopback hosts only) without user
 * information, query or fragment. Throws a `TypeError` naming the option otherwise.
 */
export function parseResource(value: unknown, path: string, where?: string): URL {
  if (typeof value !== 'string' || value === '') fail(path, 'must be a non-empty string (the resource URL)', where);
  const url = toFetchableUrl(value);
  if (typeof url === 'string') fail(path, url, where);
  if (url.search !== '' || value.includes('?') || value.includes('#')) {
    fail(path, 'must have no query or fragment component', where);
  }
  return url;
}

/**
 * The default metadata URL of a resource (RFC 9728 §3.1): `/.well-known/oauth-protected-resource` inserted
 * between the host and the path, a path of `/` alone being dropped.
 *
 * @example
 * toResourceMetadataUrl(new URL('https://mcp.example.com/mcp'))
 * // 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp'
 */
export function toResourceMetadataUrl(resource: URL): string {
  const path = resource.pathname === '/' ? '' : resource.pathname;
  return `${resource.origin}${RESOURCE_METADATA_SUFFIX}${path}`;
}

/** Validates a metadata URL given explicitly: `https` (plain `http` on loopback hosts), no fragment. */
export function parseMetadataUrl(value: unknown, path: string, where?: string): URL {
  if (typeof value !== 'string' || value === '') fail(path, 'must be a non-empty string (a URL)', where);
  const url = toFetchableUrl(value);
  if (typeof url === 'string') fail(path, url, where);
  return url;
}

/**
 * Validates `resource` and `resourceMetadataUrl` (which needs `resource`); `undefined` when neither is set.
 * Throws a `TypeError` naming the option.
 */
export function resolveResource(resource: unknown, metadataUrl: unknown, where?: string): ResourceConfig | undefined {
  if (resource === undefined) {
    if (metadataUrl !== undefined) fail('resourceMetadataUrl', 'needs "resource" (the URL it describes)', where);
    return undefined;
  }
  const url = parseResource(resource, 'resource', where);
  return {
    resource: resource as string,
    normalized: normalizeResourceUri(url.href)!,
    metadataUrl:
      metadataUrl === undefined ? toResourceMetadataUrl(url) : parseMetadataUrl(metadataUrl, 'resourceMetadataUrl', where).href,
  };
}
