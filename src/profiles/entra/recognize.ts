/**
 * Microsoft Entra ID tokens, told by their issuer (`https://sts.windows.net/<tid>/` for v1.0,
 * `https://login.microsoftonline.com/<tid>/v2.0` for v2.0, in any cloud), with notes on what trips people
 * up: a Microsoft Graph token, a token naming no calling application (an ID token), the two audience forms,
 * app permissions (`roles`) against delegated scopes (`scp`), personal Microsoft accounts.
 */
import { isNonEmptyString, ownMember, type JsonObject } from '../../json.js';
import { mark, type TokenLikeness } from '../token-likeness.js';
import { isGraphToken } from './diagnose.js';
import { parseEntraIssuer } from './entra-issuer.js';
import { PERSONAL_ACCOUNTS_TENANT } from './preset.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notesOf(payload: JsonObject, version: 'v1' | 'v2'): string[] {
  const notes: string[] = [];
  const aud = ownMember(payload, 'aud');
  if (isGraphToken(payload)) {
    return ['a Microsoft Graph token (aud is Graph): only Graph can validate it; request a token for your API (api://<API client id>/.default)'];
  }
  if (typeof aud === 'string') {
    notes.push(
      GUID.test(aud)
        ? 'aud is a client id (GUID): entraId({ clientId }) accepts it'
        : `aud is an Application ID URI, as ${version === 'v1' ? 'v1.0' : 'v2.0'} tokens may carry: entraId() accepts api://<clientId> unless appIdUri says otherwise`,
    );
  }
  const caller = isNonEmptyString(ownMember(payload, 'azp')) || isNonEmptyString(ownMember(payload, 'appid'));
  if (!caller) notes.push('names no calling application (no azp or appid): an ID token, not an access token');
  const app = ownMember(payload, 'idtyp') === 'app' || (caller && !Object.hasOwn(payload, 'scp'));
  if (caller && app) {
    notes.push(
      Object.hasOwn(payload, 'roles')
        ? 'app-only (client credentials): application permissions are in roles, so guard with requireRoles'
        : 'app-only with no roles: no application permission is granted to the caller (or admin consent is missing)',
    );
  } else if (caller) {
    notes.push('delegated (a user is involved): scopes are in scp');
  }
  if (ownMember(payload, 'tid') === PERSONAL_ACCOUNTS_TENANT) notes.push("a personal Microsoft account (refused under tenantId 'organizations')");
  if (version === 'v1') notes.push('a v1.0 token: the API\'s manifest asks for v1.0 (requestedAccessTokenVersion null or 1); entraId() accepts it unless acceptV1 is false');
  return notes;
}

/** An Entra ID token's likeness, or `undefined` when its issuer is not an Entra issuer. */
export function recognizeEntra(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const iss = ownMember(payload, 'iss');
  const parsed = typeof iss === 'string' ? parseEntraIssuer(iss) : undefined;
  if (parsed === undefined) return undefined;
  const marks = [`iss host ${parsed.host}`];
  for (const name of ['ver', 'tid', 'azp', 'appid', 'idtyp']) {
    if (Object.hasOwn(payload, name)) marks.push(mark(name, payload[name]));
  }
  return {
    family: 'Microsoft Entra ID',
    variant: parsed.version === 'v1' ? 'v1.0' : 'v2.0',
    profile: 'entra',
    preset: 'entra',
    marks,
    notes: notesOf(payload, parsed.version),
  };
}
