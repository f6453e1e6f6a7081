/**
 * JOSE header rules (RFC 7515 §4, RFC 8725): `alg` from the allow-list only; `kid` a string when present;
 * `crit` understood or refused (only `b64: true` is understood, and an unencoded payload never is);
 * `typ` an access-token type. Key-carrying members (`jwk`, `jku`, `x5u`, `x5c`) are never read.
 */
import { shown } from '../../events/debug-log.js';
import { ownMember, type JsonObject } from '../../json.js';
import { reject } from '../rejection.js';

/** The header members verification uses. */
export interface CheckedHeader {
  readonly alg: string;
  readonly kid: string | undefined;
}

/** How the header is judged. */
export interface HeaderPolicy {
  readonly algorithms: ReadonlySet<string>;
  /** When true only `at+jwt` is accepted as `typ`; otherwise also an absent `typ` and `JWT`. */
  readonly requireAtJwt: boolean;
}

function normalizeType(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function checkCritical(header: JsonObject): void {
  if (!Object.hasOwn(header, 'crit')) return;
  const crit = ownMember(header, 'crit');
  if (!Array.isArray(crit) || crit.length === 0) reject('header_invalid', () => `crit ${shown(crit)} is not a non-empty list`);
  for (const name of crit) {
    // `b64: true` is the default encoding, so listing it changes nothing; anything else is not understood.
    if (name !== 'b64' || ownMember(header, 'b64') !== true) reject('header_invalid', () => `crit names ${shown(name)}, which is not understood`);
  }
}

function refuseType(typ: unknown, requireAtJwt: boolean): never {
  reject('token_type_invalid', () => `typ ${shown(typ)} is not ${requireAtJwt ? 'at+jwt' : 'absent, JWT or at+jwt'}`);
}

function checkType(header: JsonObject, requireAtJwt: boolean): void {
  const typ = ownMember(header, 'typ');
  if (typ === undefined) {
    if (requireAtJwt) reject('token_type_invalid', () => 'typ is missing; at+jwt is required');
    return;
  }
  if (typeof typ !== 'string') refuseType(typ, requireAtJwt);
  const type = normalizeType(typ);
  if (type === 'at+jwt') return;
  if (type === 'jwt' && !requireAtJwt) return;
  refuseType(typ, requireAtJwt);
}

/** Checks `header` under `policy`; rejects a token that breaks a rule. */
export function checkHeader(header: JsonObject, policy: HeaderPolicy): CheckedHeader {
  const alg = ownMember(header, 'alg');
  const kid = ownMember(header, 'kid');
  if (typeof alg !== 'string') reject('header_invalid', () => `alg ${shown(alg)} is not a string`);
  if (!policy.algorithms.has(alg)) {
    reject('algorithm_not_allowed', () => `alg ${shown(alg)} is not one of ${shown([...policy.algorithms])}`);
  }
  if (kid !== undefined && typeof kid !== 'string') reject('header_invalid', () => `kid ${shown(kid)} is not a string`);
  checkCritical(header);
  checkType(header, policy.requireAtJwt);
  return { alg, kid };
}
