/**
 * The offline reading of a token: its format, decoded header and claims (never the signature), the issuer
 * family it looks like (asked of the families' recognizers), its times in words, the identity `req.auth`
 * would hold under that family's claim locations, and its key binding. Nothing is verified or fetched.
 */
import { isJsonObject, ownMember, type JsonObject } from '../../json.js';
import { FAMILIES } from '../../profiles/families.js';
import { recognizeToken } from '../../profiles/recognize-token.js';
import { relativeTime } from '../../verify/claims/time-words.js';
import { decodeJws } from '../../verify/format/decode-jws.js';
import { identifyFormat, type TokenFormat } from '../../verify/format/identify-format.js';
import { resolveClaimLocations } from '../../verify/identity/claim-locations.js';
import { readCaller, readRoles, readScopes } from '../../verify/identity/to-auth-info.js';
import type { IssuerProfile } from '../../verify/issuer-family.js';
import { TokenRejection } from '../../verify/rejection.js';
import { UsageError } from '../cli-io.js';

/** What a token looks like: a family (and variant), or `opaque`, or `encrypted`. */
export interface Likeness {
  readonly family: string;
  readonly variant?: string;
  /** The `verify --preset` for such tokens, when there is one. */
  readonly preset?: string;
  readonly marks: readonly string[];
  readonly notes: readonly string[];
}

/** One time claim in words. */
export interface TimeClaim {
  readonly claim: 'exp' | 'nbf' | 'iat';
  /** Seconds since the epoch, as in the token. */
  readonly value: number;
  readonly iso: string;
  /** `expires in 42 min`, `expired 3 h ago`, `issued 2 s ago`, `valid since 2 s ago`… */
  readonly words: string;
}

/** The identity `req.auth` would hold (the token itself left out). */
export interface InspectedIdentity {
  readonly issuer: unknown;
  readonly subject: string | undefined;
  readonly audience: unknown;
  readonly clientId: string | undefined;
  readonly tenantId: string | undefined;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly isAppOnly: boolean;
  /** The profile whose claim locations and app-only rule were applied. */
  readonly profile: string;
}

/** What `inspect` found. */
export interface InspectReport {
  readonly format: TokenFormat;
  readonly length: number;
  readonly looksLike: Likeness;
  /** The (protected) header of a JWS or JWE. */
  readonly header?: JsonObject;
  /** The claims of a JWS. */
  readonly claims?: JsonObject;
  readonly times?: readonly TimeClaim[];
  readonly problems?: readonly string[];
  readonly identity?: InspectedIdentity;
  readonly binding?: { readonly kind: 'none' | 'dpop' | 'mtls' | 'other'; readonly detail: string };
}

const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

function timeWords(claim: TimeClaim['claim'], value: number, nowSec: number): string {
  const when = relativeTime(value, nowSec);
  const past = value <= nowSec;
  if (claim === 'exp') return past ? `expired ${when}` : `expires ${when}`;
  if (claim === 'iat') return past ? `issued ${when}` : `issued ${when}, in the future`;
  return past ? `valid since ${when}` : `not valid before ${when}`;
}

function readTimes(payload: JsonObject, nowSec: number): { times: TimeClaim[]; problems: string[] } {
  const times: TimeClaim[] = [];
  const problems: string[] = [];
  for (const claim of ['exp', 'nbf', 'iat'] as const) {
    const value = ownMember(payload, claim);
    if (value === undefined) {
      if (claim === 'exp') problems.push('no exp: every verifier refuses it (claim_missing)');
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > 8.64e12) {
      problems.push(`${claim} is not a NumericDate (seconds since 1970)`);
      continue;
    }
    times.push({ claim, value, iso: new Date(value * 1000).toISOString(), words: timeWords(claim, value, nowSec) });
  }
  return { times, problems };
}

function readBinding(payload: JsonObject): NonNullable<InspectReport['binding']> {
  const cnf = ownMember(payload, 'cnf');
  if (cnf === undefined) return { kind: 'none', detail: 'no cnf claim: a plain Bearer token' };
  const refused = 'sent as a plain Bearer token it is refused (token_sender_constrained)';
  if (isJsonObject(cnf) && typeof ownMember(cnf, 'jkt') === 'string') {
    return { kind: 'dpop', detail: `bound to a DPoP key (cnf.jkt ${JSON.stringify(cnf.jkt)}, RFC 9449): ${refused}` };
  }
  if (isJsonObject(cnf) && typeof ownMember(cnf, 'x5t#S256') === 'string') {
    return { kind: 'mtls', detail: `bound to a client certificate (cnf["x5t#S256"], RFC 8705): ${refused}` };
  }
  return { kind: 'other', detail: `a cnf claim of another kind (RFC 7800): ${refused}` };
}

function readIdentity(payload: JsonObject, profile: IssuerProfile): InspectedIdentity {
  const family = FAMILIES.get(profile) ?? FAMILIES.get('generic')!;
  const locations = resolveClaimLocations(undefined, family.claims);
  const { clientId, tenantId } = readCaller(payload, locations);
  const sub = ownMember(payload, 'sub');
  return {
    issuer: ownMember(payload, 'iss'),
    subject: typeof sub === 'string' ? sub : undefined,
    audience: ownMember(payload, 'aud'),
    clientId,
    tenantId,
    scopes: readScopes(payload, locations),
    roles: readRoles(payload, locations),
    isAppOnly: family.isAppOnly(payload, clientId),
    profile: family.name,
  };
}

function decodeProtectedHeader(segment: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

const ENCRYPTED_NOTE =
  'an encrypted JWT (JWE): its claims are readable only with the API\'s decryption key; OpenIddict encrypts access tokens by default';
const OPAQUE_NOTE = 'a reference token: only its issuer can tell what it means (introspection, RFC 7662); it is not a JWT';

/** Reads `token` at `nowSec`; throws a {@link UsageError} for input that is not a token. */
export function inspectToken(token: string, nowSec: number): InspectReport {
  const format = identifyFormat(token);
  const length = token.length;
  if (!B64TOKEN.test(token)) throw new UsageError('not a token: it holds characters no Bearer token has (spaces, quotes, line breaks…)');
  if (format === 'opaque') return { format, length, looksLike: { family: 'opaque', marks: [`${length} characters, not a JWT`], notes: [OPAQUE_NOTE] } };
  if (format === 'jwe') {
    const header = decodeProtectedHeader(token.slice(0, token.indexOf('.')));
    if (header === undefined) throw new UsageError('not a token: five segments, but the first is not a base64url JSON header');
    return { format, length, header, looksLike: { family: 'encrypted', marks: ['five segments (JWE)'], notes: [ENCRYPTED_NOTE] } };
  }
  let header: JsonObject;
  let payload: JsonObject;
  try {
    ({ header, payload } = decodeJws(token));
  } catch (error) {
    if (!(error instanceof TokenRejection)) throw error;
    throw new UsageError(`not a token: it has the shape of a JWT, but ${error.detail?.() ?? 'it does not decode'}`);
  }
  const { profile, ...looksLike } = recognizeToken(header, payload);
  const { times, problems } = readTimes(payload, nowSec);
  return {
    format,
    length,
    looksLike,
    header,
    claims: payload,
    times,
    ...(problems.length === 0 ? {} : { problems }),
    identity: readIdentity(payload, profile),
    binding: readBinding(payload),
  };
}
