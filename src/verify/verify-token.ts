/**
 * The verification pipeline: the order of the stages, written once.
 *
 *   size → cache hit? (times, binding) → format: a JWS, a JWE (decrypted, then as a JWS) or an opaque token
 *   JWS: decode → header → issuer → key → signature → claims → binding → identity → caller → cache
 *        (`verify-jws.ts`)
 *   opaque: introspection (cached answer, or one call) → claims → binding → identity → caller (`opaque/`)
 *   with `introspection.tokens: 'all'`, a JWT is also confirmed active before it is accepted
 *
 * Each stage is a function in a file of its own; this module and `verify-jws.ts` only call them in order,
 * tracking which stage decides. `pipeline-outcomes.ts` is the one place where a refusal becomes a typed
 * error (the family's sharper reason, the verifier's challenges, an outcome event, a debug line, the check
 * trace). A token whose key is cached is verified without awaiting anything; a key fetch, a JWE's
 * decryption, an introspection call, a `validate` rule or a DPoP replay store answering later are what a
 * result may wait for. The binding (DPoP proof, client certificate) belongs to the request, so it is checked
 * on cache hits too.
 */
import type { Introspector } from '../introspection/introspector.js';
import type { VerifyRequest } from '../request/verify-request.js';
import type { OutcomeStage } from '../events/verify-events.js';
import { shown } from '../events/debug-log.js';
import type { JsonObject } from '../json.js';
import type { Binding } from './binding/check-binding.js';
import type { TokenCache } from './cache/token-cache.js';
import type { CheckTrace } from './check-trace.js';
import { describeTimes, judgeTimes } from './claims/check-times.js';
import type { VerifierConfig } from './config/verifier-config.js';
import { createJweDecryptor } from './format/decrypt-jwe.js';
import { identifyFormat } from './format/identify-format.js';
import type { AuthInfo } from './identity/auth-info.js';
import type { IssuerFamily } from './issuer-family.js';
import type { IssuerSelector } from './issuer/match-issuer.js';
import type { KeySource } from './keys/key-source.js';
import type { JudgedAnswer } from './opaque/judge-introspection.js';
import { createOpaqueStage } from './opaque/opaque-stage.js';
import { createOutcomes } from './pipeline-outcomes.js';
import { reject } from './rejection.js';
import { createJwsPath } from './verify-jws.js';

/** What the pipeline is assembled from. */
export interface PipelineParts {
  readonly config: VerifierConfig;
  readonly family: IssuerFamily;
  /** The configured issuers, or those an issuer resolver allows per request. */
  readonly issuers: IssuerSelector<KeySource>;
  readonly cache: TokenCache | undefined;
  /** Opaque tokens (and, with `tokens: 'all'`, JWTs too) go to introspection; `undefined` refuses them. */
  readonly introspector?: Introspector<JudgedAnswer> | undefined;
  /** The binding stage (DPoP, mutual TLS), which also answers refusals with the right challenges. */
  readonly binding: Binding;
}

/** What a caller may add to one verification, besides the request. */
export interface VerifyExtras {
  /** Hears every check, passed or refused (the CLI's `verify`); `authenticate()` passes none. */
  readonly trace?: CheckTrace | undefined;
  /** The issuers an issuer resolver allows for this request (a cached token is re-judged against them). */
  readonly allowed?: ReadonlySet<string> | undefined;
}

/** Verifies a token, synchronously when nothing needs waiting for; throws (or rejects with) an `AuthError`. */
export type VerifyNow = (token: string, request?: VerifyRequest, extras?: VerifyExtras) => AuthInfo | Promise<AuthInfo>;

/** Assembles the pipeline of one verifier. */
export function createPipeline(parts: PipelineParts): VerifyNow {
  const { config, family, cache, binding, introspector } = parts;
  const { claims } = config;
  const decrypt = config.decryption === undefined ? undefined : createJweDecryptor(config.decryption);
  const requireEncrypted = config.decryption?.required === true;
  const outcomes = createOutcomes({ realm: config.realm, family, issuers: config.issuers, binding, decrypts: decrypt !== undefined });
  const { fail, accepted } = outcomes;
  const opaque = introspector === undefined ? undefined : createOpaqueStage({ introspector, claims, binding, fail, accepted });
  const confirm = opaque?.confirm;

  /** Accepts once the DPoP replay check (`bound`) and, with `tokens: 'all'`, the introspection agree. */
  const acceptChecked = (
    auth: AuthInfo,
    token: string,
    nowMs: number,
    request: VerifyRequest | undefined,
    cached: boolean,
    bound: Promise<void> | undefined,
    trace: CheckTrace | undefined,
  ): AuthInfo | Promise<AuthInfo> => {
    const accept = (): AuthInfo | Promise<AuthInfo> =>
      confirm === undefined ? accepted(auth, cached, request) : confirm(auth, token, nowMs, request, cached);
    if (bound === undefined) return accept();
    return bound.then(accept, (error: unknown) => fail(error, 'binding', auth.payload, request, trace, auth.format === 'jwe'));
  };

  const verifyJws = createJwsPath({ config, family, issuers: parts.issuers, cache, binding, outcomes, acceptChecked });

  return (token, request, extras) => {
    const trace = extras?.trace;
    const allowed = extras?.allowed;
    let stage: OutcomeStage = 'format';
    let payload: JsonObject | undefined;
    let nowMs: number;
    try {
      if (typeof token !== 'string' || token === '') reject('token_malformed', () => 'the token is empty');
      if (token.length > config.maxTokenLength) {
        reject('token_too_large', () => `${token.length} characters, more than maxTokenLength ${config.maxTokenLength}`);
      }
      nowMs = Date.now();
      const hit = cache?.lookup(token, nowMs);
      if (hit !== undefined) {
        payload = hit.auth.payload; // the family's sharper reasons read it, as for an uncached token
        if (allowed !== undefined && !allowed.has(hit.auth.issuer)) {
          stage = 'issuer';
          reject('issuer_mismatch', () => `iss ${shown(hit.auth.issuer)} is not one the issuer resolver allows`);
        }
        stage = 'claims';
        const problem = judgeTimes(hit.times, nowMs / 1000, claims);
        if (problem !== undefined) {
          cache!.drop(hit);
          reject(problem, () => describeTimes(hit.times, nowMs / 1000, claims));
        }
        trace?.passed(stage, `verified before (cache); ${describeTimes(hit.times, nowMs / 1000, claims)}`);
        let bound: Promise<void> | undefined;
        if (binding.checksHits) {
          stage = 'binding';
          bound = binding.check(token, payload, request, nowMs);
          trace?.passed(stage, "the token's binding holds for this request");
        }
        return acceptChecked(hit.auth, token, nowMs, request, true, bound, trace);
      }
      const format = identifyFormat(token);
      if (format === 'jwe') {
        if (decrypt === undefined) reject('token_encrypted', () => 'a JWE (five segments), and no decryption keys are configured');
        trace?.passed(stage, 'a JWE: decrypted with the configured keys, then verified as the JWS inside');
        return decrypt(token).then(
          (jws) => verifyJws(token, jws, 'jwe', request, Date.now(), trace, allowed),
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
    return verifyJws(token, token, 'jws', request, nowMs, trace, allowed);
  };
}
