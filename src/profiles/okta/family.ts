/** Okta custom authorization servers: `scp` as an array, the client in `cid`; app-only when `sub` is the client. */
import { ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The Okta family. */
export const oktaFamily = defineFamily({
  name: 'okta',
  claims: { ...GENERIC_CLAIMS, clientId: ['cid', 'client_id'] },
  isAppOnly: (payload, clientId) => ownMember(payload, 'sub') === clientId,
});
