/**
 * Whether a token was issued to an application acting as itself (client credentials) rather than on
 * behalf of a user. Rules, first that applies wins:
 * 1. Entra's optional `idtyp` claim: `app` or `user`.
 * 2. Auth0's `gty: "client-credentials"`.
 * 3. A delegated scope claim `scp` means a user is involved.
 * 4. An Entra token (`tid` present) without `scp` is app-only (its app permissions are in `roles`).
 * 5. `sub` equal to the client id (RFC 9068 §2.2 for grants without a resource owner; also
 *    `<client id>@clients` as Auth0 spells it).
 * 6. Keycloak (profile `keycloak`): `preferred_username` is `service-account-<client id>`.
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
  if (Object.hasOwn(payload, 'scp')) return false;
  if (typeof payload.tid === 'string') return true;
  if (clientId === undefined) return false;
  if (sub === clientId || sub === `${clientId}@clients`) return true;
  return profile === 'keycloak' && payload.preferred_username === `service-account-${clientId}`;
}
