/**
 * Keycloak: realm roles in `realm_access.roles` (the preset adds the listed clients' roles), the client in
 * `client_id`/`azp`. Access tokens carry payload `typ: "Bearer"` (the preset requires it; ID, refresh and
 * logout tokens are told apart by it). A service account's username is `service-account-<client id>`.
 */
import { ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The Keycloak family. */
export const keycloakFamily = defineFamily({
  name: 'keycloak',
  claims: { ...GENERIC_CLAIMS, roles: ['realm_access.roles'], clientId: ['client_id', 'azp'] },
  isAppOnly: (payload, clientId) => ownMember(payload, 'preferred_username') === `service-account-${clientId}`,
  isOtherTokenKind: (payload) => ownMember(payload, 'typ') !== 'Bearer',
});
