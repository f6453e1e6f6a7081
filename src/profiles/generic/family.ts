/**
 * The generic family: any OAuth 2.0 issuer (node-oidc-provider, Duende, in-house servers). A token is
 * app-only when its `sub` is its client id (RFC 9068 §2.2 for grants without a resource owner).
 */
import { ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The generic issuer family. */
export const genericFamily = defineFamily({
  name: 'generic',
  claims: GENERIC_CLAIMS,
  isAppOnly: (payload, clientId) => ownMember(payload, 'sub') === clientId,
});
