/**
 * Comparing a token's `aud` with the protected resource's identifier (RFC 8707, RFC 9728 §1.2): both are
 * brought to one spelling, and only equal spellings match.
 *
 * The spelling follows RFC 3986 §6.2.2 and §6.2.3 for `http` and `https` URLs: scheme and host in lower case,
 * the default port left out, dot segments removed, percent-encodings in upper case, and the unreserved
 * characters they encode decoded (`%7E` → `~`). One rule of bearer-guard's own: **a single trailing slash
 * is not significant** (`https://mcp.example.com/mcp/` is `https://mcp.example.com/mcp`), as Express and
 * Connect route both to the same handler. Nothing else is loosened: a parent path, a sibling (`/mcp2`), a
 * sub-path (`/mcp/x`), two trailing slashes, another scheme, host or port, a query, a fragment or user
 * information all make a different resource.
 */

const PERCENT = /%([0-9a-fA-F]{2})/g;
// RFC 3986 §2.3 unreserved characters.
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Longer values are not parsed: no resource identifier is this long. */
const MAX_LENGTH = 2048;

function normalizePercent(path: string): string {
  return path.replace(PERCENT, (_match, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * The comparable spelling of an `http`/`https` resource identifier, or `undefined` when `value` is not one
 * (not a string, not an absolute URL, another scheme, or too long).
 *
 * @example
 * normalizeResourceUri('HTTPS://MCP.Example.com:443/mcp/') // 'https://mcp.example.com/mcp'
 */
export function normalizeResourceUri(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > MAX_LENGTH) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  // The URL parser has lower-cased scheme and host, dropped the default port and removed dot segments.
  let path = normalizePercent(url.pathname);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  url.pathname = path;
  return url.href; // an empty query or fragment (`?`, `#`) stays: it is not no query
}
