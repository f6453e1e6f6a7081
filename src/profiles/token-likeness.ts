/**
 * What an access token looks like, told from its decoded header and claims alone (never verified): the
 * issuer family, the variant, the marks that gave it away, and notes worth knowing (a Microsoft Graph token,
 * an ID token, app permissions). Each family recognises its own tokens with a pure function in
 * `profiles/<family>/recognize.ts`; `recognize-token.ts` asks them in order. Diagnostics only: acceptance
 * never rests on it.
 */
import { ownMember, type JsonObject } from '../json.js';
import type { IssuerProfile } from '../verify/issuer-family.js';

/** What a token looks like. */
export interface TokenLikeness {
  /** The issuer family in words: `Microsoft Entra ID`, `Auth0`, `RFC 9068 issuer`… */
  readonly family: string;
  /** The variant within the family (`v2.0`, `custom authorization server "default"`…), when one shows. */
  readonly variant?: string;
  /** The profile whose claim locations and app-only rule read the token (as `req.auth` would show it). */
  readonly profile: IssuerProfile;
  /** The `bearer-guard verify --preset` that configures an API for such tokens, when there is one. */
  readonly preset?: string;
  /** The marks that gave the family away (`iss host sts.windows.net`, `ver "1.0"`, `header typ "at+jwt"`). */
  readonly marks: readonly string[];
  /** What is worth knowing about this very token (a Graph token, an ID token, no app roles…). */
  readonly notes: readonly string[];
}

/** A family's recognition: its likeness of a token, or `undefined` when the token is not of the family. */
export type TokenRecognizer = (header: JsonObject, payload: JsonObject) => TokenLikeness | undefined;

/** The `iss` claim parsed as a URL, when it is one. */
export function issuerUrl(payload: JsonObject): URL | undefined {
  const iss = ownMember(payload, 'iss');
  return typeof iss === 'string' && URL.canParse(iss) ? new URL(iss) : undefined;
}

/** True when `host` is `domain` or one of its subdomains. */
export function isHostIn(host: string | undefined, domain: string): boolean {
  if (host === undefined) return false;
  const lower = host.toLowerCase();
  return lower === domain || lower.endsWith(`.${domain}`);
}

/** The header `typ` normalised (`application/at+jwt` → `at+jwt`), lower case; `undefined` when absent. */
export function headerType(header: JsonObject): string | undefined {
  const typ = ownMember(header, 'typ');
  return typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : undefined;
}

/** A claim shown in a mark: `name "value"` (JSON), cut short. */
export function mark(name: string, value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return `${name} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}
