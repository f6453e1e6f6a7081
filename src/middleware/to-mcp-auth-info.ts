/**
 * `toMcpAuthInfo(auth)`: a verified identity in the shape the MCP TypeScript SDK hands to tool handlers as
 * `extra.authInfo` (its `AuthInfo`, 1.x and 2.x alike). Declared here structurally, so bearer-guard does not
 * depend on the SDK; the type tests compile it against both.
 */
import { effectiveScopes } from '../guards/check-grants.js';
import type { JsonObject } from '../json.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import { issuedBy } from '../verify/identity/issued-identity.js';

/**
 * What {@link McpAuthInfo.extra} holds: the rest of the identity, for tool handlers. (A type alias, not an
 * interface, so that it is assignable to the SDK's `Record<string, unknown>`.)
 */
export type McpAuthInfoExtra = {
  /** The `iss` claim. */
  issuer: string;
  /** The `sub` claim, when the token has one. */
  subject?: string;
  /** The tenant (`tid`), when the token names one. */
  tenantId?: string;
  /** The token's audiences. */
  audience: readonly string[];
  /** Granted app roles. */
  roles: readonly string[];
  /** The scopes the token itself granted (`scopes` adds those they imply). */
  grantedScopes: readonly string[];
  /** True when no user is involved (client credentials). */
  isAppOnly: boolean;
  /** Every claim of the token (frozen). */
  claims: Readonly<JsonObject>;
};

/** The MCP SDK's `AuthInfo`, as {@link toMcpAuthInfo} fills it. */
export interface McpAuthInfo {
  /** The raw access token. Never log it. */
  token: string;
  /** The calling application (`AuthInfo.clientId`); `''` when the token names none. */
  clientId: string;
  /** The scopes the caller may act with: those granted, then those they imply (`impliedScopes`). */
  scopes: string[];
  /** When the token expires, in seconds since the epoch (the SDK's unit; `AuthInfo.expiresAt` is a `Date`). */
  expiresAt: number;
  /** The verifier's protected resource (`resource` option), when it has one. */
  resource?: URL;
  /** The URL of that resource's metadata (read by the 2.x SDK's scope challenges), when it has one. */
  resourceMetadataUrl?: string;
  /** The rest of the identity. */
  extra: McpAuthInfoExtra;
}

/**
 * Converts a verified identity into the MCP SDK's `AuthInfo`. A new object each call; the identity itself is
 * left as it is.
 *
 * @example
 * app.post('/mcp', authenticate(verifier), requireScopes('mcp:tools'), async (req, res) => {
 *   // The transport reads `req.auth` and hands it to tools as `extra.authInfo`.
 *   await transport.handleRequest(Object.assign(req, { auth: toMcpAuthInfo(getAuth(req)) }), res, req.body);
 * });
 */
export function toMcpAuthInfo(auth: AuthInfo): McpAuthInfo {
  const expires: unknown = auth.expiresAt;
  if (!(expires instanceof Date) || Number.isNaN(expires.getTime())) {
    // A custom verifier's identity may lack it; the MCP SDK refuses an identity without an expiry.
    throw new TypeError('bearer-guard: toMcpAuthInfo() argument "auth" must have expiresAt, a valid Date (a custom verifier must set it)');
  }
  const by = issuedBy(auth);
  const extra: McpAuthInfoExtra = {
    issuer: auth.issuer,
    audience: auth.audience,
    roles: auth.roles,
    grantedScopes: auth.scopes,
    isAppOnly: auth.isAppOnly,
    claims: auth.payload,
  };
  if (auth.subject !== undefined) extra.subject = auth.subject;
  if (auth.tenantId !== undefined) extra.tenantId = auth.tenantId;
  const info: McpAuthInfo = {
    token: auth.token,
    clientId: auth.clientId ?? '',
    scopes: [...effectiveScopes(auth)],
    expiresAt: Math.floor(expires.getTime() / 1000),
    extra,
  };
  if (by?.resource !== undefined) info.resource = new URL(by.resource);
  if (by?.resourceMetadataUrl !== undefined) info.resourceMetadataUrl = by.resourceMetadataUrl;
  return info;
}
