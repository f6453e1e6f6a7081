/**
 * Telling an issuer's access tokens from the other tokens it signs with the same keys (ID tokens, refresh
 * and logout tokens), by the shape each issuer family gives its access tokens:
 *
 * - Microsoft Entra ID: an access token always names the calling application, in `azp` (v2.0) or `appid`
 *   (v1.0); an ID token never does. A v2.0 ID token of an app registration that is also the API carries
 *   the API's client id as `aud`, `roles` and no `scp`, so without this rule it would pass as an app-only
 *   access token. An Entra token without `azp`/`appid` is not an access token: `token_type_invalid`.
 * - Keycloak: payload `typ: "Bearer"`; Amazon Cognito: `token_use: "access"`. Their presets require these
 *   as `requiredClaims`; the rule here only sharpens the reason of a rejection they cause.
 */
import type { IssuerProfile, JsonObject } from '../types.js';
import { reject } from './token-rejection.js';
import { ownMember } from '../identity/claim-path.js';

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/** Whether a payload is clearly not an access token of the profile's issuer family. */
export function isOtherTokenKind(payload: JsonObject, profile: IssuerProfile): boolean {
  switch (profile) {
    case 'entra':
      return !isNonEmptyString(ownMember(payload, 'azp')) && !isNonEmptyString(ownMember(payload, 'appid'));
    case 'keycloak':
      return ownMember(payload, 'typ') !== 'Bearer';
    case 'cognito':
      return ownMember(payload, 'token_use') !== 'access';
    default:
      return false;
  }
}

/**
 * Refuses, as `token_type_invalid`, a verified Entra token that names no calling application (see above).
 * Other families' token kinds are enforced by their presets' `requiredClaims`.
 */
export function checkTokenKind(payload: JsonObject, profile: IssuerProfile): void {
  if (profile === 'entra' && isOtherTokenKind(payload, profile)) reject('token_type_invalid');
}
