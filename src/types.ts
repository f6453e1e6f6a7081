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
 * Where one identity attribute lives: a single {@link ClaimPath} string, or a list of claim paths read in
 * order. In a list, a path given as segments is an array inside the list:
 * `[['resource_access', 'my.client', 'roles']]`.
 */
export type ClaimPathList = string | readonly ClaimPath[];

/**
 * Where the identity of the caller lives in the payload. Each list is read in order; `scopes` and
 * `roles` take the union of every location, `clientId` and `tenantId` the first present string. A list
 * given here replaces the default list of that name; the lists left out keep the defaults below (the
 * generic ones: a preset's own lists are in its `claims`, so spread them to extend a preset).
 */
export interface ClaimLocations {
  /**
   * Scope claims: a space-delimited string or an array of strings.
   * @default ['scope', 'scp']
   */
  scopes?: ClaimPathList;
  /**
   * Role claims: an array of strings, or one string holding one role.
   * @default ['roles']
   */
  roles?: ClaimPathList;
  /**
   * The calling application's client id. The first location present in the token decides: when its value
   * is not a non-empty string there is no client id (later locations are not consulted).
   * @default ['client_id', 'azp', 'appid']
   */
  clientId?: ClaimPathList;
  /**
   * The tenant (directory) id; the first location present decides, as for {@link ClaimLocations.clientId}.
   * @default ['tid']
   */
  tenantId?: ClaimPathList;
}

/** Every claim location, each as a list: what a provider preset returns as its `claims`. */
export interface ClaimLocationLists {
  /** Scope claims (see {@link ClaimLocations.scopes}). */
  readonly scopes: readonly ClaimPath[];
  /** Role claims (see {@link ClaimLocations.roles}). */
  readonly roles: readonly ClaimPath[];
  /** Client id claims, first present decides (see {@link ClaimLocations.clientId}). */
  readonly clientId: readonly ClaimPath[];
  /** Tenant claims, first present decides (see {@link ClaimLocations.tenantId}). */
  readonly tenantId: readonly ClaimPath[];
}

/**
 * The issuer families bearer-guard knows, used for rejection diagnostics, telling access tokens from other
 * tokens, and the `isAppOnly` rule. Claim locations are not tied to it: they are the `claims` option.
 */
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
   * Most tokens kept. Each entry holds the frozen {@link AuthInfo} (about 2–4 KB for a typical token); the
   * index by token string adds about 40 bytes per entry of the bound. A token is admitted when it is verified
   * again while about `maxEntries / 8` other new tokens have arrived since its first verification.
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
   * then RFC 8414's `/.well-known/oauth-authorization-server` inserted before the issuer's path, then
   * appended to it. HTTPS only, except on loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`).
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
  /**
   * Refuse tokens whose `tid` claim is one of these (compared case-insensitively) with
   * `tenant_not_allowed`, checked with the issuer, before any key is fetched. `entraId()` with
   * `tenantId: 'organizations'` sets it to the personal Microsoft accounts tenant.
   * @default []
   */
  excludedTenants?: readonly string[];
  /** Claims that must be present with exactly this value, e.g. `{ token_use: 'access' }`. */
  requiredClaims?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Where scopes, roles, client id and tenant live. Each list given replaces the generic default of that
   * name; a preset returns all four lists, so extend one with `claims: { ...preset.claims, roles: [...] }`.
   */
  claims?: ClaimLocations;
  /**
   * Issuer family: precise rejection reasons, the family's access-token shape (an Entra token without
   * `azp`/`appid` is refused) and the `isAppOnly` rule. Set by the provider presets; it does not change
   * where claims are read (see {@link VerifierOptions.claims}).
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

/**
 * The options a provider preset (`entraId()`, `auth0()`, `okta()`, `keycloak()`, `cognito()`, `rfc9068()`)
 * returns: plain {@link VerifierOptions} whose claim locations and required claims are always spelled out,
 * so what the preset does is visible and can be extended by spreading:
 * `{ ...preset, claims: { ...preset.claims, roles: [...preset.claims.roles, 'groups'] } }`.
 */
export interface PresetOptions extends VerifierOptions {
  /** Every claim location the preset reads. */
  claims: ClaimLocationLists;
  /** The claim values the preset requires (`{}` when none). */
  requiredClaims: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The verified identity of the calling application, attached to `req.auth`. Deeply frozen: the object, its
 * arrays (`audience`, `scopes`, `roles`), `header` and `payload` cannot be changed (writing to them throws
 * in strict-mode code; `push` always throws). The arrays are typed `string[]` so that they pass wherever a
 * `string[]` is expected.
 */
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
  /** The `aud` claim as an array (empty for tokens validated by `client_id`). Frozen. */
  readonly audience: string[];
  /**
   * The calling application: `client_id` (RFC 9068), else `azp` (Entra v2), else `appid` (Entra v1). The
   * first of these claims that is present decides: when its value is not a non-empty string there is no
   * client id (later claims are not consulted).
   */
  readonly clientId?: string;
  /** The tenant: `tid`. As for {@link AuthInfo.clientId}, the first present location decides. */
  readonly tenantId?: string;
  /**
   * Granted scopes: the union of `scope` (space-delimited) and `scp` (string or array). Either claim may
   * also be an array of strings, each element one scope. Frozen.
   */
  readonly scopes: string[];
  /** Granted app roles: `roles` (array of strings, or one string holding one role). Frozen. */
  readonly roles: string[];
  /**
   * True when no user is involved (client credentials): decided by `idtyp` (`"app"`) when present, else by
   * the profile's rule: Entra, a client id and no `scp`; Auth0, `gty: "client-credentials"` or `sub`
   * `<client>@clients`; Keycloak, a `service-account-<client>` username; otherwise `sub` equal to the
   * client id.
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
