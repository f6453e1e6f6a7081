/**
 * The introspection stage of the pipeline: an opaque token is judged by what the issuer's introspection
 * endpoint said about it (judged once, see `judge-introspection.ts`), and, with `tokens: 'all'`, a JWT that
 * passed local verification is confirmed still active. What depends on the clock (`exp`, `nbf`, `iat`) and
 * on the request (the binding) is judged again on every use, cached or not.
 *
 * Neither function ever throws: a refusal or an outage comes back as a rejected promise, after the
 * pipeline's `fail` has published it, so the pipeline never reports one outcome twice.
 */
import type { OutcomeStage } from '../../events/verify-events.js';
import type { Introspector } from '../../introspection/introspector.js';
import type { JsonObject } from '../../json.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import type { Binding } from '../binding/check-binding.js';
import type { ClaimPolicy } from '../claims/claim-policy.js';
import { describeTimes, judgeTimes } from '../claims/check-times.js';
import type { CheckTrace } from '../check-trace.js';
import type { AuthInfo } from '../identity/auth-info.js';
import { reject } from '../rejection.js';
import type { JudgedAnswer } from './judge-introspection.js';

/** What the stage is built from: the introspector and the pipeline's own outcome functions. */
export interface OpaqueStageParts {
  readonly introspector: Introspector<JudgedAnswer>;
  readonly claims: ClaimPolicy;
  /** The binding stage: an answer's `cnf` binds the token as a JWT's does. */
  readonly binding: Binding;
  /** Turns a refusal into the typed error, publishes it, throws it (rethrows what is not a refusal). */
  readonly fail: (
    error: unknown,
    stage: OutcomeStage,
    payload: JsonObject | undefined,
    request: VerifyRequest | undefined,
    trace?: CheckTrace,
  ) => never;
  /** Publishes an acceptance. */
  readonly accepted: (auth: AuthInfo, cached: boolean, request: VerifyRequest | undefined) => AuthInfo;
}

/** The stage's two entry points. */
export interface OpaqueStage {
  /** Verifies an opaque token. */
  verify(token: string, nowMs: number, request: VerifyRequest | undefined, trace?: CheckTrace): AuthInfo | Promise<AuthInfo>;
  /** With `tokens: 'all'`: accepts the verified JWT `auth` once the endpoint says it is active. */
  readonly confirm:
    | ((auth: AuthInfo, token: string, nowMs: number, request: VerifyRequest | undefined, cached: boolean) => AuthInfo | Promise<AuthInfo>)
    | undefined;
}

/** Builds the stage. */
export function createOpaqueStage(parts: OpaqueStageParts): OpaqueStage {
  const { introspector, claims, binding, fail, accepted } = parts;

  const refuse = (error: unknown, stage: OutcomeStage, request: VerifyRequest | undefined, trace?: CheckTrace): Promise<never> => {
    try {
      return fail(error, stage, undefined, request, trace);
    } catch (failure) {
      return Promise.reject(failure);
    }
  };

  const inactive = (): never => reject('token_inactive', () => 'the introspection endpoint answered active: false');

  /** `nowMs`: the request's clock for a cached answer, `undefined` to read it (an answer that just arrived). */
  const judge = (
    token: string,
    judged: JudgedAnswer,
    cached: boolean,
    request: VerifyRequest | undefined,
    nowMs?: number,
    trace?: CheckTrace,
  ): AuthInfo | Promise<AuthInfo> => {
    let stage: OutcomeStage = 'introspection';
    try {
      if (judged.kind === 'inactive') inactive();
      if (judged.kind === 'refused') {
        stage = judged.stage;
        throw judged.rejection;
      }
      if (judged.kind !== 'accepted') throw new Error('bearer-guard: an opaque token was judged as a JWT');
      trace?.passed(stage, `active${cached ? ' (answer cached)' : ''}; issuer ${judged.auth.issuer}`);
      stage = 'claims';
      const now = nowMs ?? Date.now();
      const nowSec = now / 1000;
      const problem = judgeTimes(judged.times, nowSec, claims);
      if (problem !== undefined) reject(problem, () => describeTimes(judged.times, nowSec, claims));
      trace?.passed(stage, describeTimes(judged.times, nowSec, claims));
      stage = 'binding';
      const bound = binding.check(token, judged.payload, request, now);
      if (bound === undefined) return accepted(judged.auth, cached, request);
      return bound.then(
        () => accepted(judged.auth, cached, request),
        (error: unknown) => refuse(error, 'binding', request, trace),
      );
    } catch (error) {
      return refuse(error, stage, request, trace);
    }
  };

  const lookup = <R>(
    token: string,
    nowMs: number,
    request: VerifyRequest | undefined,
    then: (judged: JudgedAnswer, cached: boolean) => R | Promise<R>,
    trace?: CheckTrace,
  ): R | Promise<R> => {
    let found: JudgedAnswer | Promise<JudgedAnswer>;
    try {
      found = introspector.lookup(token, nowMs);
    } catch (error) {
      return refuse(error, 'introspection', request, trace);
    }
    if (found instanceof Promise) {
      return found.then(
        (judged) => then(judged, false),
        (error: unknown) => refuse(error, 'introspection', request, trace),
      );
    }
    return then(found, true);
  };

  const confirmed = (
    judged: JudgedAnswer,
    auth: AuthInfo,
    cached: boolean,
    request: VerifyRequest | undefined,
  ): AuthInfo | Promise<never> => {
    if (judged.kind !== 'inactive') return accepted(auth, cached, request);
    try {
      return inactive();
    } catch (error) {
      return refuse(error, 'introspection', request);
    }
  };

  return {
    verify: (token, nowMs, request, trace) =>
      lookup(token, nowMs, request, (judged, cached) => judge(token, judged, cached, request, cached ? nowMs : undefined, trace), trace),
    confirm:
      introspector.tokens === 'all'
        ? (auth, token, nowMs, request, cached) =>
            lookup(token, nowMs, request, (judged, fromCache) => confirmed(judged, auth, cached && fromCache, request))
        : undefined,
  };
}
