/**
 * Whether a token was issued to an application acting as itself (client credentials) rather than on
 * behalf of a user. Rules, first that applies wins:
 * 1. Entra's optional `idtyp` claim: `app` or `user`.
 * 2. Auth0's `gty: "client-credentials"`.
 * 3. An Entra token (profile `entra`, or a `tid` claim): app-only exactly when it has no delegated `scp`
 *    (its application permissions are in `roles`).
 * 4. `sub` equal to the client id: RFC 9068 §2.2 for grants without a resource owner, Okta (`cid`),
 *    Amazon Cognito, node-oidc-provider, OpenIddict; also `<client id>@clients` as Auth0 spells it.
 * 5. Keycloak (profile `keycloak`): `preferred_username` is `service-account-<client id>`.
 * Anything else (no client id, a user's `sub`) is not app-only.
 */
import type { IssuerProfile, JsonObject } from '../types.js';

/** Applies the rules above to a verified payload. */
export function isAppOnlyToken(
  payload: Readonly<JsonObject>,
  clientId: string | undefined,
  profile: IssuerProfile,
): boolean {
  const { idtyp, gty, sub } = payload;
  if (idtyp === 'app') return true;
  if (idtyp === 'user') return false;
  if (gty === 'client-credentials') return true;
  if (profile === 'entra' || typeof payload.tid === 'string') return !Object.hasOwn(payload, 'scp');
  if (clientId === undefined) return false;
  if (sub === clientId || sub === `${clientId}@clients`) return true;
  return profile === 'keycloak' && payload.preferred_username === `service-account-${clientId}`;
}
