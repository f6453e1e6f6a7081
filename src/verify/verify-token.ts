/**
 * The verification pipeline: the order of the stages, written once.
 *
 *   size → cache hit? → format (identify, decode, header) → issuer (selects the key source) → key
 *   → signature (and the key's own issuer) → claims (times, audience, required, access-token shape)
 *   → binding → identity → caller rules → cache
 *
 * Each stage is a function in a file of its own; this module only calls them in order, tracks which stage
 * is deciding, and is the one place where a stage's refusal becomes a typed error (with the verifier's
 * realm, the family's sharper reason, an outcome event and a debug line). Everything after key selection is
 * synchronous, so a token whose key is cached is verified without awaiting anything; only a key fetch makes
 * the result wait.
 */
import { AuthError, InvalidTokenError, KeysUnavailableError } from '../errors/auth-errors.js';
import { debug, debugEnabled, shown } from '../events/debug-log.js';
import { hasVerifyListeners, publishVerifyEvent, type OutcomeStage } from '../events/verify-events.js';
import { ownMember, type JsonObject } from '../json.js';
import { pathOf, type VerifyRequest } from '../request/verify-request.js';
import { checkBinding } from './binding/check-binding.js';
import type { TokenCache } from './cache/token-cache.js';
import { checkCaller } from './caller/check-caller.js';
import { checkAudience } from './claims/check-audience.js';
import { checkRequiredClaims } from './claims/check-required-claims.js';
import { checkTimes, describeTimes, judgeTimes } from './claims/check-times.js';
import type { VerifierConfig } from './config/verifier-config.js';
import { checkHeader } from './format/check-header.js';
import { decodeJws, type DecodedJws } from './format/decode-jws.js';
import { identifyFormat } from './format/identify-format.js';
import type { AuthInfo } from './identity/auth-info.js';
import type { IssuedBy } from './identity/issued-identity.js';
import { readCaller, toAuthInfo } from './identity/to-auth-info.js';
import type { IssuerFamily } from './issuer-family.js';
import type { IssuerMatch, IssuerMatcher } from './issuer/match-issuer.js';
import type { KeyEntry } from './keys/jwk-set.js';
import { isKeyMiss, type KeyMiss } from './keys/key-store.js';
import type { KeySource } from './keys/key-source.js';
import { reject, TokenRejection } from './rejection.js';
import { checkKeyIssuer } from './signature/check-key-issuer.js';
import { verifySignature } from './signature/verify-signature.js';

/** What the pipeline is assembled from. */
export interface PipelineParts {
  readonly config: VerifierConfig;
  readonly family: IssuerFamily;
  readonly issuers: IssuerMatcher<KeySource>;
  readonly cache: TokenCache | undefined;
  /** What the identities of this verifier are tagged with (realm, challenge auth-params, resource…). */
  readonly issuedBy: IssuedBy;
}

/** Verifies a token, synchronously when no key fetch is needed; throws (or rejects with) an `AuthError`. */
export type VerifyNow = (token: string, request?: VerifyRequest) => AuthInfo | Promise<AuthInfo>;

/** A token that passed the format and issuer stages, waiting for its key. */
interface Matched {
  readonly token: string;
  readonly jws: DecodedJws;
  readonly alg: string;
  readonly issuer: string;
  readonly source: KeySource;
}

function describeIssuerMiss(match: Extract<IssuerMatch<unknown>, { matched: false }>, payload: JsonObject, issuers: readonly string[]): string {
  const iss = shown(ownMember(payload, 'iss'));
  const tid = shown(ownMember(payload, 'tid'));
  if (match.reason === 'issuer_mismatch') return `iss ${iss} is not one of ${shown(issuers)}`;
  if (match.reason === 'tenant_mismatch') return `tid ${tid} is not the tenant iss ${iss} names`;
  return `tid ${tid} is excluded`;
}

/** Assembles the pipeline of one verifier. */
export function createPipeline(parts: PipelineParts): VerifyNow {
  const { config, family, issuers, cache, issuedBy } = parts;
  const { realm, authParams, claims, caller, locations } = config;

  /** Publishes an outcome event for `request`, when somebody listens. */
  const place = (request: VerifyRequest | undefined): { method?: string; path?: string } => {
    if (request === undefined) return {};
    const method = request.method;
    const path = pathOf(request.url);
    return { ...(method === undefined ? {} : { method }), ...(path === undefined ? {} : { path }) };
  };

  /** Turns a stage's refusal into the typed error, publishes it, and throws it. Rethrows what is not a refusal. */
  const fail = (error: unknown, stage: OutcomeStage, payload: JsonObject | undefined, request: VerifyRequest | undefined): never => {
    let failure: AuthError;
    let detail: string | undefined;
    if (error instanceof TokenRejection) {
      const reason = payload === undefined ? error.reason : family.refineRejection(error.reason, payload, config.issuers);
      failure = new InvalidTokenError(reason, { realm, authParams });
      if (debugEnabled() && error.detail !== undefined) detail = error.detail();
    } else if (error instanceof AuthError) {
      failure = error;
      if (debugEnabled() && failure.cause instanceof Error) detail = failure.cause.message;
    } else {
      throw error; // a bug, not a bad token: never disguise it as a 401
    }
    if (hasVerifyListeners()) {
      publishVerifyEvent({ type: 'rejected', stage, status: failure.status, reason: failure.reason, ...place(request) });
    }
    if (debugEnabled()) {
      const where = place(request);
      const at = where.method === undefined ? '' : ` (${where.method} ${where.path ?? ''})`;
      debug(`${failure.status} ${failure.reason} at ${stage}${detail === undefined ? '' : `: ${detail}`}${at}`);
    }
    throw failure;
  };

  const accepted = (auth: AuthInfo, cached: boolean, request: VerifyRequest | undefined): AuthInfo => {
    if (hasVerifyListeners()) {
      publishVerifyEvent({ type: 'accepted', cached, issuer: auth.issuer, clientId: auth.clientId, ...place(request) });
    }
    return auth;
  };

  const unavailable = (miss: KeyMiss): never => {
    throw new KeysUnavailableError(miss.resource === 'metadata' ? 'metadata_unavailable' : 'jwks_unavailable', {
      realm,
      retryAfterSeconds: (miss.retryAfterMs ?? 5000) / 1000,
      cause: miss.cause,
    });
  };

  /** From the key on: synchronous. */
  const finish = (matched: Matched, found: KeyEntry | KeyMiss, request: VerifyRequest | undefined): AuthInfo => {
    const { token, jws, alg } = matched;
    const { payload } = jws;
    let stage: OutcomeStage = 'key';
    try {
      if (isKeyMiss(found)) {
        if (found.miss === 'unavailable') unavailable(found);
        reject(found.miss === 'ambiguous' ? 'key_ambiguous' : 'key_not_found', found.detail);
      }
      stage = 'signature';
      if (!verifySignature(alg, found, jws.signingInput, jws.signature)) {
        reject('signature_invalid', () => `the signature does not verify with key ${shown(found.kid)} (${alg})`);
      }
      if (config.validateKeyIssuer) {
        checkKeyIssuer(found, matched.issuer, ownMember(payload, 'tid'), config.issuers, family);
      }
      stage = 'claims';
      const nowMs = Date.now();
      const times = checkTimes(payload, nowMs / 1000, claims);
      const audience = checkAudience(payload, claims);
      checkRequiredClaims(payload, claims);
      const shape = family.checkAccessToken(payload);
      if (shape !== undefined) reject(shape, () => `not an access token of the ${family.name} family`);
      stage = 'binding';
      checkBinding(payload, request);
      stage = 'identity';
      const { clientId, tenantId } = readCaller(payload, locations);
      const auth = toAuthInfo(
        { token, format: 'jws', header: jws.header, payload, issuer: matched.issuer, audience, clientId, tenantId, exp: times.exp },
        locations,
        family,
        issuedBy,
      );
      stage = 'caller';
      checkCaller(clientId, tenantId, caller);
      if (cache !== undefined) cache.set(token, { auth, times, key: found, source: matched.source }, nowMs, claims.toleranceSec);
      return accepted(auth, false, request);
    } catch (error) {
      return fail(error, stage, payload, request);
    }
  };

  return (token, request) => {
    let stage: OutcomeStage = 'format';
    let payload: JsonObject | undefined;
    let matched: Matched;
    let found: KeyEntry | KeyMiss | Promise<KeyEntry | KeyMiss>;
    try {
      if (typeof token !== 'string' || token === '') reject('token_malformed', () => 'the token is empty');
      if (token.length > config.maxTokenLength) {
        reject('token_too_large', () => `${token.length} characters, more than maxTokenLength ${config.maxTokenLength}`);
      }
      const nowMs = Date.now();
      if (cache !== undefined) {
        const hit = cache.lookup(token, nowMs);
        if (hit !== undefined) {
          stage = 'claims';
          const problem = judgeTimes(hit.times, nowMs / 1000, claims);
          if (problem !== undefined) {
            cache.drop(hit);
            reject(problem, () => describeTimes(hit.times, nowMs / 1000, claims));
          }
          // Hits bypass key lookups, so they keep the key set's refresh schedule themselves: a key the issuer
          // removed stops serving at the next refresh, however busy the cache is.
          if (nowMs >= hit.key.freshUntil) hit.source.touch(nowMs);
          return accepted(hit.auth, true, request);
        }
      }
      const format = identifyFormat(token);
      if (format === 'jwe') reject('token_encrypted', () => 'a JWE (five segments), and no decryption keys are configured');
      if (format === 'opaque') reject('token_malformed', () => 'not a JWT (an opaque token?), and no introspection is configured');
      const jws = decodeJws(token);
      payload = jws.payload;
      const { alg, kid } = checkHeader(jws.header, config.header);
      stage = 'issuer';
      const match = issuers.match(ownMember(payload, 'iss'), ownMember(payload, 'tid'));
      if (!match.matched) {
        const decoded = payload;
        reject(match.reason, () => describeIssuerMiss(match, decoded, config.issuers));
      }
      stage = 'key';
      matched = { token, jws, alg, issuer: match.issuer, source: match.rule.target };
      found = match.rule.target.select(alg, kid, nowMs);
    } catch (error) {
      return fail(error, stage, payload, request);
    }
    if (found instanceof Promise) return found.then((entry) => finish(matched, entry, request));
    return finish(matched, found, request);
  };
}
