/**
 * RFC 9068 JWT access tokens (OpenIddict, node-oidc-provider's JWT format, Duende IdentityServer…): the
 * generic claim locations, header `typ: at+jwt` (the preset requires it), app-only when `sub` is the client
 * (RFC 9068 §2.2 for grants without a resource owner).
 */
import { ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The RFC 9068 family. */
export const rfc9068Family = defineFamily({
  name: 'rfc9068',
  claims: GENERIC_CLAIMS,
  isAppOnly: (payload, clientId) => ownMember(payload, 'sub') === clientId,
});
