/**
 * The `WWW-Authenticate` value of RFC 6750 §3.
 *
 * RFC 6750 restricts `error`, `error_description` and `scope` to printable ASCII without `"` and `\`
 * (`%x20-21 / %x23-5B / %x5D-7E`; `scope` without the space inside a token). Values are checked when the
 * library is configured, and anything that would break the grammar is dropped here as a last line of
 * defence, so a header can never carry a quote, a backslash, a control character or non-ASCII text.
 */

/** Parameters of one `Bearer` challenge. */
export interface ChallengeParams {
  /** The protection space; RFC 6750 §3 `realm`. */
  realm: string;
  /** The OAuth error code, absent when the request carried no credentials at all. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** A fixed, human-readable phrase. Never a token or claim value. */
  description?: string;
  /**
   * Every value the failed guard requires (RFC 6750 §3 `scope`). Values that are not scope-tokens (a role
   * with a space, non-ASCII text) and repeats are left out; with none left, so is the attribute.
   */
  scope?: readonly string[];
  /**
   * Further auth-params (RFC 7235 §2.1), written after the others in the order given, each as a quoted
   * string: `resource_metadata` (RFC 9728 §5.1), for instance. A param whose name is not a token, repeats
   * an earlier name or one of the params above (case-insensitively) is left out.
   */
  authParams?: readonly AuthParam[];
}

/** One auth-param of a challenge: its name (an RFC 7235 token) and its value (quoted when written). */
export type AuthParam = readonly [name: string, value: string];


const ATTRIBUTE_FORBIDDEN = /[^\x20\x21\x23-\x5b\x5d-\x7e]/g;

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

// RFC 7230 §3.2.6 `token`: what an auth-param name may be.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const BUILT_IN = ['realm', 'error', 'error_description', 'scope'];

/** True when `name` may name an extra auth-param: an RFC 7230 token, and not one the builder writes itself. */
export function isAuthParamName(name: string): boolean {
  return TOKEN.test(name) && !BUILT_IN.includes(name.toLowerCase());
}

/** True when `value` is a legal RFC 6750 `scope-token` (so it may appear in a `scope` attribute). */
export function isScopeToken(value: string): boolean {
  return SCOPE_TOKEN.test(value);
}

/**
 * The value of a `scope` attribute: each scope-token of `scope` once; `undefined` when none is left (RFC 6750
 * §3 needs at least one, so the attribute is then left out).
 */
export function scopeAttribute(scope: readonly string[] | undefined): string | undefined {
  if (scope === undefined) return undefined;
  const tokens = [...new Set(scope.filter((s) => SCOPE_TOKEN.test(s)))];
  return tokens.length > 0 ? tokens.join(' ') : undefined;
}

function quote(value: string): string {
  return `"${value.replace(ATTRIBUTE_FORBIDDEN, '')}"`;
}

/**
 * Builds a `Bearer` challenge: `Bearer realm="api", error="invalid_token", error_description="…"`, then
 * `scope` and any further auth-params.
 *
 * @example
 * toChallenge({ realm: 'api' }) // 'Bearer realm="api"'
 * toChallenge({ realm: 'api', authParams: [['resource_metadata', 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp']] })
 * // 'Bearer realm="api", resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"'
 */
export function toChallenge(params: ChallengeParams): string {
  let value = `Bearer realm=${quote(params.realm)}`;
  if (params.error !== undefined) value += `, error=${quote(params.error)}`;
  if (params.description !== undefined) value += `, error_description=${quote(params.description)}`;
  const scope = scopeAttribute(params.scope);
  if (scope !== undefined) value += `, scope=${quote(scope)}`;
  if (params.authParams !== undefined) {
    const seen = new Set<string>();
    for (const [name, param] of params.authParams) {
      if (typeof name !== 'string' || typeof param !== 'string' || !isAuthParamName(name)) continue;
      const key = name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      value += `, ${name}=${quote(param)}`;
    }
  }
  return value;
}

/**
 * Builds one challenge of any scheme from its auth-params, in order, each value quoted and cleaned like the
 * Bearer attributes. Several challenges go in one `WWW-Authenticate` value separated by `, ` (RFC 9110
 * §11.6.1).
 *
 * @example
 * formatChallenge('DPoP', [['realm', 'api'], ['algs', 'ES256 EdDSA']]) // 'DPoP realm="api", algs="ES256 EdDSA"'
 */
export function formatChallenge(scheme: string, params: readonly AuthParam[]): string {
  return params.length === 0 ? scheme : `${scheme} ${params.map(([name, value]) => `${name}=${quote(value)}`).join(', ')}`;
}
