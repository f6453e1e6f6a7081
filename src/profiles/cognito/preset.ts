/** Amazon Cognito preset: `client_id` instead of `aud`, `token_use: access` required. */
import type { PresetOptions } from '../../verify/verifier-options.js';
import { cognitoFamily } from './family.js';
import { copyClaimLocations } from '../../verify/identity/claim-locations.js';
import { fail, requiredString, stringOrStrings } from '../../options/option-checks.js';

/** Options of {@link cognito}. */
export interface CognitoOptions {
  /** The AWS region, e.g. `eu-west-1`. */
  region: string;
  /** The user pool id, e.g. `eu-west-1_AbCdEf123`. */
  userPoolId: string;
  /** The app client ids allowed to call (checked against `client_id`, since these tokens have no `aud`). */
  clientIds: string | readonly string[];
}

/**
 * Amazon Cognito: client-credentials access tokens carry no `aud`; the app client is in `client_id` and
 * the kind in `token_use: access`. This preset checks `client_id` against `clientIds` instead of `aud`,
 * requires `token_use: access` and refuses any token that does carry an `aud` (ID tokens do).
 *
 * @example
 * app.use(authenticate(cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: ['1example'] })));
 */
export function cognito(options: CognitoOptions): PresetOptions {
  const region = requiredString(options.region, 'region', 'cognito()');
  const pool = requiredString(options.userPoolId, 'userPoolId', 'cognito()');
  if (!/^[a-z0-9-]+$/.test(region)) fail('region', 'must be a region name', 'cognito()');
  if (!pool.startsWith(`${region}_`) || !/^[a-z0-9-]+_[A-Za-z0-9]+$/.test(pool)) {
    fail('userPoolId', 'must be "<region>_<id>", in the given region', 'cognito()');
  }
  const clientIds = stringOrStrings(options.clientIds, 'clientIds', 'cognito()');
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${encodeURIComponent(pool)}`;
  return {
    profile: 'cognito',
    issuer,
    audience: clientIds,
    audienceClaim: 'client_id',
    jwksUri: `${issuer}/.well-known/jwks.json`,
    claims: copyClaimLocations(cognitoFamily.claims),
    requiredClaims: { token_use: 'access' },
  };
}
