/** The verifier's configuration once validated: plain data, no stores, no network. */
import type { AuthParam } from '../../errors/challenge.js';
import type { IssuerProfile } from '../issuer-family.js';
import type { CallerPolicy } from '../caller/check-caller.js';
import type { ClaimPolicy } from '../claims/claim-policy.js';
import type { ResolvedTokenCacheOptions } from '../cache/token-cache.js';
import type { HeaderPolicy } from '../format/check-header.js';
import type { ResolvedDecryption } from '../format/decryption-options.js';
import type { ResolvedClaimLocations } from '../identity/claim-locations.js';
import type { ResolvedKeyOptions } from '../keys/key-options.js';
import type { ResolvedIntrospectionOptions } from '../../introspection/introspection-options.js';
import type { DpopConfig, MtlsConfig } from './binding-options.js';
import type { KeySet } from '../keys/jwk-set.js';
import type { ValidateRule } from '../caller/check-validate.js';
import type { IssuerResolver } from '../issuer/issuer-resolver.js';
import type { IssuedBy } from '../identity/issued-identity.js';
import type { ImpliedScopes } from './implied-scopes.js';
import type { ResourceConfig } from './resource-options.js';

/** Everything a verifier needs, validated once at creation. */
export interface VerifierConfig {
  readonly realm: string;
  /** The issuer family's name; the assembly looks the family up. */
  readonly profile: IssuerProfile;
  readonly maxTokenLength: number;
  readonly header: HeaderPolicy;
  readonly claims: ClaimPolicy;
  readonly caller: CallerPolicy;
  readonly locations: ResolvedClaimLocations;
  /** The configured issuers (exact values and `{tenantid}` templates), without repeats. */
  readonly issuers: readonly string[];
  /** A fixed JWK Set URL; `undefined` to discover each issuer's. */
  readonly jwksUri: string | undefined;
  /** Keys given in the configuration (never fetched); excludes `jwksUri`. */
  readonly publicKeys: KeySet | undefined;
  /** The issuer resolver, when `issuer` is one (then `issuers` is empty). */
  readonly issuerResolver: IssuerResolver | undefined;
  /** The `validate` rule. */
  readonly validate: ValidateRule | undefined;
  /** `tid` values refused whatever the issuer. */
  readonly excludedTenants: readonly string[];
  readonly validateKeyIssuer: boolean;
  readonly cache: ResolvedTokenCacheOptions | false;
  readonly keys: ResolvedKeyOptions;
  /** Opaque-token introspection (RFC 7662); `undefined` when not configured. */
  readonly introspection: ResolvedIntrospectionOptions | undefined;
  /** Decryption of encrypted tokens (JWE); `undefined` when they are refused as `token_encrypted`. */
  readonly decryption: ResolvedDecryption | undefined;
  /** DPoP (RFC 9449); `undefined` when off. */
  readonly dpop: DpopConfig | undefined;
  /** Certificate-bound tokens (RFC 8705); `undefined` when off. */
  readonly mtls: MtlsConfig | undefined;
  /** The protected resource (`resource`, `resourceMetadataUrl`); `undefined` when not configured. */
  readonly resource: ResourceConfig | undefined;
  /** Further auth-params of every challenge (`resource_metadata`), frozen; empty without a resource. */
  readonly authParams: readonly AuthParam[];
  /** What this verifier's identities are tagged with (realm, auth-params, resource, scope hierarchy), frozen. */
  readonly issuedBy: IssuedBy;
  /** The scope hierarchy, closed transitively; `undefined` when none is configured. */
  readonly impliedScopes: ImpliedScopes | undefined;
}
