/**
 * The binding stage: a token bound to a key (a `cnf` claim, RFC 7800) passes only with proof of that key,
 * checked on every request, verified-token cache hits included.
 *
 * - `cnf.jkt` (DPoP, RFC 9449): the `DPoP` scheme and a valid proof by that key (`check-dpop.ts`), seen
 *   once (the replay store). Sent as Bearer it is refused: accepting it would strip the binding (§7.2).
 * - `cnf["x5t#S256"]` (mutual TLS, RFC 8705 §3): the client certificate with that thumbprint.
 * - any other `cnf` member, or a method that is not configured: refused (`token_sender_constrained`).
 * - no `cnf`: refused with the `DPoP` or `MTLS_POP` scheme (nothing binds it), and when `dpop.required` or
 *   `mtls.required` asks for a binding.
 *
 * The stage also owns the answer to a refusal: the `DPoP` challenge beside the Bearer one when DPoP is on,
 * `invalid_dpop_proof` for the proof, `use_dpop_nonce` with a fresh nonce.
 */
import type { AuthParam } from '../../errors/challenge.js';
import { AuthError, InvalidTokenError } from '../../errors/auth-errors.js';
import { KeysUnavailableError } from '../../errors/unavailable-errors.js';
import type { DpopChallengeOptions } from '../../errors/dpop-challenge.js';
import { InvalidDpopProofError } from '../../errors/dpop-errors.js';
import { isDpopProofReason, type InvalidTokenReason } from '../../errors/reasons.js';
import { isJsonObject, ownMember, type JsonObject } from '../../json.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import type { DpopConfig, MtlsConfig } from '../config/binding-options.js';
import { reject, type RejectionReason } from '../rejection.js';
import { checkDpop, type DpopPolicy, type ProofSighting } from './check-dpop.js';
import { checkCertificate } from './check-mtls.js';
import type { NonceSource } from './dpop-nonce.js';
import type { ReplayStore } from './replay-store.js';

/** The schemes `authenticate()` accepts besides `Bearer`, and the DPoP challenge of its own 401s. */
export interface CredentialSchemes {
  /** Accept `DPoP`; its challenge. */
  readonly dpop: DpopChallengeOptions | undefined;
  /** Accept `MTLS_POP`. */
  readonly mtlsPop: boolean;
  /** With DPoP nonces on: the nonce to hand out at `nowMs` (`DPoP-Nonce` on the answers to DPoP requests). */
  readonly nonce: ((nowMs: number) => string) | undefined;
}

/** The binding stage of one verifier. */
export interface Binding {
  /** Whether cache hits must be checked (DPoP or mTLS is on; otherwise a bound token is never cached). */
  readonly checksHits: boolean;
  /** Checks `payload`'s binding to `request`; a promise when the replay store answers later. */
  check(token: string, payload: JsonObject, request: VerifyRequest | undefined, nowMs: number): Promise<void> | undefined;
  /** The error answering a refusal of `request`; `uniformDescription` for a refused encrypted token. */
  refuse(reason: RejectionReason, request: VerifyRequest | undefined, uniformDescription?: boolean): AuthError;
  readonly schemes: CredentialSchemes;
}

/** What the binding stage is assembled from. */
export interface BindingParts {
  readonly realm: string;
  /** Further auth-params of the verifier's challenges (`resource_metadata`). */
  readonly authParams: readonly AuthParam[];
  /** Seconds a proof's `iat` may lie in the future (the verifier's `clockTolerance`). */
  readonly toleranceSec: number;
  readonly dpop: DpopConfig | undefined;
  readonly mtls: MtlsConfig | undefined;
  /** Required with `dpop`. */
  readonly replayStore: ReplayStore | undefined;
  readonly nonces: NonceSource | undefined;
}

type Scheme = 'bearer' | 'dpop' | 'mtls_pop';

const CNF_METHODS = new Set(['jkt', 'x5t#S256']);

/** Without DPoP or mTLS: a bound token is refused, as a plain Bearer token cannot prove its binding. */
function unboundOnly(realm: string, authParams: readonly AuthParam[]): Binding {
  return {
    checksHits: false,
    check(_token, payload) {
      if (Object.hasOwn(payload, 'cnf')) {
        reject('token_sender_constrained', () => 'the token has a cnf claim, and no proof-of-possession method is configured');
      }
      return undefined;
    },
    refuse: (reason, _request, uniformDescription) =>
      new InvalidTokenError(reason as InvalidTokenReason, { realm, authParams, uniformDescription }),
    schemes: { dpop: undefined, mtlsPop: false, nonce: undefined },
  };
}

/** Assembles the binding stage. */
export function createBinding(parts: BindingParts): Binding {
  const { realm, authParams, dpop, mtls, replayStore, nonces } = parts;
  if (dpop === undefined && mtls === undefined) return unboundOnly(realm, authParams);
  const policy: DpopPolicy | undefined =
    dpop === undefined ? undefined : { config: dpop, algorithms: new Set(dpop.algorithms), toleranceSec: parts.toleranceSec, nonces };
  const challenge = dpop === undefined ? undefined : { algs: dpop.algorithms, required: dpop.required };

  /** The scheme of the request's `Authorization` header, among the configured ones (else `bearer`). */
  const schemeOf = (request: VerifyRequest | undefined): Scheme => {
    const authorization = request?.headers?.authorization;
    if (typeof authorization !== 'string') return 'bearer';
    const end = authorization.search(/[ \t]/);
    const name = (end === -1 ? authorization : authorization.slice(0, end)).toLowerCase();
    if (name === 'dpop' && dpop !== undefined) return 'dpop';
    if (name === 'mtls_pop' && mtls !== undefined) return 'mtls_pop';
    return 'bearer';
  };

  const unavailable = (cause: unknown): KeysUnavailableError => new KeysUnavailableError('replay_store_unavailable', { realm, cause });

  /** Records the proof; refuses a replay. Store faults are 503s. */
  const remember = (sighting: ProofSighting): Promise<void> | undefined => {
    let first: boolean | Promise<boolean>;
    try {
      first = replayStore!.add(sighting.id, sighting.expiresAtMs);
    } catch (cause) {
      throw unavailable(cause);
    }
    if (first === true) return undefined;
    if (first === false) reject('dpop_proof_replayed', () => 'the proof was seen before within its window');
    const pending = Promise.resolve(first).then(
      (answer: unknown) => {
        if (answer === false) reject('dpop_proof_replayed', () => 'the proof was seen before within its window');
        if (answer !== true) throw unavailable(new TypeError('the replay store answered neither true nor false'));
      },
      (cause: unknown) => {
        throw unavailable(cause);
      },
    );
    // Awaited by the pipeline; a later stage refusing first must not leave the rejection unhandled.
    pending.catch(() => undefined);
    return pending;
  };

  return {
    checksHits: true,
    schemes: {
      dpop: challenge,
      mtlsPop: mtls !== undefined,
      nonce: nonces === undefined ? undefined : (nowMs) => nonces.current(nowMs),
    },
    check(token, payload, request, nowMs) {
      const scheme = schemeOf(request);
      if (dpop?.required === true && scheme !== 'dpop') reject('dpop_required', () => `the ${scheme} scheme, and dpop.required`);
      const cnf = ownMember(payload, 'cnf');
      if (cnf === undefined) {
        if (scheme !== 'bearer') reject('token_not_bound', () => `the ${scheme} scheme with a token without cnf`);
        if (mtls?.required === true) reject('certificate_binding_required', () => 'a token without cnf, and mtls.required');
        return undefined;
      }
      if (!isJsonObject(cnf)) reject('claim_invalid', () => 'cnf is not an object');
      for (const name of Object.keys(cnf)) {
        if (!CNF_METHODS.has(name)) reject('token_sender_constrained', () => `cnf.${name} is a binding this verifier cannot check`);
      }
      const jkt = ownMember(cnf, 'jkt');
      const x5t = ownMember(cnf, 'x5t#S256');
      if ((jkt !== undefined && (typeof jkt !== 'string' || jkt === '')) || (x5t !== undefined && (typeof x5t !== 'string' || x5t === ''))) {
        reject('claim_invalid', () => 'cnf.jkt or cnf["x5t#S256"] is not a non-empty string');
      }
      if (x5t === undefined && mtls?.required === true) reject('certificate_binding_required', () => 'no cnf["x5t#S256"], and mtls.required');
      if (x5t !== undefined) {
        if (mtls === undefined) reject('token_sender_constrained', () => 'a certificate-bound token, and mtls is not configured');
        checkCertificate(x5t, request, mtls);
      } else if (scheme === 'mtls_pop') {
        reject('token_not_bound', () => 'the MTLS_POP scheme with a token not bound to a certificate');
      }
      if (jkt === undefined) {
        if (scheme === 'dpop') reject('token_not_bound', () => 'the DPoP scheme with a token without cnf.jkt');
        return undefined;
      }
      if (policy === undefined || scheme !== 'dpop' || request === undefined) {
        reject('token_sender_constrained', () => `a DPoP-bound token with the ${scheme} scheme`);
      }
      return remember(checkDpop(token, jkt, request, policy, nowMs));
    },
    refuse(reason, request, uniformDescription) {
      if (challenge === undefined) return new InvalidTokenError(reason as InvalidTokenReason, { realm, authParams, uniformDescription });
      const options = { realm, authParams, uniformDescription, dpop: { ...challenge, presented: schemeOf(request) === 'dpop' } };
      if (isDpopProofReason(reason)) {
        const nonce = reason.startsWith('dpop_nonce_') ? nonces?.current(Date.now()) : undefined;
        return new InvalidDpopProofError(reason, { ...options, nonce });
      }
      return new InvalidTokenError(reason, options);
    },
  };
}
