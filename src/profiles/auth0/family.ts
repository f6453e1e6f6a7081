/**
 * Auth0: scopes in `scope` and RBAC `permissions` (the API's permissions are its scopes). Client-credentials
 * tokens carry `gty: "client-credentials"` and a `sub` of `<client id>@clients`.
 */
import { ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The Auth0 family. */
export const auth0Family = defineFamily({
  name: 'auth0',
  claims: { ...GENERIC_CLAIMS, scopes: ['scope', 'permissions'] },
  isAppOnly: (payload, clientId) =>
    ownMember(payload, 'gty') === 'client-credentials' || ownMember(payload, 'sub') === `${clientId}@clients`,
});
