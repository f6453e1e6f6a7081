/**
 * Microsoft Entra ID: delegated scopes in `scp`, app permissions in `roles`, the caller in `azp` (v2.0) or
 * `appid` (v1.0), the tenant in `tid`. Entra writes no `client_id`: a claim of that name (a claims-mapping
 * policy) never names the caller.
 *
 * An access token always names the calling application; an ID token never does. A v2.0 ID token of an app
 * registration that is also the API carries the API's client id as `aud`, `roles` and no `scp`, so without
 * this rule it would pass as an app-only access token: a verified Entra token without `azp`/`appid` is
 * refused as `token_type_invalid`. App-only: a calling application and no delegated `scp`. A single-tenant
 * issuer names its tenant, which its tokens' `tid` must equal.
 */
import { isNonEmptyString, ownMember } from '../../json.js';
import { GENERIC_CLAIMS } from '../../verify/identity/claim-locations.js';
import { TENANT_PLACEHOLDER } from '../../verify/issuer/match-issuer.js';
import { defineFamily } from '../define-family.js';
import { parseEntraIssuer } from './entra-issuer.js';

/** The Microsoft Entra ID family. */
export const entraFamily = defineFamily({
  name: 'entra',
  claims: { ...GENERIC_CLAIMS, scopes: ['scp'], clientId: ['azp', 'appid'] },
  isAppOnly: (payload) => !Object.hasOwn(payload, 'scp'),
  isOtherTokenKind: (payload) => !isNonEmptyString(ownMember(payload, 'azp')) && !isNonEmptyString(ownMember(payload, 'appid')),
  refuseOtherTokenKinds: true,
  tenantOfIssuer: (issuer) => (issuer.includes(TENANT_PLACEHOLDER) ? undefined : parseEntraIssuer(issuer)?.tenant),
  alwaysEntraDiagnostics: true,
});
