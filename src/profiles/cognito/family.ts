/**
 * Amazon Cognito: scopes in `scope`, groups in `cognito:groups`, the app client in `client_id`; access
 * tokens carry `token_use: "access"` (the preset requires it; ID tokens are told apart by it). App-only when
 * `sub` is the client.
 */
import { ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { defineFamily } from '../define-family.js';

/** The Amazon Cognito family. */
export const cognitoFamily = defineFamily({
  name: 'cognito',
  claims: { ...GENERIC_CLAIMS, scopes: ['scope'], roles: ['cognito:groups'], clientId: ['client_id'] },
  isAppOnly: (payload, clientId) => ownMember(payload, 'sub') === clientId,
  isOtherTokenKind: (payload) => ownMember(payload, 'token_use') !== 'access',
});
