/**
 * What to do about a refusal, in plain words: read from the reason, the token's (unverified) claims and the
 * configuration. Advice only: the verdict is the pipeline's and the guards'.
 */
import { ownMember, type JsonObject } from '../../json.js';
import { relativeTime } from '../../verify/claims/time-words.js';
import type { VerifierOptions } from '../../verify/verifier-options.js';
import type { RouteRequirements } from './verify-args.js';

/** What the hints are read from. */
export interface HintFacts {
  readonly reason: string;
  /** The decoded claims, when the token is a JWS. */
  readonly claims: JsonObject | undefined;
  readonly options: VerifierOptions;
  readonly requirements: RouteRequirements;
  /** The granted scopes and roles of a verified token (a guard's refusal). */
  readonly granted: { readonly scopes: readonly string[]; readonly roles: readonly string[] } | undefined;
  readonly nowSec: number;
}

const asList = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

const shown = (value: unknown): string => JSON.stringify(value) ?? 'absent';

function grantHints(facts: HintFacts): string[] {
  const { requirements, granted } = facts;
  if (granted === undefined) return [];
  const hints: string[] = [];
  const asRoles = requirements.scopes.filter((scope) => granted.roles.includes(scope));
  if (asRoles.length > 0) {
    hints.push(
      `the token carries ${asRoles.join(', ')} as an app role, not as a scope: application permissions (client credentials) ` +
        'arrive in roles; require them with requireRoles, or accept either with requireScopesOrRoles (--role, --any)',
    );
  }
  const asScopes = requirements.roles.filter((role) => granted.scopes.includes(role));
  if (asScopes.length > 0) {
    hints.push(`the token carries ${asScopes.join(', ')} as a scope, not as an app role: a user's delegated token; require it with requireScopes (--scope)`);
  }
  if (hints.length === 0) hints.push('grant the missing permission to the calling application (for Entra ID: an app role with admin consent)');
  return hints;
}

function audienceHints(claims: JsonObject, configured: readonly string[]): string[] {
  const aud = asList(ownMember(claims, 'aud'));
  const pairs = aud.flatMap((value) => configured.filter((mine) => value === `api://${mine}` || mine === `api://${value}`).map((mine) => [value, mine]));
  if (pairs.length > 0) {
    const [value, mine] = pairs[0]!;
    return [`aud ${shown(value)} is the same application as the configured ${shown(mine)} in its other form (client id or App ID URI): accept both (entraId() does; --app-id-uri for another URI)`];
  }
  return [`the token is for ${shown(aud.length === 1 ? aud[0] : aud)}; the API accepts ${shown(configured)}: request a token for this API, or add its audience`];
}

function issuerHints(claims: JsonObject, configured: readonly string[]): string[] {
  const iss = ownMember(claims, 'iss');
  if (typeof iss !== 'string') return ['the token has no iss string'];
  const trim = (value: string): string => value.replace(/\/+$/, '').toLowerCase();
  const near = configured.find((mine) => trim(mine) === trim(iss));
  if (near !== undefined) return [`iss ${shown(iss)} and the configured ${shown(near)} differ only in a trailing slash or in case: issuers are compared exactly, so copy iss as the token has it`];
  return [`the token's issuer is ${shown(iss)}; the API accepts ${shown(configured)}`];
}

/** Advice for a refusal with `facts.reason`. */
export function hintsFor(facts: HintFacts): string[] {
  const { reason, claims, options } = facts;
  const issuers = asList(options.issuer);
  switch (reason) {
    case 'scope_missing':
    case 'role_missing':
    case 'scope_or_role_missing':
      return grantHints(facts);
    case 'audience_mismatch':
      return claims === undefined ? [] : audienceHints(claims, asList(options.audience));
    case 'issuer_mismatch':
      return claims === undefined ? [] : issuerHints(claims, issuers);
    case 'token_expired': {
      const exp = claims === undefined ? undefined : ownMember(claims, 'exp');
      return [`the token expired${typeof exp === 'number' ? ` ${relativeTime(exp, facts.nowSec)}` : ''}: get a new one (clients should renew before exp)`];
    }
    case 'key_not_found':
      return [`the issuer's key set has no key for the token's kid: list the keys with "bearer-guard discover <issuer>"; Entra ID app-specific signing keys need --app-signing-keys true`];
    case 'signature_invalid':
      return ['the signature does not verify: the token was altered, or signed by another issuer that uses the same kid'];
    case 'jwks_unavailable':
    case 'metadata_unavailable':
      return [`the keys could not be fetched (see the key check): try "bearer-guard discover ${issuers[0] ?? '<issuer>'}"`];
    case 'foreign_resource_token':
      return ['a Microsoft Graph token: only Graph can validate it; request a token for your API (api://<API client id>/.default)'];
    case 'token_version_mismatch':
      return ['a v1.0 token at a v2.0-only configuration, or the reverse: set requestedAccessTokenVersion in the API manifest, or accept both versions'];
    case 'token_encrypted':
      return ['an encrypted token: disable access-token encryption at the issuer (OpenIddict encrypts by default)'];
    case 'tenant_not_allowed':
      return [`the token's tenant (tid ${shown(claims === undefined ? undefined : ownMember(claims, 'tid'))}) is not one this API accepts`];
    case 'client_not_allowed':
      return ['the calling application is not in allowedClientIds (--allowed-client-ids for entra)'];
    case 'authorization_malformed':
      return ['copy the token alone: it holds characters an access token cannot have'];
    default:
      return [];
  }
}
