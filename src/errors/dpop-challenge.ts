/**
 * The challenges of an API that accepts DPoP (RFC 9449 §7.1): a `DPoP` challenge naming the accepted proof
 * algorithms (`algs`) beside the `Bearer` one, or alone when DPoP is required. The error of a refusal goes
 * in the challenge of the scheme the request used: `Bearer realm="api", DPoP realm="api",
 * error="invalid_token", error_description="…", algs="ES256"` for a DPoP request.
 */
import { formatChallenge, isAuthParamName, scopeAttribute, toChallenge, type AuthParam, type ChallengeParams } from './challenge.js';

/** What the `DPoP` challenge of an answer says. */
export interface DpopChallengeOptions {
  /** The JWS algorithms accepted for DPoP proofs (the `algs` attribute). */
  readonly algs: readonly string[];
  /** Bearer is not accepted: the answer carries the `DPoP` challenge alone. @default false */
  readonly required?: boolean;
  /** The request used the `DPoP` scheme: its error goes in the `DPoP` challenge. @default false */
  readonly presented?: boolean;
}

/**
 * The `DPoP` challenge alone, with `error` (any code, `invalid_dpop_proof` and `use_dpop_nonce` included)
 * and `error_description` when given.
 */
export function toDpopChallenge(
  realm: string,
  algs: readonly string[],
  error?: { error: string; description?: string | undefined; scope?: readonly string[] | undefined },
  authParams: readonly AuthParam[] = [],
): string {
  const params: AuthParam[] = [['realm', realm]];
  if (error !== undefined) params.push(['error', error.error]);
  if (error?.description !== undefined) params.push(['error_description', error.description]);
  const scope = scopeAttribute(error?.scope);
  if (scope !== undefined) params.push(['scope', scope]);
  params.push(['algs', algs.join(' ')]);
  // The verifier's own auth-params (`resource_metadata`), as in its Bearer challenge.
  for (const param of authParams) if (isAuthParamName(param[0]) && param[0].toLowerCase() !== 'algs') params.push(param);
  return formatChallenge('DPoP', params);
}

/**
 * The `WWW-Authenticate` value of an answer: the Bearer challenge of `params` alone without `dpop`;
 * otherwise the Bearer and DPoP challenges, with the error in the one the request used (the DPoP one
 * alone when DPoP is required).
 */
export function toChallenges(params: ChallengeParams, dpop: DpopChallengeOptions | undefined): string {
  if (dpop === undefined) return toChallenge(params);
  const onDpop = dpop.required === true || dpop.presented === true;
  const error = onDpop && params.error !== undefined ? { error: params.error, description: params.description, scope: params.scope } : undefined;
  const dpopChallenge = toDpopChallenge(params.realm, dpop.algs, error, params.authParams);
  return withBearer(params.realm, dpop, dpopChallenge, onDpop ? undefined : params, params.authParams);
}

/**
 * `dpopChallenge` after the Bearer challenge (of `bearer`, else a bare one), or alone when DPoP is required.
 */
export function withBearer(
  realm: string,
  dpop: DpopChallengeOptions,
  dpopChallenge: string,
  bearer?: ChallengeParams,
  authParams?: readonly AuthParam[],
): string {
  if (dpop.required === true) return dpopChallenge;
  return `${toChallenge(bearer ?? { realm, ...(authParams === undefined ? {} : { authParams }) })}, ${dpopChallenge}`;
}
