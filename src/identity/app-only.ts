/**
 * Whether a token was issued to an application acting as itself (client credentials) rather than on
 * behalf of a user. Every issuer family marks this differently, so the rule follows the verifier's
 * profile; a claim another family uses means nothing here (an Auth0 or Keycloak token may well carry a
 * custom `tid`).
 *
 * 1. Any profile: the `idtyp` claim when present (`app` or `user`; Entra's optional claim, honoured
 *    wherever an issuer writes it).
 * 2. Then, per profile:
 *    - `entra`: the token names its calling application (`azp`/`appid`) and has no delegated `scp` (its
 *      application permissions are in `roles`);
 *    - `auth0`: `gty: "client-credentials"`, or `sub` equal to `<client id>@clients`;
 *    - `keycloak`: `preferred_username` is `service-account-<client id>`;
 *    - `okta`, `cognito` and `generic` (RFC 9068 §2.2 for grants without a resource owner,
 *      node-oidc-provider, OpenIddict): `sub` equal to the client id.
 * Anything else (no client id, a user's `sub`) is not app-only.
 */
import type { IssuerProfile, JsonObject } from '../types.js';
import { ownMember } from './claim-path.js';

/** Applies the rules above to a verified payload; `clientId` is the resolved calling application. */
export function isAppOnlyToken(
  payload: Readonly<JsonObject>,
  clientId: string | undefined,
  profile: IssuerProfile,
): boolean {
  const idtyp = ownMember(payload, 'idtyp');
  const sub = ownMember(payload, 'sub');
  if (idtyp === 'app') return true;
  if (idtyp === 'user') return false;
  if (clientId === undefined) return false;
  switch (profile) {
    case 'entra':
      return !Object.hasOwn(payload, 'scp');
    case 'auth0':
      return ownMember(payload, 'gty') === 'client-credentials' || sub === `${clientId}@clients`;
    case 'keycloak':
      return ownMember(payload, 'preferred_username') === `service-account-${clientId}`;
    default:
      return sub === clientId;
  }
}
