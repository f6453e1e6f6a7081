/**
 * The one place where a stage's refusal becomes a typed error, and where every outcome of the pipeline is
 * reported: the family's sharper reason, the error with the verifier's challenges (the binding stage knows
 * whether a DPoP challenge belongs), the outcome event, the debug line and the check trace. Anything thrown
 * that is neither a refusal nor an `AuthError` is rethrown as it is: a bug never hides as a 401.
 */
import { AuthError } from '../errors/auth-errors.js';
import { KeysUnavailableError } from '../errors/unavailable-errors.js';
import { isDpopProofReason } from '../errors/reasons.js';
import { debug, debugEnabled } from '../events/debug-log.js';
import { redactText } from '../http/url-policy.js';
import { hasVerifyListeners, publishVerifyEvent, type OutcomeStage } from '../events/verify-events.js';
import type { JsonObject } from '../json.js';
import { pathOf, type VerifyRequest } from '../request/verify-request.js';
import type { Binding } from './binding/check-binding.js';
import type { CheckTrace } from './check-trace.js';
import type { AuthInfo } from './identity/auth-info.js';
import type { IssuerFamily } from './issuer-family.js';
import type { KeyMiss } from './keys/key-store.js';
import { TokenRejection } from './rejection.js';

/** What the outcomes are reported with. */
export interface OutcomeParts {
  readonly realm: string;
  readonly family: IssuerFamily;
  /** The configured issuers, for the family's sharper reasons. */
  readonly issuers: readonly string[];
  readonly binding: Binding;
  /** Decryption is configured: every refusal of an encrypted token gets the uniform description. */
  readonly decrypts: boolean;
}

/** Turns a refusal into the typed error, reports it and throws it. */
export type Fail = (
  error: unknown,
  stage: OutcomeStage,
  payload: JsonObject | undefined,
  request: VerifyRequest | undefined,
  trace?: CheckTrace,
  encrypted?: boolean,
) => never;

/** Reports an acceptance and returns the identity. */
export type Accepted = (auth: AuthInfo, cached: boolean, request: VerifyRequest | undefined) => AuthInfo;

/** The outcome functions of one pipeline. */
export interface Outcomes {
  readonly fail: Fail;
  readonly accepted: Accepted;
  /** Throws the 503 of a key miss that could not be served. */
  readonly unavailable: (miss: KeyMiss) => never;
}

/** The method and path of `request` (never its query), for events and debug lines. */
function placeOf(request: VerifyRequest | undefined): { method?: string; path?: string } {
  if (request === undefined) return {};
  const method = request.method;
  const path = pathOf(request.url);
  return { ...(method === undefined ? {} : { method }), ...(path === undefined ? {} : { path }) };
}

/** The outcome functions of a pipeline built from `parts`. */
export function createOutcomes(parts: OutcomeParts): Outcomes {
  const { realm, family, issuers, binding, decrypts } = parts;
  return {
    fail(error, stage, payload, request, trace, encrypted = false) {
      let failure: AuthError;
      let detail: string | undefined;
      const precise = debugEnabled() || trace !== undefined;
      if (error instanceof TokenRejection) {
        const reason =
          payload === undefined || isDpopProofReason(error.reason) ? error.reason : family.refineRejection(error.reason, payload, issuers);
        // Once decryption is configured, no refusal of an encrypted token tells anything about its content.
        failure = binding.refuse(reason, request, encrypted && decrypts);
        if (precise && error.detail !== undefined) detail = error.detail();
      } else if (error instanceof AuthError) {
        failure = error;
        // A cause may come from an application's store or verifier: credentials in URLs are removed.
        if (precise && failure.cause instanceof Error) detail = redactText(failure.cause.message);
      } else {
        throw error; // a bug, not a bad token: never disguise it as a 401
      }
      trace?.refused(stage, failure, detail);
      if (hasVerifyListeners()) {
        publishVerifyEvent({ type: 'rejected', stage, status: failure.status, reason: failure.reason, ...placeOf(request) });
      }
      if (debugEnabled()) {
        const where = placeOf(request);
        const at = where.method === undefined ? '' : ` (${where.method} ${where.path ?? ''})`;
        debug(`${failure.status} ${failure.reason} at ${stage}${detail === undefined ? '' : `: ${detail}`}${at}`);
      }
      throw failure;
    },
    accepted(auth, cached, request) {
      if (hasVerifyListeners()) {
        publishVerifyEvent({ type: 'accepted', cached, issuer: auth.issuer, clientId: auth.clientId, ...placeOf(request) });
      }
      return auth;
    },
    unavailable(miss) {
      throw new KeysUnavailableError(miss.resource === 'metadata' ? 'metadata_unavailable' : 'jwks_unavailable', {
        realm,
        retryAfterSeconds: (miss.retryAfterMs ?? 5000) / 1000,
        cause: miss.cause,
      });
    },
  };
}
