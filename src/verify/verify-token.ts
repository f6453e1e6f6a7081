/**
 * The verification pipeline: the order of the stages, written once.
 *
 *   size → cache hit? (times, binding) → format (identify, decrypt a JWE, decode, header) → issuer (selects
 *   the key source) → key → signature (and the key's own issuer) → claims (times, audience, required,
 *   access-token shape) → binding → identity → caller rules → cache
 *   opaque tokens: size → format → introspection (cached; claims, binding, identity, caller judged on the
 *   answer, `opaque/`); with `introspection.tokens: 'all'` a JWT is also confirmed active after the above
 *
 * The binding (DPoP proof, client certificate) belongs to the request, not the token, so it is checked on
 * cache hits too; a replay store that answers later is one more thing a result may wait for.
 *
 * Each stage is a function in a file of its own; this module only calls them in order, tracks which stage
 * is deciding, and is the one place where a stage's refusal becomes a typed error (with the verifier's
 * realm, the family's sharper reason, an outcome event and a debug line). Everything after key selection is
 * synchronous, so a token whose key is cached is verified without awaiting anything; only a key fetch or a
 * JWE's decryption makes the result wait. A JWE's content goes through every stage a JWS does; the cache
 * keys on the token as sent. An optional {@link CheckTrace} hears every check, passed or refused
 * (`check-trace.ts`).
 */
import { AuthError, KeysUnavailableError } from '../errors/auth-errors.js';
import { isDpopProofReason } from '../errors/reasons.js';
import { debug, debugEnabled, shown } from '../events/debug-log.js';
import { hasVerifyListeners, publishVerifyEvent, type OutcomeStage } from '../events/verify-events.js';
import { ownMember, type JsonObject } from '../json.js';
import { pathOf, type VerifyRequest } from '../request/verify-request.js';
import type { Binding } from './binding/check-binding.js';
import { describeAudience, describeCaller, describeHeader, describeIdentity, describeIssuer, describeKey,
  describeRequiredClaims, describeSignature, type CheckTrace } from './check-trace.js';
import type { TokenCache } from './cache/token-cache.js';
import { checkCaller } from './caller/check-caller.js';
import { checkAudience } from './claims/check-audience.js';
import { checkRequiredClaims } from './claims/check-required-claims.js';
import { checkTimes, describeTimes, judgeTimes } from './claims/check-times.js';
import type { VerifierConfig } from './config/verifier-config.js';
import { checkHeader } from './format/check-header.js';
import { decodeJws, type DecodedJws } from './format/decode-jws.js';
import { createJweDecryptor } from './format/decrypt-jwe.js';
import { identifyFormat, type TokenFormat } from './format/identify-format.js';
import type { AuthInfo } from './identity/auth-info.js';
import { readCaller, toAuthInfo } from './identity/to-auth-info.js';
import type { IssuerFamily } from './issuer-family.js';
import type { IssuerMatch, IssuerMatcher } from './issuer/match-issuer.js';
import type { KeyEntry } from './keys/jwk-set.js';
import { keyChangeCount } from './keys/key-changes.js';
import { isKeyMiss, type KeyMiss } from './keys/key-store.js';
import type { KeySource } from './keys/key-source.js';
import type { JudgedAnswer } from './opaque/judge-introspection.js';
import { createOpaqueStage } from './opaque/opaque-stage.js';
import type { Introspector } from '../introspection/introspector.js';
import { reject, TokenRejection } from './rejection.js';
import { checkKeyIssuer } from './signature/check-key-issuer.js';
import { verifySignature } from './signature/verify-signature.js';

/** What the pipeline is assembled from. */
export interface PipelineParts {
  readonly config: VerifierConfig;
  readonly family: IssuerFamily;
  readonly issuers: IssuerMatcher<KeySource>;
  readonly cache: TokenCache | undefined;
  /** Opaque tokens (and, with `tokens: 'all'`, JWTs too) go to introspection; `undefined` refuses them. */
  readonly introspector?: Introspector<JudgedAnswer> | undefined;
  /** The binding stage (DPoP, mutual TLS), which also answers refusals with the right challenges. */
  readonly binding: Binding;
}

/**
 * Verifies a token, synchronously when no key fetch is needed; throws (or rejects with) an `AuthError`.
 * `trace` hears every check (the CLI's `verify`); `authenticate()` passes none.
 */
export type VerifyNow = (token: string, request?: VerifyRequest, trace?: CheckTrace) => AuthInfo | Promise<AuthInfo>;

/** A token that passed the format and issuer stages, waiting for its key. */
interface Matched {
  /** The token as sent (a JWE's outer token: the cache key and `AuthInfo.token`). */
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

/** Assembles the pipeline of one verifier. */
export function createPipeline(parts: PipelineParts): VerifyNow {
  const { config, family, issuers, cache, binding } = parts;
  const { realm, claims, caller, locations } = config;
  const decrypt = config.decryption === undefined ? undefined : createJweDecryptor(config.decryption);
  const requireEncrypted = config.decryption?.required === true;

  /** Publishes an outcome event for `request`, when somebody listens. */
  const place = (request: VerifyRequest | undefined): { method?: string; path?: string } => {
    if (request === undefined) return {};
    const method = request.method;
    const path = pathOf(request.url);
    return { ...(method === undefined ? {} : { method }), ...(path === undefined ? {} : { path }) };
  };

  /** Turns a stage's refusal into the typed error, publishes it, and throws it. Rethrows what is not a refusal. */
  const fail = (
    error: unknown,
    stage: OutcomeStage,
    payload: JsonObject | undefined,
    request: VerifyRequest | undefined,
    trace?: CheckTrace,
    encrypted = false,
  ): never => {
    let failure: AuthError;
    let detail: string | undefined;
    if (error instanceof TokenRejection) {
      const reason =
        payload === undefined || isDpopProofReason(error.reason) ? error.reason : family.refineRejection(error.reason, payload, config.issuers);
      // Once decryption is configured, no refusal of an encrypted token tells anything about its content.
      failure = binding.refuse(reason, request, encrypted && decrypt !== undefined);
      if ((debugEnabled() || trace !== undefined) && error.detail !== undefined) detail = error.detail();
    } else if (error instanceof AuthError) {
      failure = error;
      if ((debugEnabled() || trace !== undefined) && failure.cause instanceof Error) detail = failure.cause.message;
    } else {
      throw error; // a bug, not a bad token: never disguise it as a 401
    }
    trace?.refused(stage, failure, detail);
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

  /** Accepts once the binding stage's replay check (if it waits for a store) has settled. */
  const unavailable = (miss: KeyMiss): never => {
    throw new KeysUnavailableError(miss.resource === 'metadata' ? 'metadata_unavailable' : 'jwks_unavailable', {
      realm,
      retryAfterSeconds: (miss.retryAfterMs ?? 5000) / 1000,
      cause: miss.cause,
    });
  };

  const { introspector } = parts;
  const opaque = introspector === undefined ? undefined : createOpaqueStage({ introspector, claims, binding, fail, accepted });
  const confirm = opaque?.confirm;

  /**
   * Accepts `auth` once the replay store recorded the DPoP proof (`bound`) and, with `tokens: 'all'`, once the
   * introspection endpoint confirmed the token active.
   */
  const acceptChecked = (
    auth: AuthInfo,
    token: string,
    nowMs: number,
    request: VerifyRequest | undefined,
    cached: boolean,
    bound: Promise<void> | undefined,
    trace?: CheckTrace,
  ): AuthInfo | Promise<AuthInfo> => {
    const accept = (): AuthInfo | Promise<AuthInfo> =>
      confirm === undefined ? accepted(auth, cached, request) : confirm(auth, token, nowMs, request, cached);
    if (bound === undefined) return accept();
    return bound.then(accept, (error: unknown) => fail(error, 'binding', auth.payload, request, trace));
  };

  /** From the key on: synchronous (but for a replay store or an introspection confirmation answering later). */
  const finish = (
    matched: Matched,
    found: KeyEntry | KeyMiss,
    request: VerifyRequest | undefined,
    trace?: CheckTrace,
  ): AuthInfo | Promise<AuthInfo> => {
    const { token, format, jws, alg } = matched;
    const { payload } = jws;
    let stage: OutcomeStage = 'key';
    try {
      if (isKeyMiss(found)) {
        if (found.miss === 'unavailable') unavailable(found);
        reject(found.miss === 'ambiguous' ? 'key_ambiguous' : 'key_not_found', found.detail);
      }
      trace?.passed(stage, describeKey(found, alg));
      stage = 'signature';
      if (!verifySignature(alg, found, jws.signingInput, jws.signature)) {
        reject('signature_invalid', () => `the signature does not verify with key ${shown(found.kid)} (${alg})`);
      }
      if (config.validateKeyIssuer) {
        checkKeyIssuer(found, matched.issuer, ownMember(payload, 'tid'), config.issuers, family);
      }
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
      trace?.passed(stage, Object.hasOwn(payload, 'cnf') ? 'the token\'s binding holds for this request' : 'no cnf claim: a plain Bearer token');
      stage = 'identity';
      const { clientId, tenantId } = readCaller(payload, locations);
      const auth = toAuthInfo(
        { token, format, header: jws.header, payload, issuer: matched.issuer, audience, clientId, tenantId, exp: times.exp },
        locations,
        family,
        realm,
      );
      trace?.passed(stage, describeIdentity(clientId, tenantId));
      stage = 'caller';
      checkCaller(clientId, tenantId, caller);
      trace?.passed(stage, describeCaller(clientId, tenantId, caller));
      if (cache !== undefined) {
        const { source, kid, keyChanges } = matched;
        cache.set(token, { auth, times, key: found, source, alg, kid, keyChanges }, nowMs, claims.toleranceSec);
      }
      return acceptChecked(auth, token, nowMs, request, false, bound, trace);
    } catch (error) {
      return fail(error, stage, payload, request, trace, format === 'jwe');
    }
  };

  /** From decoding to the key: `token` as sent, `jwsText` the JWS (the token itself, or a JWE's content). */
  const verifyJws = (
    token: string,
    jwsText: string,
    format: TokenFormat,
    request: VerifyRequest | undefined,
    nowMs: number,
    trace?: CheckTrace,
  ): AuthInfo | Promise<AuthInfo> => {
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
      const match = issuers.match(ownMember(payload, 'iss'), ownMember(payload, 'tid'));
      if (!match.matched) {
        const decoded = payload;
        reject(match.reason, () => describeIssuerMiss(match, decoded, config.issuers));
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

  return (token, request, trace) => {
    let stage: OutcomeStage = 'format';
    let payload: JsonObject | undefined;
    let nowMs: number;
    try {
      if (typeof token !== 'string' || token === '') reject('token_malformed', () => 'the token is empty');
      if (token.length > config.maxTokenLength) {
        reject('token_too_large', () => `${token.length} characters, more than maxTokenLength ${config.maxTokenLength}`);
      }
      nowMs = Date.now();
      if (cache !== undefined) {
        const hit = cache.lookup(token, nowMs);
        if (hit !== undefined) {
          stage = 'claims';
          const problem = judgeTimes(hit.times, nowMs / 1000, claims);
          if (problem !== undefined) {
            cache.drop(hit);
            reject(problem, () => describeTimes(hit.times, nowMs / 1000, claims));
          }
          if (binding.checksHits) {
            stage = 'binding';
            payload = hit.auth.payload;
            trace?.passed('claims', `verified before (cache); ${describeTimes(hit.times, nowMs / 1000, claims)}`);
            const bound = binding.check(token, payload, request, nowMs);
            trace?.passed(stage, 'the token\'s binding holds for this request');
            return acceptChecked(hit.auth, token, nowMs, request, true, bound, trace);
          }
          trace?.passed(stage, `verified before (cache); ${describeTimes(hit.times, nowMs / 1000, claims)}`);
          return acceptChecked(hit.auth, token, nowMs, request, true, undefined, trace);
        }
      }
      const format = identifyFormat(token);
      if (format === 'jwe') {
        if (decrypt === undefined) reject('token_encrypted', () => 'a JWE (five segments), and no decryption keys are configured');
        trace?.passed(stage, 'a JWE: decrypted with the configured keys, then verified as the JWS inside');
        return decrypt(token).then(
          (jws) => verifyJws(token, jws, 'jwe', request, Date.now(), trace),
          (error: unknown) => fail(error, 'format', undefined, request, trace, true),
        );
      }
      if (format === 'opaque') {
        if (opaque === undefined) reject('token_malformed', () => 'not a JWT (an opaque token?), and no introspection is configured');
        trace?.passed(stage, 'an opaque token: judged by the introspection endpoint');
        return opaque.verify(token, nowMs, request, trace); // never throws: refusals come back rejected, already published
      }
      if (requireEncrypted) reject('token_not_encrypted', () => 'a plain JWS, and decryption.required is set');
    } catch (error) {
      // A JWE refused before decryption (too large) gets the uniform description too.
      const encrypted = decrypt !== undefined && typeof token === 'string' && identifyFormat(token) === 'jwe';
      return fail(error, stage, payload, request, trace, encrypted);
    }
    return verifyJws(token, token, 'jws', request, nowMs, trace);
  };
}
