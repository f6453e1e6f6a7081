/**
 * Claims → {@link AuthInfo}: the calling application's identity, scopes and roles read from the locations
 * configured for its issuer. Values of unexpected types grant nothing; the result is deeply frozen, so a
 * cached identity shared between requests cannot be altered by one of them.
 */
import type { TokenFormat } from '../format/identify-format.js';
import type { AuthInfo } from './auth-info.js';
import type { IssuerFamily } from '../issuer-family.js';
import { ownMember, type JsonObject } from '../../json.js';
import { tagIssued, type IssuedBy } from './issued-identity.js';
import { readClaim, type CompiledClaimPath } from './claim-path.js';
import type { ResolvedClaimLocations } from './claim-locations.js';

/**
 * Distinct non-empty strings, in order of arrival. Tokens carry few scopes and roles: a linear search beats a
 * set for them, and a set takes over past 32 values (an Entra token may carry hundreds of groups).
 */
class DistinctValues {
  readonly list: string[] = [];
  #seen: Set<string> | undefined;

  add(value: string): void {
    if (value === '') return;
    const seen = this.#seen;
    if (seen !== undefined) {
      if (seen.has(value)) return;
      seen.add(value);
    } else {
      if (this.list.includes(value)) return;
      if (this.list.length === 31) this.#seen = new Set([...this.list, value]);
    }
    this.list.push(value);
  }
}

function addWords(into: DistinctValues, value: unknown): void {
  if (typeof value === 'string') {
    for (const word of value.split(' ')) into.add(word);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string') into.add(item);
  }
}

function addRoles(into: DistinctValues, value: unknown): void {
  if (typeof value === 'string') {
    into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string') into.add(item);
  }
}

/**
 * The value of the first location present in `payload`, when it is a non-empty string. The first present
 * location decides: a present value of another type (or `""`, or `null`) gives `undefined`, without falling
 * through to later locations, so a malformed claim can never be shadowed by a lower-priority one.
 */
function firstPresentString(payload: JsonObject, paths: readonly CompiledClaimPath[]): string | undefined {
  for (const path of paths) {
    const value = readClaim(payload, path);
    if (value !== undefined) return typeof value === 'string' && value !== '' ? value : undefined;
  }
  return undefined;
}

/** Scopes: the union of every scope location (space-delimited strings, or arrays of strings). */
export function readScopes(payload: JsonObject, locations: ResolvedClaimLocations): string[] {
  const scopes = new DistinctValues();
  for (const path of locations.scopes) addWords(scopes, readClaim(payload, path));
  return scopes.list;
}

/** Roles: the union of every role location (arrays of strings, or one string holding one role). */
export function readRoles(payload: JsonObject, locations: ResolvedClaimLocations): string[] {
  const roles = new DistinctValues();
  for (const path of locations.roles) addRoles(roles, readClaim(payload, path));
  return roles.list;
}

/** The client id and tenant of a payload: for each, the first present location decides. */
export function readCaller(
  payload: JsonObject,
  locations: ResolvedClaimLocations,
): { clientId: string | undefined; tenantId: string | undefined } {
  return {
    clientId: firstPresentString(payload, locations.clientId),
    tenantId: firstPresentString(payload, locations.tenantId),
  };
}

/** Freezes `values` and returns it typed as {@link AuthInfo} declares its arrays (`string[]`). */
function frozenList(values: string[]): string[] {
  Object.freeze(values);
  return values;
}

/** Freezes `value` and everything it holds, with an explicit stack: a deeply nested claim cannot overflow it. */
function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === 'object' && next !== null && !Object.isFrozen(next)) {
      Object.freeze(next);
      for (const key of Object.keys(next)) pending.push((next as Record<string, unknown>)[key]);
    }
  }
  return value;
}

/** `T` with its members writable, while it is being built. */
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** The parts of a verified token an {@link AuthInfo} is built from. */
export interface VerifiedToken {
  readonly token: string;
  readonly format: TokenFormat;
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly clientId: string | undefined;
  readonly tenantId: string | undefined;
  readonly exp: number;
}

/**
 * Builds the frozen {@link AuthInfo} of a verified token, tagged as issued by the verifier `by` (see
 * `issued-identity.ts`).
 */
export function toAuthInfo(
  verified: VerifiedToken,
  locations: ResolvedClaimLocations,
  family: IssuerFamily,
  by: IssuedBy,
): AuthInfo {
  const { payload, clientId, tenantId } = verified;
  const sub = ownMember(payload, 'sub');
  // Member by member, in the documented order and without object spreads, so that the identities of one
  // verifier share a few hidden classes and none is built through a slow generic copy.
  const info: Writable<AuthInfo> = {
    token: verified.token,
    format: verified.format,
    header: deepFreeze(verified.header),
    payload: deepFreeze(payload),
    issuer: verified.issuer,
  } as Writable<AuthInfo>;
  if (typeof sub === 'string') info.subject = sub;
  info.audience = frozenList(verified.audience.slice());
  if (clientId !== undefined) info.clientId = clientId;
  if (tenantId !== undefined) info.tenantId = tenantId;
  info.scopes = frozenList(readScopes(payload, locations));
  info.roles = frozenList(readRoles(payload, locations));
  info.isAppOnly = family.isAppOnly(payload, clientId);
  info.expiresAt = new Date(verified.exp * 1000);
  return Object.freeze(tagIssued(info, by));
}
