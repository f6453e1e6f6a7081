/**
 * Public types of bearer-guard. Types only: no runtime code lives here.
 */

/** A JSON object as decoded from a JWT segment. */
export type JsonObject = Record<string, unknown>;

/** The asymmetric JWS algorithms bearer-guard can verify. */
export type SupportedAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/**
 * Where a claim lives in the token payload: a claim name, a dot-path (`realm_access.roles`), or an
 * array of path segments for names that themselves contain dots
 * (`['resource_access', 'my.client', 'roles']`). A string is first looked up as a whole claim name, so
 * namespaced claims such as `https://example.com/roles` work as they are. Only own members of JSON objects
 * are followed; a path through `__proto__`, `constructor` or `prototype` is refused at configuration time.
 */
export type ClaimPath = string | readonly string[];

/**
 * Where the identity of the caller lives in the payload. Each list is read in order; `scopes` and
 * `roles` take the union of every location, `clientId` and `tenantId` the first present string.
 */
export interface ClaimLocations {
  /**
   * Scope claims: a space-delimited string or an array of strings.
   * @default ['scope', 'scp']
   */
  scopes?: readonly ClaimPath[];
  /**
   * Role claims: an array of strings, or one string holding one role.
   * @default ['roles']
   */
  roles?: readonly ClaimPath[];
  /**
   * The calling application's client id.
   * @default ['client_id', 'azp', 'appid']
   */
  clientId?: readonly ClaimPath[];
  /**
   * The tenant (directory) id.
   * @default ['tid']
   */
  tenantId?: readonly ClaimPath[];
}

/** The issuer families bearer-guard knows, used for claim defaults and diagnostics. */
export type IssuerProfile = 'generic' | 'entra' | 'auth0' | 'okta' | 'keycloak' | 'cognito';

/**
 * A `fetch` implementation (the WHATWG signature). Pass one to go through a proxy
 * (`undici`'s `ProxyAgent`) or to instrument key fetches.
 */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * How issuer metadata and JSON Web Key Sets are fetched and cached. Stores are shared per JWKS URI by
 * every verifier of the process that uses the same key options.
 */
export interface KeyOptions {
  /**
   * Milliseconds a fetched key set (and issuer metadata) is fresh. After that it is refreshed in the
   * background on the next request while the cached copy keeps serving.
   * @default 600000 (10 minutes)
   */
  maxAgeMs?: number;
  /**
   * Milliseconds after a fetch during which a token with an unknown `kid` is rejected without another
   * fetch. A flood of made-up `kid`s causes at most one fetch per window.
   * @default 30000
   */
  cooldownMs?: number;
  /**
   * Milliseconds, past {@link KeyOptions.maxAgeMs}, during which the last good key set keeps serving while
   * refreshes fail (stale-if-error). Past it, requests get 503 until a fetch succeeds.
   * @default 3600000 (1 hour)
   */
  staleIfErrorMs?: number;
  /**
   * Deadline in milliseconds for one fetch, covering connect, headers and the whole body.
   * @default 5000
   */
  timeoutMs?: number;
  /**
   * Largest accepted response body in bytes; a larger one is refused without buffering it.
   * @default 524288 (512 KiB)
   */
  maxResponseBytes?: number;
  /**
   * First retry delay in milliseconds after a failed fetch; doubles on each further failure.
   * @default 1000
   */
  retryMinMs?: number;
  /**
   * Largest retry delay in milliseconds.
   * @default 30000
   */
  retryMaxMs?: number;
  /**
   * Hosts (`host` or `host:port`) that redirects may lead to, besides the host of the original URL.
   * Redirects to any other host are refused; at most 3 redirects are followed.
   * @default []
   */
  allowedRedirectHosts?: readonly string[];
  /** A custom `fetch`, for proxies and instrumentation. @default globalThis.fetch */
  fetch?: FetchLike;
}

/** Options of the verified-token cache. */
export interface TokenCacheOptions {
  /**
   * Most tokens kept. Each entry holds the frozen {@link AuthInfo} (about 2–4 KB for a typical token).
   * @default 10000
   */
  maxEntries?: number;
  /**
   * Longest time in milliseconds an entry is kept, whatever the token's `exp`.
   * @default 600000 (10 minutes)
   */
  maxTtlMs?: number;
}

/** Options of {@link createVerifier}. Every duration is in the unit its name or description states. */
export interface VerifierOptions {
  /**
   * Accepted issuer(s), matched exactly against `iss`. A value containing the literal `{tenantid}` is an
   * Entra-style multi-tenant template: it matches an `iss` whose tenant segment equals the token's `tid`
   * (and then `jwksUri` is required).
   */
  issuer: string | readonly string[];
  /** Accepted audience(s); the token's `aud` (string or array) must contain one of them. */
  audience: string | readonly string[];
  /**
   * The JWK Set URL. When absent it is discovered per issuer: `<issuer>/.well-known/openid-configuration`,
   * then `/.well-known/oauth-authorization-server` (RFC 8414). HTTPS only, except on loopback hosts.
   */
  jwksUri?: string;
  /**
   * Allowed `alg` values. Only asymmetric algorithms are supported; `none` and `HS*` are refused.
   * @default ['RS256','RS384','RS512','PS256','PS384','PS512','ES256','ES384','ES512','EdDSA','Ed25519']
   */
  algorithms?: readonly string[];
  /**
   * Seconds of leeway on `exp`, `nbf` and `iat`.
   * @default 60
   */
  clockTolerance?: number;
  /**
   * The `realm` of every `WWW-Authenticate` challenge.
   * @default "api"
   */
  realm?: string;
  /**
   * Reject tokens whose `iat` is older than this many seconds (then `iat` is required).
   * @default undefined (no age limit)
   */
  maxTokenAge?: number;
  /**
   * Require the RFC 9068 header `typ: at+jwt` (also `application/at+jwt`, any case). By default `typ` may be
   * absent, `JWT` or `at+jwt`; any other value is refused.
   * @default undefined
   */
  requiredTokenType?: 'at+jwt';
  /**
   * Claim checked against {@link VerifierOptions.audience}. Set to `client_id` only for issuers whose
   * access tokens carry no `aud` (Amazon Cognito client-credentials tokens); the token must then have no
   * `aud` at all.
   * @default "aud"
   */
  audienceClaim?: 'aud' | 'client_id';
  /** Accept only these calling applications (matched against the resolved client id). */
  allowedClientIds?: readonly string[];
  /** Accept only these tenants (matched against the resolved tenant id). */
  allowedTenants?: readonly string[];
  /** Claims that must be present with exactly this value, e.g. `{ token_use: 'access' }`. */
  requiredClaims?: Readonly<Record<string, string | number | boolean>>;
  /** Where scopes, roles, client id and tenant live (merged over the profile's defaults). */
  claims?: ClaimLocations;
  /**
   * Issuer family, for claim-location defaults and precise diagnostics. Set by the provider presets.
   * @default "generic"
   */
  profile?: IssuerProfile;
  /**
   * Check a JWK's own `issuer` member (Entra publishes `https://login.microsoftonline.com/{tenantid}/v2.0`)
   * against the token's issuer and tenant, where the key has one.
   * @default true
   */
  validateKeyIssuer?: boolean;
  /**
   * Longest accepted token, in characters, enforced before any decoding or cryptography.
   * @default 16384
   */
  maxTokenLength?: number;
  /** How keys and metadata are fetched and cached. */
  keys?: KeyOptions;
  /**
   * The verified-token cache: a token already verified is answered from memory (its `exp`/`nbf` are
   * re-checked on every hit, and it is dropped when its signing key leaves the JWK Set). `false` turns it
   * off.
   */
  cache?: TokenCacheOptions | false;
}

/** The verified identity of the calling application, attached to `req.auth`. Frozen. */
export interface AuthInfo {
  /** The raw access token. Never log it. */
  readonly token: string;
  /** The decoded JOSE header. */
  readonly header: Readonly<JsonObject>;
  /** Every claim of the token. */
  readonly payload: Readonly<JsonObject>;
  /** The `iss` claim (one of the configured issuers). */
  readonly issuer: string;
  /** The `sub` claim. */
  readonly subject?: string;
  /** The `aud` claim as an array (empty for tokens validated by `client_id`). */
  readonly audience: readonly string[];
  /** The calling application: `client_id` (RFC 9068), else `azp` (Entra v2), else `appid` (Entra v1). */
  readonly clientId?: string;
  /** The tenant: `tid`. */
  readonly tenantId?: string;
  /** Granted scopes: the union of `scope` (space-delimited) and `scp` (string or array). */
  readonly scopes: readonly string[];
  /** Granted app roles: `roles` (array of strings, or one string holding one role). */
  readonly roles: readonly string[];
  /**
   * True when no user is involved (client credentials): `idtyp: "app"` when present, else Auth0's
   * `gty: "client-credentials"`, else no `scp` on an Entra token, else `sub` equal to the client id.
   */
  readonly isAppOnly: boolean;
  /** When the token expires (`exp`). */
  readonly expiresAt: Date;
}

/** Verifies access tokens. */
export interface Verifier {
  /**
   * Verifies `token` (the raw JWT, without the `Bearer ` prefix).
   * Rejects with an {@link AuthError}: `InvalidTokenError` (401) or `KeysUnavailableError` (503).
   */
  verify(token: string): Promise<AuthInfo>;
}
