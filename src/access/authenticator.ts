/**
 * Authentication of one request, whatever the framework: the options of `authenticate()` validated once,
 * the credential read (`read`: 400, 401, or nothing under optional authentication), and the token verified
 * with the request as context (`verify`). `middleware/` (Express, Connect) and `adapters/` (Fastify, the
 * web-standard entry) only translate their request into a {@link TokenRequest} and a {@link VerifyRequest},
 * and the outcome into their own conventions.
 *
 * A custom verifier is outside bearer-guard: any result (a value, a promise, a foreign thenable) is settled
 * through `Promise.resolve` and checked before it becomes an identity; an `AuthError` it throws keeps its
 * answer, anything else is a fault (the framework's 500), never a 401.
 */
import { isAuthError, MissingTokenError } from '../errors/auth-errors.js';
import { booleanOption, fail, optionsObject, realmOption } from '../options/option-checks.js';
import { extractToken, type ExtractedToken, type TokenLocation, type TokenRequest } from '../request/extract-token.js';
import type { VerifyRequest } from '../request/verify-request.js';
import { createVerifier, CREDENTIAL_SCHEMES, ISSUED_BY, VERIFY_NOW, type BearerVerifier } from '../verifier/create-verifier.js';
import { issuedByRealm, type IssuedBy } from '../verify/identity/issued-identity.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import type { Verifier } from '../verify/verifier.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { toCustomIdentity, toVerifierFault } from './custom-identity.js';
import { publishRefusal, type RequestPlace } from './refusal.js';

/** Options of `authenticate()` and of the framework adapters. */
export interface AuthenticateOptions {
  /**
   * Where tokens are accepted. The `Authorization` header always is; add `'query'` for `?access_token=`
   * (RFC 6750 §2.3; discouraged: URLs get logged) or `'body'` for an `access_token` parameter of an
   * `application/x-www-form-urlencoded` body parsed before this middleware (§2.2; never on GET). A body is
   * only seen once parsed: refusing a token sent both in the header and in the body (400) also needs a
   * urlencoded body parser mounted before this middleware.
   * @default ['header']
   */
  tokenLocations?: readonly TokenLocation[];
  /**
   * The realm of challenges for requests without a valid token, when `authenticate` is given a custom
   * {@link Verifier}. With options or a verifier from `createVerifier`, the verifier's realm is used (set
   * `realm` in the verifier options); a different value here throws a `TypeError`.
   * @default "api"
   */
  realm?: string;
  /**
   * Let requests without any credentials through, without `req.auth` (guards downstream still answer 401).
   * A request that does carry credentials is verified as always: an invalid token is refused, never
   * ignored (RFC 6750 §3.1).
   * @default false
   */
  optional?: boolean;
}

/** The option names of {@link AuthenticateOptions}. */
export const AUTHENTICATE_OPTIONS: readonly string[] = ['tokenLocations', 'realm', 'optional'];

/** The authentication of one middleware, hook or web entry. */
export interface Authenticator {
  /** The realm of its challenges. */
  readonly realm: string;
  /** The verifier it answers for: its challenge (realm, `resource_metadata`), its scope hierarchy. */
  readonly issuedBy: IssuedBy;
  /**
   * The credential of `request`, or `undefined` when there is none and authentication is optional. Throws
   * `MissingTokenError` (none, not optional) or `InvalidRequestError` (malformed), published as outcomes.
   */
  read(request: TokenRequest, place: RequestPlace): ExtractedToken | undefined;
  /**
   * The `DPoP-Nonce` to send with the answer to a request whose credential is `extracted`: the current nonce
   * for a DPoP request when nonces are on (RFC 9449 §8.2, so that clients move to each new nonce before the
   * old one expires), else `undefined`.
   */
  dpopNonce(extracted: ExtractedToken): string | undefined;
  /**
   * Verifies `token`, synchronously when no key fetch is needed. Throws or rejects with an `AuthError`, or
   * with a fault of a custom verifier (never a non-object).
   */
  verify(token: string, context: VerifyRequest, place: RequestPlace): AuthInfo | Promise<AuthInfo>;
}

function isVerifier(value: VerifierOptions | Verifier): value is Verifier {
  return typeof (value as Partial<Verifier>).verify === 'function';
}

function resolveLocations(value: unknown, where: string): { query: boolean; body: boolean } {
  const locations = value === undefined ? ['header'] : value;
  if (!Array.isArray(locations) || !locations.every((l) => l === 'header' || l === 'query' || l === 'body')) {
    fail('tokenLocations', 'must be an array of "header", "query" and "body"', where);
  }
  return { query: locations.includes('query'), body: locations.includes('body') };
}

/**
 * Validates `options` (named after the factory `where`, e.g. `authenticate()`) and builds the
 * authentication for `verifierOrOptions`: verifier options (a verifier is created once, here) or a verifier.
 * Throws a `TypeError` naming the option when something is invalid.
 */
export function createAuthenticator(
  verifierOrOptions: VerifierOptions | readonly VerifierOptions[] | Verifier,
  options: AuthenticateOptions | undefined,
  where: string,
): Authenticator {
  if (typeof verifierOrOptions !== 'object' || verifierOrOptions === null) {
    throw new TypeError(`bearer-guard: ${where} takes verifier options or a verifier`);
  }
  const given = optionsObject(options, '', AUTHENTICATE_OPTIONS, where) ?? {};
  const verifier: Verifier = Array.isArray(verifierOrOptions)
    ? createVerifier(verifierOrOptions as readonly VerifierOptions[])
    : isVerifier(verifierOrOptions as VerifierOptions | Verifier)
      ? (verifierOrOptions as Verifier)
      : createVerifier(verifierOrOptions as VerifierOptions);
  const own = (verifier as Partial<BearerVerifier>)[VERIFY_NOW];
  const verifierRealm = (verifier as Partial<BearerVerifier>).realm;
  if (given.realm !== undefined && verifierRealm !== undefined && given.realm !== verifierRealm) {
    // The verifier's own errors carry its realm: two realms would make the challenges of one route disagree.
    fail('realm', 'differs from the realm of the given verifier', where);
  }
  const realm = realmOption(given.realm ?? verifierRealm, 'realm', where);
  const optional = booleanOption(given.optional, 'optional', where) === true;
  // The challenge of every 401 decided here: the verifier's own (with `resource_metadata`), or the realm alone.
  const issuedBy = (verifier as Partial<BearerVerifier>)[ISSUED_BY] ?? issuedByRealm(realm);
  // DPoP and MTLS_POP count as credentials only for a verifier that checks them.
  const schemes = (verifier as Partial<BearerVerifier>)[CREDENTIAL_SCHEMES];
  const dpop = schemes?.dpop;
  const nonce = schemes?.nonce;
  const extractOptions = {
    ...resolveLocations(given.tokenLocations, where),
    realm,
    dpop: dpop !== undefined,
    mtlsPop: schemes?.mtlsPop === true,
  };

  const refuseCustom = (error: unknown, place: RequestPlace): unknown => {
    const fault = toVerifierFault(error);
    if (isAuthError(fault)) publishRefusal(fault, 'custom', place);
    return fault;
  };

  const verifyCustom = (token: string, context: VerifyRequest, place: RequestPlace): Promise<AuthInfo> => {
    let pending: Promise<unknown>;
    try {
      pending = Promise.resolve(verifier.verify(token, context));
    } catch (error) {
      return Promise.reject(refuseCustom(error, place));
    }
    return pending.then(
      (result) => toCustomIdentity(result, issuedBy),
      (error: unknown) => {
        throw refuseCustom(error, place);
      },
    );
  };

  return {
    realm,
    issuedBy,
    read(request, place) {
      let extracted: ExtractedToken | undefined;
      try {
        extracted = extractToken(request, extractOptions);
      } catch (error) {
        if (isAuthError(error)) publishRefusal(error, 'credential', place);
        throw error;
      }
      if (extracted !== undefined || optional) return extracted;
      const missing = new MissingTokenError('token_missing', { realm, authParams: issuedBy.authParams, dpop });
      publishRefusal(missing, 'credential', place);
      throw missing;
    },
    dpopNonce: (extracted) => (nonce !== undefined && extracted.scheme === 'DPoP' ? nonce(Date.now()) : undefined),
    verify: own === undefined ? verifyCustom : (token, context) => own(token, context),
  };
}
