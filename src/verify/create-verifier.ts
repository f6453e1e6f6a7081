/**
 * createVerifier: the order of checks, and the one place where internal rejections become typed errors.
 *
 *   size → cache hit? → decode → header (alg allow-list, kid, crit, typ) → issuer (selects the key source)
 *   → key (cache ◄ fetch ◄ discovery) → signature → key issuer → exp/nbf/iat → aud → required claims
 *   → token kind (profile) → caller allow-lists → AuthInfo (frozen, cached)
 *
 * Everything after key selection is synchronous, so a token whose key is cached is verified without
 * awaiting anything; only a key fetch makes the result wait.
 */
import { AuthError, InvalidTokenError, KeysUnavailableError } from '../errors.js';
import { hasVerifyListeners, publishVerifyEvent } from '../events.js';
import { readCaller, toAuthInfo } from '../identity/to-auth-info.js';
import type { KeyEntry } from '../keys/jwk-set.js';
import type { KeySource } from '../keys/key-source.js';
import { isKeyMiss, type KeyMiss } from '../keys/key-store.js';
import type { AuthInfo, Verifier, VerifierOptions } from '../types.js';
import {
  checkAudience,
  checkCaller,
  checkNotSenderConstrained,
  checkRequiredClaims,
  checkTimes,
  judgeTimes,
} from './check-claims.js';
import { checkHeader } from './check-header.js';
import { checkKeyIssuer } from './check-key-issuer.js';
import { checkTokenKind } from './check-token-kind.js';
import { decodeJws, type DecodedJws } from './decode-jws.js';
import { diagnoseRejection } from './diagnose-rejection.js';
import { resolveOptions, type ResolvedConfig } from './resolve-options.js';
import { TokenCache } from './token-cache.js';
import { reject, TokenRejection } from './token-rejection.js';
import { verifySignature } from './verify-signature.js';
import { ownMember } from '../identity/claim-path.js';

/** Internal entry point: answers synchronously when no key fetch is needed. */
export const VERIFY_NOW: unique symbol = Symbol('bearer-guard.verifyNow');

/** The verifier {@link createVerifier} returns. */
export interface BearerVerifier extends Verifier {
  /** The `realm` of the challenges this verifier's errors carry. */
  readonly realm: string;
  /**
   * Loads the metadata and keys of every configured issuer now, for example before the server starts
   * listening. Rejects with an `AggregateError` whose message names each URL that failed and why.
   * Never required: keys are otherwise loaded by the first request.
   */
  ready(): Promise<void>;
  /** @internal Verifies without a promise when the key is at hand; throws {@link AuthError}. */
  readonly [VERIFY_NOW]: (token: string) => AuthInfo | Promise<AuthInfo>;
}

type Pending = { readonly issuer: string; readonly source: KeySource };

/**
 * Creates a verifier for access tokens of the configured issuer(s) and audience(s). Throws a
 * `TypeError` naming the option when `options` are invalid.
 *
 * @example
 * const verifier = createVerifier({ issuer: 'https://login.example.com/', audience: 'api://receipts' });
 * const auth = await verifier.verify(token); // auth.clientId, auth.scopes, auth.roles…
 */
export function createVerifier(options: VerifierOptions): BearerVerifier {
  const config: ResolvedConfig = resolveOptions(options);
  const { realm, claims, locations } = config;
  const cache = config.cache === false ? undefined : new TokenCache(config.cache);

  const toError = (error: unknown, payload?: DecodedJws['payload']): never => {
    let failure: AuthError;
    if (error instanceof TokenRejection) {
      const reason =
        payload === undefined
          ? error.reason
          : diagnoseRejection(error.reason, payload, config.profile, config.configuredIssuers);
      failure = new InvalidTokenError(reason, { realm });
    } else if (error instanceof AuthError) {
      failure = error;
    } else {
      throw error; // a bug, not a bad token: never disguise it as a 401
    }
    if (hasVerifyListeners()) {
      publishVerifyEvent({ type: 'rejected', status: failure.status as 401 | 503, reason: failure.reason });
    }
    throw failure;
  };

  const unavailable = (miss: KeyMiss): never => {
    throw new KeysUnavailableError(miss.resource === 'metadata' ? 'metadata_unavailable' : 'jwks_unavailable', {
      realm,
      retryAfterSeconds: (miss.retryAfterMs ?? 5000) / 1000,
      cause: miss.cause,
    });
  };

  const complete = (token: string, jws: DecodedJws, alg: string, found: KeyEntry | KeyMiss, pending: Pending): AuthInfo => {
    if (isKeyMiss(found)) {
      if (found.miss === 'unavailable') unavailable(found);
      reject(found.miss === 'ambiguous' ? 'key_ambiguous' : 'key_not_found');
    }
    const { payload } = jws;
    if (!verifySignature(alg, found, jws.signingInput, jws.signature)) reject('signature_invalid');
    if (config.validateKeyIssuer) checkKeyIssuer(found, pending.issuer, ownMember(payload, 'tid'), config.configuredIssuers);
    const nowMs = Date.now();
    const times = checkTimes(payload, nowMs / 1000, claims);
    const audience = checkAudience(payload, claims);
    checkRequiredClaims(payload, claims);
    checkTokenKind(payload, config.profile);
    checkNotSenderConstrained(payload);
    const { clientId, tenantId } = readCaller(payload, locations);
    checkCaller(clientId, tenantId, claims);
    const auth = toAuthInfo(
      { token, header: jws.header, payload, issuer: pending.issuer, audience, clientId, tenantId, exp: times.exp },
      locations,
      config.profile,
      realm,
    );
    if (cache !== undefined) cache.set(token, { auth, times, key: found, source: pending.source }, nowMs, claims.toleranceSec);
    if (hasVerifyListeners()) publishVerifyEvent({ type: 'accepted', cached: false, issuer: auth.issuer, clientId });
    return auth;
  };

  const verifyNow = (token: string): AuthInfo | Promise<AuthInfo> => {
    let jws: DecodedJws | undefined;
    try {
      if (typeof token !== 'string' || token === '') reject('token_malformed');
      if (token.length > config.maxTokenLength) reject('token_too_large');
      const nowMs = Date.now();
      if (cache !== undefined) {
        const hit = cache.lookup(token, nowMs);
        if (hit !== undefined) {
          const problem = judgeTimes(hit.times, nowMs / 1000, claims);
          if (problem === undefined) {
            // Hits bypass key lookups, so they keep the key set's refresh schedule themselves: a key the
            // issuer removed stops serving at the next refresh, however busy the cache is.
            if (nowMs >= hit.key.freshUntil) hit.source.touch(nowMs);
            if (hasVerifyListeners()) {
              publishVerifyEvent({ type: 'accepted', cached: true, issuer: hit.auth.issuer, clientId: hit.auth.clientId });
            }
            return hit.auth;
          }
          cache.drop(hit);
          reject(problem);
        }
      }
      jws = decodeJws(token);
      const { alg, kid } = checkHeader(jws.header, config.header);
      const match = config.issuers.match(ownMember(jws.payload, 'iss'), ownMember(jws.payload, 'tid'));
      if (!match.matched) reject(match.reason);
      const pending: Pending = { issuer: match.issuer, source: match.rule.target };
      const found = match.rule.target.select(alg, kid, nowMs);
      if (!(found instanceof Promise)) return complete(token, jws, alg, found, pending);
      const decoded = jws;
      return found.then((entry) => {
        try {
          return complete(token, decoded, alg, entry, pending);
        } catch (error) {
          return toError(error, decoded.payload);
        }
      });
    } catch (error) {
      return toError(error, jws?.payload);
    }
  };

  return {
    realm,
    [VERIFY_NOW]: verifyNow,
    verify(token: string): Promise<AuthInfo> {
      try {
        return Promise.resolve(verifyNow(token));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    async ready(): Promise<void> {
      const results = await Promise.allSettled(config.sources.map((source) => source.ready()));
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      if (failures.length === 0) return;
      const detail = failures.map((failure) => (failure instanceof Error ? failure.message : String(failure)));
      throw new AggregateError(failures, `bearer-guard: keys could not be loaded: ${detail.join('; ')}`);
    },
  };
}
