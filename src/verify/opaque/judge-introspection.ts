/**
 * Judging an introspection answer, once, when it arrives (the cache keeps the verdict, not the answer):
 * an opaque token is judged like a JWT's claims, with the rules RFC 7662 calls for:
 *
 * - `active: false` → `token_inactive`;
 * - `iss`, when present, must be the configured issuer (`issuer_mismatch`);
 * - `exp` is required (`claim_missing`); `exp`, `nbf` and `iat` are read here and judged against the clock
 *   on every use (`token_expired`, `token_not_yet_valid`…, with `clockTolerance`);
 * - `aud`, when present, must name a configured audience (`audience_mismatch`); a response without `aud`
 *   is accepted: RFC 7662 makes it optional, and the authorization server answered for this resource
 *   server's own credentials. `requiredClaims` apply as to a JWT;
 * - the identity is read through the configured claim locations (`client_id`, `scope`, `sub`…), with
 *   `format: 'opaque'` and an empty `header`; the caller allow-lists apply.
 *
 * A JWT introspected for revocation (`tokens: 'all'`) keeps the identity of its local verification: only
 * `active` is read.
 */
import { shown } from '../../events/debug-log.js';
import type { OutcomeStage } from '../../events/verify-events.js';
import type { IntrospectionAnswer } from '../../introspection/introspection-answer.js';
import { ownMember, type JsonObject } from '../../json.js';
import { checkCaller } from '../caller/check-caller.js';
import type { ClaimPolicy } from '../claims/claim-policy.js';
import { checkAudience } from '../claims/check-audience.js';
import { checkRequiredClaims } from '../claims/check-required-claims.js';
import { readTimes, type TokenTimes } from '../claims/check-times.js';
import type { VerifierConfig } from '../config/verifier-config.js';
import { identifyFormat } from '../format/identify-format.js';
import type { AuthInfo } from '../identity/auth-info.js';
import { readCaller, toAuthInfo } from '../identity/to-auth-info.js';
import type { IssuerFamily } from '../issuer-family.js';
import { reject, TokenRejection } from '../rejection.js';

/** What an introspection answer was judged to be. */
export type JudgedAnswer =
  /** `active: false`. */
  | { readonly kind: 'inactive' }
  /** An active JWT (`tokens: 'all'`): its identity is that of its local verification. */
  | { readonly kind: 'active' }
  /** An active opaque token refused by a rule that does not depend on the clock or the request. */
  | { readonly kind: 'refused'; readonly stage: OutcomeStage; readonly rejection: TokenRejection }
  /** An active opaque token: its identity, and what is judged again on every use. */
  | { readonly kind: 'accepted'; readonly auth: AuthInfo; readonly times: TokenTimes; readonly payload: JsonObject };

const INACTIVE: JudgedAnswer = Object.freeze({ kind: 'inactive' });
const ACTIVE: JudgedAnswer = Object.freeze({ kind: 'active' });

/**
 * `aud`, when the response has one (RFC 7662 makes it optional), is judged as a JWT's (a configured audience,
 * or the resource once normalised); returns its strings.
 */
function checkIntrospectedAudience(payload: JsonObject, policy: ClaimPolicy): readonly string[] {
  if (ownMember(payload, 'aud') === undefined) return [];
  return checkAudience(payload, policy.audienceClaim === 'aud' ? policy : { ...policy, audienceClaim: 'aud' });
}

/** True when `payload` has no `name` member, or `null` there (Boruta writes `"sub": null`). */
const absent = (payload: Readonly<JsonObject>, name: string): boolean => ownMember(payload, name) === undefined || payload[name] === null;

/**
 * `family`, except that a response naming a calling application and no resource owner (no `sub`, no
 * `username`, no `idtyp`) is app-only: RFC 7662 `sub` and `username` describe the resource owner, and
 * client-credentials tokens have none.
 */
function introspectedFamily(family: IssuerFamily): IssuerFamily {
  return Object.freeze({
    ...family,
    isAppOnly(payload: Readonly<JsonObject>, clientId: string | undefined): boolean {
      const ownerless = absent(payload, 'sub') && absent(payload, 'username') && absent(payload, 'idtyp');
      return (clientId !== undefined && ownerless) || family.isAppOnly(payload, clientId);
    },
  });
}

/** The `prepare` of a verifier's introspector: judges each answer once. */
export function createIntrospectionJudge(
  config: VerifierConfig,
  family: IssuerFamily,
): (answer: IntrospectionAnswer, token: string) => JudgedAnswer {
  const { claims, locations, caller, issuedBy } = config;
  // Introspection is configured with exactly one issuer (resolve-options.ts refuses anything else).
  const issuer = config.introspection!.issuer;
  const identityFamily = introspectedFamily(family);
  return (answer, token) => {
    if (!answer.active) return INACTIVE;
    if (identifyFormat(token) !== 'opaque') return ACTIVE;
    const payload = answer.claims;
    let stage: OutcomeStage = 'issuer';
    try {
      const iss = ownMember(payload, 'iss');
      if (iss !== undefined && iss !== issuer) reject('issuer_mismatch', () => `iss ${shown(iss)} is not ${shown(issuer)}`);
      stage = 'claims';
      const times = readTimes(payload, claims);
      const audience = checkIntrospectedAudience(payload, claims);
      checkRequiredClaims(payload, claims);
      stage = 'identity';
      const { clientId, tenantId } = readCaller(payload, locations);
      const auth = toAuthInfo(
        { token, format: 'opaque', header: {}, payload, issuer, audience, clientId, tenantId, exp: times.exp },
        locations,
        identityFamily,
        issuedBy,
      );
      stage = 'caller';
      checkCaller(clientId, tenantId, caller);
      return { kind: 'accepted', auth, times, payload };
    } catch (error) {
      if (error instanceof TokenRejection) return { kind: 'refused', stage, rejection: error };
      throw error;
    }
  };
}
