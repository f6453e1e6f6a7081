/**
 * Builds an {@link IssuerFamily} from a family's own rules, filling in what every family shares:
 *
 * - `isAppOnly`: the `idtyp` claim decides when present (`app` or `user`; Entra's optional claim, honoured
 *   wherever an issuer writes it); a token naming no calling application is never app-only; then the
 *   family's own rule.
 * - `isIssuerAlias`: Entra's v1.0/v2.0 issuer pairing, which only ever matches Entra's exact issuer shapes.
 * - `refineRejection`: the family's own refinement first (B2C: another tenant), then a token of another kind
 *   (ID, refresh, logout token) by the family's own marks, then the Entra diagnostics for Entra-shaped
 *   tokens, whatever the family (a Graph token or a v1.0 token sent to an API configured by hand is still
 *   explained).
 */
import type { InvalidTokenReason } from '../errors/reasons.js';
import { ownMember, type JsonObject } from '../json.js';
import type { ClaimLocationLists } from '../verify/identity/claim-types.js';
import type { IssuerFamily, IssuerProfile } from '../verify/issuer-family.js';
import { isEntraShaped, isGraphToken, refineEntraRejection } from './entra/diagnose.js';
import { isV1IssuerOf } from './entra/entra-issuer.js';

/** A family's own rules; everything else is shared (see above). */
export interface FamilyRules {
  readonly name: IssuerProfile;
  readonly claims: ClaimLocationLists;
  /** The family's app-only rule, asked only for tokens that name a calling application and carry no `idtyp`. */
  isAppOnly(payload: Readonly<JsonObject>, clientId: string): boolean;
  /** True for a token of the family that is not an access token (told by its own marks). @default never */
  isOtherTokenKind?(payload: JsonObject): boolean;
  /** Refuse verified tokens that {@link FamilyRules.isOtherTokenKind} flags, as `token_type_invalid`. @default false */
  readonly refuseOtherTokenKinds?: boolean;
  /** See {@link IssuerFamily.tenantOfIssuer}. @default none */
  tenantOfIssuer?(issuer: string): string | undefined;
  /** Apply the Entra diagnostics to every token, not only to Entra-shaped ones. @default false */
  readonly alwaysEntraDiagnostics?: boolean;
  /** The family's own sharper reason for a rejection, asked before the shared diagnostics. @default none */
  refineRejection?(reason: InvalidTokenReason, payload: JsonObject, configuredIssuers: readonly string[]): InvalidTokenReason | undefined;
}

/** Reasons a token of the wrong kind (ID token…) typically gets. */
const KIND_REFINABLE = new Set<InvalidTokenReason>(['audience_mismatch', 'claim_missing', 'claim_invalid']);

/** The {@link IssuerFamily} of `rules`. */
export function defineFamily(rules: FamilyRules): IssuerFamily {
  const isOtherTokenKind = rules.isOtherTokenKind ?? ((): boolean => false);
  return Object.freeze({
    name: rules.name,
    claims: rules.claims,
    tenantOfIssuer: (issuer: string) => rules.tenantOfIssuer?.(issuer),
    checkAccessToken: (payload: JsonObject): InvalidTokenReason | undefined =>
      rules.refuseOtherTokenKinds === true && isOtherTokenKind(payload) ? 'token_type_invalid' : undefined,
    isAppOnly(payload: Readonly<JsonObject>, clientId: string | undefined): boolean {
      const idtyp = ownMember(payload, 'idtyp');
      if (idtyp === 'app') return true;
      if (idtyp === 'user' || clientId === undefined) return false;
      return rules.isAppOnly(payload, clientId);
    },
    isIssuerAlias: isV1IssuerOf,
    refineRejection(reason: InvalidTokenReason, payload: JsonObject, configuredIssuers: readonly string[]): InvalidTokenReason {
      const own = rules.refineRejection?.(reason, payload, configuredIssuers);
      if (own !== undefined) return own;
      if (KIND_REFINABLE.has(reason) && isOtherTokenKind(payload) && !isGraphToken(payload)) return 'token_type_invalid';
      if (rules.alwaysEntraDiagnostics !== true && !isEntraShaped(payload)) return reason;
      return refineEntraRejection(reason, payload, configuredIssuers);
    },
  });
}
