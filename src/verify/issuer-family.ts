/**
 * What the verification core asks of an issuer family (Microsoft Entra ID, Azure AD B2C, Auth0, Okta,
 * Keycloak, Amazon Cognito, OpenIddict, RFC 9068 issuers, or a generic one). Each family is one object in `profiles/<family>/`; the core
 * calls it and never switches on a family's name.
 */
import type { InvalidTokenReason } from '../errors/reasons.js';
import type { JsonObject } from '../json.js';
import type { ClaimLocationLists } from './identity/claim-types.js';

/**
 * The issuer families bearer-guard knows, used for rejection diagnostics, telling access tokens from other
 * tokens, and the `isAppOnly` rule. Claim locations are not tied to it: they are the `claims` option.
 */
export type IssuerProfile = 'generic' | 'entra' | 'auth0' | 'okta' | 'keycloak' | 'cognito' | 'rfc9068' | 'openiddict' | 'b2c';

/** One issuer family's rules. Every member is a pure function of its arguments. */
export interface IssuerFamily {
  /** The family's name (the `profile` option). */
  readonly name: IssuerProfile;
  /** Where the family's tokens put scopes, roles, client id and tenant: what its preset returns as `claims`. */
  readonly claims: ClaimLocationLists;
  /**
   * The tenant a configured exact issuer names, which its tokens' `tid` must then equal (a single-tenant
   * Entra issuer); `undefined` when the issuer names none.
   */
  tenantOfIssuer(issuer: string): string | undefined;
  /**
   * Refuses a verified payload that is not an access token of the family (an Entra token naming no calling
   * application is an ID token); `undefined` when it may be one.
   */
  checkAccessToken(payload: JsonObject): InvalidTokenReason | undefined;
  /** True when no user is involved (client credentials), by the family's own rule. */
  isAppOnly(payload: Readonly<JsonObject>, clientId: string | undefined): boolean;
  /**
   * Whether a key published for `keyIssuer` also vouches for tokens of `iss` (Entra signs its v1.0 tokens
   * with the keys it publishes for the same tenant's v2.0 issuer).
   */
  isIssuerAlias(iss: string, keyIssuer: string): boolean;
  /**
   * A sharper reason for a rejection, read from the unverified payload on the rejection path only (a
   * Microsoft Graph token, a v1.0 token at a v2.0 API, an ID token…); `reason` unchanged otherwise.
   */
  refineRejection(reason: InvalidTokenReason, payload: JsonObject, configuredIssuers: readonly string[]): InvalidTokenReason;
}
