/** The options of `createVerifier()` and what the provider presets return. */
import type { ClaimLocationLists, ClaimLocations } from './identity/claim-types.js';
import type { KeyOptions } from './keys/key-options.js';
import type { TokenCacheOptions } from './cache/token-cache.js';
import type { DecryptionOptions } from './format/decryption-options.js';
import type { IssuerProfile } from './issuer-family.js';
import type { IntrospectionOptions } from '../introspection/introspection-options.js';
import type { DpopOptions, MtlsOptions } from './config/binding-options.js';
import type { ValidateRule } from './caller/check-validate.js';
import type { PublicKeys } from './config/resolve-public-keys.js';
import type { IssuerResolver } from './issuer/issuer-resolver.js';


/** Options of {@link createVerifier}. Every duration is in the unit its name or description states. */
export interface VerifierOptions {
  /**
   * Accepted issuer(s), matched exactly against `iss`. A value containing the literal `{tenantid}` is an
   * Entra-style multi-tenant template: it matches an `iss` whose tenant segment equals the token's `tid`
   * (and then `jwksUri` or `publicKeys` is required). An issuer URL must not hold a query or a fragment
   * (RFC 8414 §2).
   *
   * Or an issuer resolver, for issuers that depend on the request (one API behind many custom domains):
   * called for each request with a frozen view of the request and the token's UNVERIFIED claims, it answers
   * the issuer URL(s) allowed for that request; the token is then verified as usual against that issuer's
   * discovered keys (or `jwksUri` / `publicKeys`). Answer from your own list, never from the claims alone.
   */
  issuer: string | readonly string[] | IssuerResolver;
  /**
   * Accepted audience(s); the token's `aud` (string or array) must contain one of them, compared exactly.
   * Required unless {@link VerifierOptions.resource} is set (then either passes).
   */
  audience?: string | readonly string[];
  /**
   * The protected resource's identifier (RFC 8707, RFC 9728): the URL clients call, such as an MCP server's
   * `https://mcp.example.com/mcp`. `https` (plain `http` on loopback hosts only), no query or fragment. A
   * token whose `aud` names it passes after both are normalised (scheme and host case, default port, dot
   * segments, percent-encoding; one trailing slash is not significant); a parent path, a sibling such as
   * `/mcp2`, a sub-path or another host does not. Every 401 and 403 of the verifier then carries
   * `resource_metadata="<resourceMetadataUrl>"` in its challenge (RFC 9728 §5.1).
   */
  resource?: string;
  /**
   * The URL of the resource's metadata document, named by `resource_metadata` in challenges. Needs
   * {@link VerifierOptions.resource}.
   * @default `/.well-known/oauth-protected-resource` inserted before the resource's path (RFC 9728 §3.1):
   * `https://mcp.example.com/.well-known/oauth-protected-resource/mcp`
   */
  resourceMetadataUrl?: string;
  /**
   * A scope hierarchy: each scope → the scopes it implies, e.g. `{ 'files:write': ['files:read'] }`. The
   * guards (`requireScopes`, `requireScopesOrRoles`, `hasScopes`) then accept a granted scope for every scope
   * it implies, transitively, never the other way round; `AuthInfo.scopes` still lists only what the token
   * granted (`effectiveScopes(auth)` adds the rest). A cycle is refused.
   * @default undefined (scopes compared exactly)
   */
  impliedScopes?: Readonly<Record<string, readonly string[]>>;
  /**
   * The JWK Set URL. When absent it is discovered per issuer: `<issuer>/.well-known/openid-configuration`,
   * then RFC 8414's `/.well-known/oauth-authorization-server` inserted before the issuer's path, then
   * appended to it. HTTPS only, except on loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`).
   */
  jwksUri?: string;
  /**
   * Verification keys given here instead of fetched: JWKs, a JWK Set (`{ keys: [...] }`), Node
   * `KeyObject`s, or PEM strings (an SPKI public key or an X.509 certificate, whose validity dates and
   * chain are not looked at). No network request is ever made. Checked at creation like a fetched set (a
   * key that would be skipped is a `TypeError`). A token's `kid` picks the keys with that `kid`; a key
   * without one (a PEM) matches any `kid` when it is the only key for the token's algorithm. Excludes
   * `jwksUri`.
   */
  publicKeys?: PublicKeys;
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
   * Require the RFC 9068 header `typ: at+jwt` (also `application/at+jwt`, any case), and the claims RFC 9068
   * §2.2 requires: `iss`, `exp`, `aud`, `sub`, `client_id`, `iat` and `jti` present, `sub`, `client_id` and
   * `jti` strings. By default `typ` may be absent, `JWT` or `at+jwt`; any other value is refused.
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
   * A rule every verified token must pass, with frozen, own-member-only views of its payload and header:
   * anything but `true` (or a promise of `true`), and a throw or a rejection, refuses the token as 401
   * `invalid_token`, reason `claim_invalid` (a throw's error goes to the debug log). It runs when a token
   * is verified, not on verified-token cache hits: keep it a function of the token (or set `cache: false`).
   * Per-route rules belong in `requireClaims()` (403).
   */
  validate?: ValidateRule;
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
  /**
   * Validate opaque access tokens (anything that is not a JWT) at the issuer's introspection endpoint
   * (RFC 7662), cached and single-flight; with `tokens: 'all'`, JWTs too, after local verification. Needs
   * exactly one `issuer`. Without it, a token that is not a JWT is refused (`token_malformed`).
   * @default undefined (no introspection)
   */
  introspection?: IntrospectionOptions;
  /**
   * Decrypt encrypted access tokens (JWE, five segments), then verify the JWS inside like any other token.
   * Without it an encrypted token is refused as `token_encrypted`. Every refusal of an encrypted token is
   * answered with the uniform description, so the answer discloses nothing about its content.
   * @default undefined (encrypted tokens refused)
   */
  decryption?: DecryptionOptions;
  /**
   * Accept DPoP-bound tokens (RFC 9449): `Authorization: DPoP <token>` with one `DPoP` proof header, checked
   * against the request (method, URI), the token (`ath`, `cnf.jkt`), the clock and a replay store. Without
   * it (or with `false`) a token with `cnf.jkt` is refused and the `DPoP` scheme counts as no credentials.
   */
  dpop?: DpopOptions | false;
  /**
   * Accept certificate-bound tokens (RFC 8705 §3): a token with `cnf["x5t#S256"]` passes only with the
   * client certificate it names; the `MTLS_POP` scheme is accepted too. Without it (or with `false`) such
   * tokens are refused.
   */
  mtls?: MtlsOptions | false;
}

/**
 * The options a provider preset (`entraId()`, `azureAdB2C()`, `auth0()`, `okta()`, `keycloak()`, `cognito()`,
 * `rfc9068()`, `openIddict()`) returns: plain {@link VerifierOptions} whose claim locations and required claims are always spelled out,
 * so what the preset does is visible and can be extended by spreading:
 * `{ ...preset, claims: { ...preset.claims, roles: [...preset.claims.roles, 'groups'] } }`.
 */
export interface PresetOptions extends VerifierOptions {
  /** Every claim location the preset reads. */
  claims: ClaimLocationLists;
  /** The claim values the preset requires (`{}` when none). */
  requiredClaims: Readonly<Record<string, string | number | boolean>>;
}

