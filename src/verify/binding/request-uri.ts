/**
 * The URI a DPoP proof's `htu` must name (RFC 9449 §4.3 step 9): the request's target URI without query and
 * fragment, both sides normalised the same way (RFC 3986 §6.2.2 and §6.2.3: scheme and host case, default
 * port, IDNA, dot segments, percent-encoding case and unreserved characters).
 *
 * The origin comes from `publicOrigin` when it is set, and the request's Host header is then never read.
 * Without it the origin is the connection's scheme and the Host header, which must be one well-formed
 * `host[:port]` (no path, user info or other characters); forwarded headers (`Forwarded`,
 * `X-Forwarded-Host`…) are never read, since any client can send them.
 */
import { pathOf, type VerifyRequest } from '../../request/verify-request.js';

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const PERCENT = /%([0-9A-Fa-f]{2})/g;
// A Host header value: a DNS name or IPv4 address, or an IPv6 literal, and an optional port.
const HOST = /^(?:[A-Za-z0-9\-._]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;
const ABSOLUTE = /^https?:\/\//i;

/** Upper-case hex in every escape, and unreserved characters unescaped (RFC 3986 §6.2.2.1, §6.2.2.2). */
function normalizePercent(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(PERCENT, (_escape, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The normalised form of an absolute `http:` or `https:` URI without its query and fragment, or
 * `undefined` when `value` is not one (or carries user info).
 */
export function normalizeHttpUri(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    return undefined;
  }
  return `${url.protocol}//${url.host}${normalizePercent(url.pathname)}`;
}

/**
 * The normalised origin (`https://api.example.com`, no trailing slash) of `value`, or `undefined` when it
 * is not an `http:`/`https:` origin without path, query, fragment or user info.
 */
export function normalizeOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username !== '' || url.password !== '' || value.includes('?') || value.includes('#')) return undefined;
  if (url.pathname !== '/' || /^https?:\/\/[^/]+\/./i.test(value)) return undefined;
  return url.origin;
}

/** The origin of a request that came without `publicOrigin`: its connection's scheme and its Host header. */
function originOfRequest(request: VerifyRequest): string | undefined {
  const host = request.headers?.host;
  if (typeof host !== 'string' || !HOST.test(host)) return undefined;
  return normalizeOrigin(`${request.secure === true ? 'https' : 'http'}://${host}`);
}

/**
 * The normalised target URI of `request` (without query and fragment), with the origin `publicOrigin` (an
 * already normalised origin) when given. `undefined` when the request has no usable target or Host.
 */
export function requestUri(request: VerifyRequest, publicOrigin: string | undefined): string | undefined {
  const target = request.url;
  if (target === undefined) return undefined;
  if (ABSOLUTE.test(target)) {
    // The absolute form (RFC 9112 §3.2.2) names its own origin, which is as much the client's word as Host.
    const absolute = normalizeHttpUri(target);
    if (absolute === undefined || publicOrigin === undefined) return absolute;
    return normalizeHttpUri(`${publicOrigin}${new URL(absolute).pathname}`);
  }
  if (!target.startsWith('/')) return undefined;
  const origin = publicOrigin ?? originOfRequest(request);
  if (origin === undefined) return undefined;
  // Concatenated, never resolved against the origin: a target such as `//evil.example/x` stays a path.
  return normalizeHttpUri(`${origin}${pathOf(target)}`);
}
