/**
 * OpenIddict: RFC 9068 access tokens (header `typ: at+jwt`, which the preset requires), encrypted by default.
 * Scopes in `scope`, roles in `role` (OpenIddict's claim name), the caller in `client_id`. Every OpenIddict
 * access token names its client: a verified token without `client_id` (an ID token) is refused as
 * `token_type_invalid`. App-only when `sub` is the client (the subject OpenIddict's client-credentials
 * handlers set).
 */
import { isNonEmptyString, ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The OpenIddict family. */
export const openIddictFamily = defineFamily({
  name: 'openiddict',
  claims: { ...GENERIC_CLAIMS, scopes: ['scope'], roles: ['role'], clientId: ['client_id'] },
  isAppOnly: (payload, clientId) => ownMember(payload, 'sub') === clientId,
  isOtherTokenKind: (payload) => !isNonEmptyString(ownMember(payload, 'client_id')),
  refuseOtherTokenKinds: true,
});
