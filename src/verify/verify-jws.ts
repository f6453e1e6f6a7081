/**
 * The path of a signed token (a JWS, or a JWE's content), stage after stage:
 *
 *   decode → header → issuer (selects the key source) → key → signature (and the key's own issuer)
 *   → claims (times, audience, required, access-token shape) → binding → identity → caller (allow-lists,
 *   then `validate`) → cache
 *
 * Up to the key it runs at once; a key fetch makes the rest wait. From the key on everything is
 * synchronous, but for a `validate` rule, a DPoP replay store or an introspection confirmation that answers
 * later. Each refusal goes through the pipeline's one `fail`, with the stage that decided it.
 */
import type { OutcomeStage } from '../events/verify-events.js';
import { shown } from '../events/debug-log.js';
import { ownMember, type JsonObject } from '../json.js';
import type { VerifyRequest } from '../request/verify-request.js';
import type { Binding } from './binding/check-binding.js';
import type { TokenCache } from './cache/token-cache.js';
import { checkCaller } from './caller/check-caller.js';
import { checkValidate } from './caller/check-validate.js';
import {
  describeAudience,
  describeCaller,
  describeHeader,
  describeIdentity,
  describeIssuer,
  describeKey,
  describeRequiredClaims,
  describeSignature,
  type CheckTrace,
} from './check-trace.js';
import { checkAudience } from './claims/check-audience.js';
import { checkRequiredClaims } from './claims/check-required-claims.js';
import { checkTimes, describeTimes, type TokenTimes } from './claims/check-times.js';
import type { VerifierConfig } from './config/verifier-config.js';
import { checkHeader } from './format/check-header.js';
import { decodeJws, type DecodedJws } from './format/decode-jws.js';
import type { TokenFormat } from './format/identify-format.js';
import type { AuthInfo } from './identity/auth-info.js';
import { readCaller, toAuthInfo } from './identity/to-auth-info.js';
import type { IssuerFamily } from './issuer-family.js';
import type { IssuerMatch, IssuerSelector } from './issuer/match-issuer.js';
import type { KeyEntry } from './keys/jwk-set.js';
import { keyChangeCount } from './keys/key-changes.js';
import { isKeyMiss, type KeyMiss } from './keys/key-store.js';
import type { KeySource } from './keys/key-source.js';
import type { Outcomes } from './pipeline-outcomes.js';
import { reject } from './rejection.js';
import { checkKeyIssuer } from './signature/check-key-issuer.js';
import { verifySignature } from './signature/verify-signature.js';

/** What the path needs from the pipeline. */
export interface JwsPathParts {
  readonly config: VerifierConfig;
  readonly family: IssuerFamily;
  readonly issuers: IssuerSelector<KeySource>;
  readonly cache: TokenCache | undefined;
  readonly binding: Binding;
  readonly outcomes: Outcomes;
  /** Accepts once the binding's replay check (`bound`) and an introspection confirmation have settled. */
  readonly acceptChecked: (
    auth: AuthInfo,
    token: string,
    nowMs: number,
    request: VerifyRequest | undefined,
    cached: boolean,
    bound: Promise<void> | undefined,
    trace: CheckTrace | undefined,
  ) => AuthInfo | Promise<AuthInfo>;
}

/**
 * Verifies the JWS `jwsText` of the token `token` as sent (the same string for a JWS; a JWE's content
 * otherwise), `allowed` narrowing the issuers when an issuer resolver answered for the request.
 */
export type VerifyJws = (
  token: string,
  jwsText: string,
  format: TokenFormat,
  request: VerifyRequest | undefined,
  nowMs: number,
  trace: CheckTrace | undefined,
  allowed: ReadonlySet<string> | undefined,
) => AuthInfo | Promise<AuthInfo>;

/** A token that passed the format and issuer stages, waiting for its key. */
interface Matched {
  /** The token as sent (a JWE's outer token: the cache key, `AuthInfo.token` and the DPoP `ath`). */
  readonly token: string;
  readonly format: TokenFormat;
  readonly jws: DecodedJws;
  readonly alg: string;
  readonly issuer: string;
  readonly source: KeySource;
  readonly kid: string | undefined;
  /** `keyChangeCount()` before the key was selected (for the cache). */
  readonly keyChanges: number;
}

function describeIssuerMiss(match: Extract<IssuerMatch<unknown>, { matched: false }>, payload: JsonObject, issuers: readonly string[]): string {
  const iss = shown(ownMember(payload, 'iss'));
  const tid = shown(ownMember(payload, 'tid'));
  if (match.reason === 'issuer_mismatch') return `iss ${iss} is not one of ${shown(issuers)}`;
  if (match.reason === 'tenant_mismatch') return `tid ${tid} is not the tenant iss ${iss} names`;
  return `tid ${tid} is excluded`;
}

/** The JWS path of one pipeline. */
export function createJwsPath(parts: JwsPathParts): VerifyJws {
  const { config, family, issuers, cache, binding, outcomes, acceptChecked } = parts;
  const { claims, caller, locations } = config;
  const { fail } = outcomes;

  /** Caches an accepted verification, then accepts it. */
  const keep = (
    matched: Matched,
    key: KeyEntry,
    auth: AuthInfo,
    times: TokenTimes,
    nowMs: number,
    request: VerifyRequest | undefined,
    bound: Promise<void> | undefined,
    trace: CheckTrace | undefined,
  ): AuthInfo | Promise<AuthInfo> => {
    if (cache !== undefined) {
      const { token, source, alg, kid, keyChanges } = matched;
      cache.set(token, { auth, times, key, source, alg, kid, keyChanges }, nowMs, claims.toleranceSec);
    }
    return acceptChecked(auth, matched.token, nowMs, request, false, bound, trace);
  };

  /** From the key on. */
  const finish = (
    matched: Matched,
    found: KeyEntry | KeyMiss,
    request: VerifyRequest | undefined,
    trace: CheckTrace | undefined,
  ): AuthInfo | Promise<AuthInfo> => {
    const { token, format, jws, alg } = matched;
    const { payload } = jws;
    const encrypted = format === 'jwe';
    let stage: OutcomeStage = 'key';
    try {
      if (isKeyMiss(found)) {
        if (found.miss === 'unavailable') outcomes.unavailable(found);
        reject(found.miss === 'ambiguous' ? 'key_ambiguous' : 'key_not_found', found.detail);
      }
      trace?.passed(stage, describeKey(found, alg));
      stage = 'signature';
      if (!verifySignature(alg, found, jws.signingInput, jws.signature)) {
        reject('signature_invalid', () => `the signature does not verify with key ${shown(found.kid)} (${alg})`);
      }
      if (config.validateKeyIssuer) checkKeyIssuer(found, matched.issuer, ownMember(payload, 'tid'), config.issuers, family);
      trace?.passed(stage, describeSignature(found, alg, matched.issuer, config.validateKeyIssuer));
      stage = 'claims';
      const nowMs = Date.now();
      const times = checkTimes(payload, nowMs / 1000, claims);
      trace?.passed(stage, describeTimes(times, nowMs / 1000, claims));
      const audience = checkAudience(payload, claims);
      trace?.passed(stage, describeAudience(payload, claims));
      checkRequiredClaims(payload, claims);
      if (claims.requiredClaims.length > 0) trace?.passed(stage, describeRequiredClaims(claims));
      const shape = family.checkAccessToken(payload);
      if (shape !== undefined) reject(shape, () => `not an access token of the ${family.name} family`);
      stage = 'binding';
      const bound = binding.check(token, payload, request, nowMs);
      trace?.passed(stage, Object.hasOwn(payload, 'cnf') ? "the token's binding holds for this request" : 'no cnf claim: a plain Bearer token');
      stage = 'identity';
      const { clientId, tenantId } = readCaller(payload, locations);
      const verified = { token, format, header: jws.header, payload, issuer: matched.issuer, audience, clientId, tenantId, exp: times.exp };
      const auth = toAuthInfo(verified, locations, family, config.issuedBy);
      trace?.passed(stage, describeIdentity(clientId, tenantId));
      stage = 'caller';
      checkCaller(clientId, tenantId, caller);
      trace?.passed(stage, describeCaller(clientId, tenantId, caller));
      const pending = config.validate === undefined ? undefined : checkValidate(config.validate, payload, jws.header);
      if (pending === undefined) return keep(matched, found, auth, times, nowMs, request, bound, trace);
      return pending.then(
        () => keep(matched, found, auth, times, nowMs, request, bound, trace),
        (error: unknown) => fail(error, 'caller', payload, request, trace, encrypted),
      );
    } catch (error) {
      return fail(error, stage, payload, request, trace, encrypted);
    }
  };

  return (token, jwsText, format, request, nowMs, trace, allowed) => {
    let stage: OutcomeStage = 'format';
    let payload: JsonObject | undefined;
    let matched: Matched;
    let found: KeyEntry | KeyMiss | Promise<KeyEntry | KeyMiss>;
    try {
      const jws = decodeJws(jwsText);
      payload = jws.payload;
      const { alg, kid } = checkHeader(jws.header, config.header);
      trace?.passed(stage, describeHeader(jwsText.length, jws.header, alg, config.header));
      stage = 'issuer';
      const match = issuers.match(ownMember(payload, 'iss'), ownMember(payload, 'tid'), allowed);
      if (!match.matched) {
        const decoded = payload;
        reject(match.reason, () => describeIssuerMiss(match, decoded, allowed === undefined ? config.issuers : [...allowed]));
      }
      trace?.passed(stage, describeIssuer(match.issuer, match.rule, ownMember(payload, 'tid')));
      stage = 'key';
      matched = { token, format, jws, alg, issuer: match.issuer, source: match.rule.target, kid, keyChanges: keyChangeCount() };
      found = match.rule.target.select(alg, kid, nowMs);
    } catch (error) {
      return fail(error, stage, payload, request, trace, format === 'jwe');
    }
    if (found instanceof Promise) return found.then((entry) => finish(matched, entry, request, trace));
    return finish(matched, found, request, trace);
  };
}
