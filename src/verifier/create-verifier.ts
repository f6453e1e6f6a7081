/**
 * `createVerifier`: assembly only. One option set is assembled by `assembleVerifier` (options validated
 * into plain data, the issuer family, key sources shared process-wide, the issuer stage, the cache, the
 * pipeline of `verify-token.ts`); a list of option sets by `assembleIssuers`, which selects a set by the
 * token's `iss`. The order of the checks lives in the pipeline, not here.
 */
import type { VerifyRequest } from '../request/verify-request.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import type { Verifier } from '../verify/verifier.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import type { CredentialSchemes } from '../verify/binding/check-binding.js';
import type { IssuedBy } from '../verify/identity/issued-identity.js';
import type { VerifyNow } from '../verify/verify-token.js';
import { assembleVerifier } from './assemble-verifier.js';
import { assembleIssuers } from './multi-issuer.js';
import { readyAll } from './ready.js';
import { toVerifierStatus, type VerifierStatus } from './verifier-status.js';

/** Internal entry point: answers synchronously when no key fetch is needed. */
export const VERIFY_NOW: unique symbol = Symbol('bearer-guard.verifyNow');

/** Internal: what the verifier's identities and challenges carry (realm, auth-params, resource…). */
export const ISSUED_BY: unique symbol = Symbol('bearer-guard.verifierIssuedBy');

/** Internal: the credential schemes the verifier accepts besides Bearer (DPoP, MTLS_POP), for `authenticate()`. */
export const CREDENTIAL_SCHEMES: unique symbol = Symbol('bearer-guard.credentialSchemes');

/** The verifier {@link createVerifier} returns. */
export interface BearerVerifier extends Verifier {
  /** The `realm` of the challenges this verifier's errors carry. */
  readonly realm: string;
  /**
   * Loads the metadata and keys of every configured issuer now, for example before the server starts
   * listening. Rejects with an `AggregateError` whose message names each URL that failed and why (with the
   * system error code: `ENOTFOUND`, `ECONNREFUSED`, a TLS error, or the HTTP status). Never required: keys
   * are otherwise loaded by the first request.
   */
  ready(): Promise<void>;
  /**
   * The state of every issuer's metadata and keys, for a `/healthz` route: when keys were last fetched, how
   * many, the last failure (with its system error code), whether stale keys are being served, when the next
   * refresh is due. Never fetches anything.
   *
   * @example
   * app.get('/healthz', (_req, res) => { const s = verifier.status(); res.status(s.ok ? 200 : 503).json(s); });
   */
  status(): VerifierStatus;
  /**
   * @internal Verifies without a promise when nothing needs waiting for; throws `AuthError`. A check trace,
   * when given, hears every check (the CLI's `verify`).
   */
  readonly [VERIFY_NOW]: VerifyNow;
  /** @internal The `DPoP` and `MTLS_POP` schemes `authenticate()` accepts, and the DPoP challenge. */
  readonly [CREDENTIAL_SCHEMES]: CredentialSchemes;
  /** @internal The challenge parameters and resource of this verifier, for `authenticate()`. */
  readonly [ISSUED_BY]: IssuedBy;
}

/**
 * Creates a verifier for access tokens of the configured issuer(s) and audience(s). Given a list of option
 * sets, each for its own issuers with its own rules, the token's `iss` selects exactly one set before
 * anything else is judged. Throws a `TypeError` naming the option when `options` are invalid.
 *
 * @example
 * const verifier = createVerifier({ issuer: 'https://login.example.com/', audience: 'api://receipts' });
 * const auth = await verifier.verify(token); // auth.clientId, auth.scopes, auth.roles…
 * const both = createVerifier([auth0({ domain, audience }), entraId({ tenantId, clientId })]);
 */
export function createVerifier(options: VerifierOptions | readonly VerifierOptions[]): BearerVerifier {
  const { config, verifyNow, sources, binding, introspectors } = Array.isArray(options)
    ? assembleIssuers(options as readonly VerifierOptions[])
    : assembleVerifier(options as VerifierOptions);
  return {
    realm: config.realm,
    [VERIFY_NOW]: verifyNow,
    [CREDENTIAL_SCHEMES]: binding.schemes,
    [ISSUED_BY]: config.issuedBy,
    verify(token: string, request?: VerifyRequest): Promise<AuthInfo> {
      try {
        return Promise.resolve(verifyNow(token, request));
      } catch (error) {
        return Promise.reject(error);
      }
    },
    ready: () => readyAll([...new Set(sources().values())]),
    status: () => toVerifierStatus(sources(), introspectors, Date.now()),
  };
}
