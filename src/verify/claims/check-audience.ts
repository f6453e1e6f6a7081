/**
 * The audience (RFC 7519 §4.1.3, RFC 9068 §4): `aud` must contain a configured audience. With a protected
 * resource configured (RFC 8707, RFC 9728), an `aud` naming it in another spelling also passes: both are
 * compared once brought to one spelling (`resource-uri.ts`). For issuers whose access tokens carry no `aud`
 * (Amazon Cognito), `client_id` is checked instead and an `aud` is refused.
 */
import { shown } from '../../events/debug-log.js';
import { ownMember, type JsonObject } from '../../json.js';
import { reject } from '../rejection.js';
import type { ClaimPolicy } from './claim-policy.js';
import { normalizeResourceUri } from './resource-uri.js';

/** True when one of `values` names the configured resource once normalised (exact matches are tried first). */
function namesResource(values: readonly string[], resource: string | undefined): boolean {
  return resource !== undefined && values.some((value) => normalizeResourceUri(value) === resource);
}

/** Checks the audience and returns the token's audiences (`aud` as an array of its strings). */
export function checkAudience(payload: JsonObject, policy: ClaimPolicy): readonly string[] {
  const aud = ownMember(payload, 'aud');
  if (policy.audienceClaim === 'client_id') {
    // Only for issuers whose access tokens carry no `aud` (Cognito); a token with one is something else.
    const clientId = ownMember(payload, 'client_id');
    if (aud !== undefined || typeof clientId !== 'string' || !policy.audiences.has(clientId)) {
      reject('audience_mismatch', () =>
        aud !== undefined
          ? `aud ${shown(aud)} is present, but audienceClaim is "client_id"`
          : `client_id ${shown(clientId)} is not one of ${shown([...policy.audiences])}`,
      );
    }
    return [];
  }
  const values = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud.filter((v) => typeof v === 'string') : [];
  if (!values.some((value) => policy.audiences.has(value)) && !namesResource(values, policy.resource)) {
    reject('audience_mismatch', () => {
      const spelled = policy.resource === undefined ? '' : ` (nor ${shown(policy.resource)} once normalised)`;
      return `aud ${shown(aud)} has none of ${shown([...policy.audiences])}${spelled}`;
    });
  }
  return values;
}
