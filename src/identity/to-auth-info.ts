/**
 * Claims → {@link AuthInfo}: the calling application's identity, scopes and roles read from the locations
 * configured for its issuer. Values of unexpected types grant nothing; the result is deeply frozen, so a
 * cached identity shared between requests cannot be altered by one of them.
 */
import type { AuthInfo, IssuerProfile, JsonObject } from '../types.js';
import { isAppOnlyToken } from './app-only.js';
import { tagIssued } from './issued-identity.js';
import { readClaim, type CompiledClaimPath } from './claim-path.js';
import type { ResolvedClaimLocations } from './claim-locations.js';

function addWords(into: Set<string>, value: unknown): void {
  if (typeof value === 'string') {
    for (const word of value.split(' ')) if (word !== '') into.add(word);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string' && item !== '') into.add(item);
  }
}

function addRoles(into: Set<string>, value: unknown): void {
  if (typeof value === 'string') {
    if (value !== '') into.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) if (typeof item === 'string' && item !== '') into.add(item);
  }
}

function firstString(payload: JsonObject, paths: readonly CompiledClaimPath[]): string | undefined {
  for (const path of paths) {
    const value = readClaim(payload, path);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

/** Scopes: the union of every scope location (space-delimited strings, or arrays of strings). */
export function readScopes(payload: JsonObject, locations: ResolvedClaimLocations): string[] {
  const scopes = new Set<string>();
  for (const path of locations.scopes) addWords(scopes, readClaim(payload, path));
  return [...scopes];
}

/** Roles: the union of every role location (arrays of strings, or one string holding one role). */
export function readRoles(payload: JsonObject, locations: ResolvedClaimLocations): string[] {
  const roles = new Set<string>();
  for (const path of locations.roles) addRoles(roles, readClaim(payload, path));
  return [...roles];
}

/** The client id and tenant of a payload. */
export function readCaller(
  payload: JsonObject,
  locations: ResolvedClaimLocations,
): { clientId: string | undefined; tenantId: string | undefined } {
  return { clientId: firstString(payload, locations.clientId), tenantId: firstString(payload, locations.tenantId) };
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

/** The parts of a verified token an {@link AuthInfo} is built from. */
export interface VerifiedToken {
  readonly token: string;
  readonly header: JsonObject;
  readonly payload: JsonObject;
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly clientId: string | undefined;
  readonly tenantId: string | undefined;
  readonly exp: number;
}

/**
 * Builds the frozen {@link AuthInfo} of a verified token, tagged as issued by a verifier of `realm` (see
 * `issued-identity.ts`).
 */
export function toAuthInfo(
  verified: VerifiedToken,
  locations: ResolvedClaimLocations,
  profile: IssuerProfile,
  realm: string,
): AuthInfo {
  const { payload, clientId, tenantId } = verified;
  const sub = payload.sub;
  const info: AuthInfo = {
    token: verified.token,
    header: deepFreeze(verified.header),
    payload: deepFreeze(payload),
    issuer: verified.issuer,
    ...(typeof sub === 'string' ? { subject: sub } : {}),
    audience: Object.freeze([...verified.audience]),
    ...(clientId !== undefined ? { clientId } : {}),
    ...(tenantId !== undefined ? { tenantId } : {}),
    scopes: Object.freeze(readScopes(payload, locations)),
    roles: Object.freeze(readRoles(payload, locations)),
    isAppOnly: isAppOnlyToken(payload, clientId, profile),
    expiresAt: new Date(verified.exp * 1000),
  };
  return Object.freeze(tagIssued(info, realm));
}
