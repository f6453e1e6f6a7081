/**
 * Reading a JWE Compact Serialization (RFC 7516 §7.1) before anything is decrypted: five segments of
 * canonical base64url, a protected header that is a UTF-8 JSON object, and the header rules. `alg` and
 * `enc` from the allow-lists only; no `zip` (compressed plaintext is never inflated); no `crit` (no JWE
 * extension is understood); `kid` a string when present; for ECDH-ES an `epk` that is a public key on a
 * supported curve. Key-carrying members (`jwk`, `jku`, `x5u`, `x5c`) are never read.
 */
import { shown } from '../../events/debug-log.js';
import { isJsonObject, ownMember, type JsonObject } from '../../json.js';
import { reject } from '../rejection.js';
import { checkCanonical, decodeJsonObject } from './decode-jws.js';
import { keyManagementSpec, type KeyManagementKind } from './jwe-algorithms.js';

/** A JWE whose header passed every rule, not yet decrypted. */
export interface ReadJwe {
  readonly alg: string;
  readonly enc: string;
  readonly kind: KeyManagementKind;
  readonly kid: string | undefined;
  /** The curve of the ephemeral public key (ECDH-ES). */
  readonly epkCurve: string | undefined;
}

/** The algorithms a JWE may use. */
export interface JwePolicy {
  readonly keyManagement: ReadonlySet<string>;
  readonly contentEncryption: ReadonlySet<string>;
}

// Header, encrypted key (empty for direct encryption and direct key agreement), IV, ciphertext, tag.
const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const EC_CURVES = new Set(['P-256', 'P-384', 'P-521']);
const EC_EPK: ReadonlySet<string> = new Set(['kty', 'crv', 'x', 'y']);
const OKP_EPK: ReadonlySet<string> = new Set(['kty', 'crv', 'x']);

function invalid(detail: () => string): never {
  reject('encryption_header_invalid', detail);
}

/** The curve of a valid ephemeral public key; rejects anything else (private or unknown members included). */
function readEpk(header: JsonObject): string {
  const epk = ownMember(header, 'epk');
  if (!isJsonObject(epk)) invalid(() => 'epk is missing or not an object');
  const kty = ownMember(epk, 'kty');
  const crv = ownMember(epk, 'crv');
  const coordinate = (name: string): boolean => typeof ownMember(epk, name) === 'string';
  // Only the members of a public key: anything else (`d`, `key_ops`, `ext`…) is refused before jose and
  // WebCrypto see it.
  const members = Object.keys(epk);
  const valid =
    (kty === 'EC' && EC_CURVES.has(crv as string) && coordinate('x') && coordinate('y') && members.every((name) => EC_EPK.has(name))) ||
    (kty === 'OKP' && crv === 'X25519' && coordinate('x') && members.every((name) => OKP_EPK.has(name)));
  if (!valid) invalid(() => `epk (kty ${shown(kty)}, crv ${shown(crv)}) is not a public key on a supported curve`);
  for (const name of ['apu', 'apv']) {
    const value = ownMember(header, name);
    if (value !== undefined && typeof value !== 'string') invalid(() => `${name} is not a string`);
  }
  return crv as string;
}

/** Reads `token` (known to have five segments) under `policy`; rejects a JWE that breaks a rule. */
export function readJwe(token: string, policy: JwePolicy): ReadJwe {
  if (!COMPACT_JWE.test(token)) reject('token_malformed', () => 'not five base64url segments (IV, ciphertext and tag non-empty)');
  const segments = token.split('.');
  for (const segment of segments) if (segment !== '') checkCanonical(segment);
  const header = decodeJsonObject(segments[0]!);
  const alg = ownMember(header, 'alg');
  const enc = ownMember(header, 'enc');
  if (typeof alg !== 'string') invalid(() => `alg ${shown(alg)} is not a string`);
  if (!policy.keyManagement.has(alg)) {
    reject('encryption_algorithm_not_allowed', () => `alg ${shown(alg)} is not one of ${shown([...policy.keyManagement])}`);
  }
  if (typeof enc !== 'string') invalid(() => `enc ${shown(enc)} is not a string`);
  if (!policy.contentEncryption.has(enc)) {
    reject('content_encryption_not_allowed', () => `enc ${shown(enc)} is not one of ${shown([...policy.contentEncryption])}`);
  }
  if (Object.hasOwn(header, 'zip')) reject('compression_not_allowed', () => `zip ${shown(ownMember(header, 'zip'))} is present`);
  if (Object.hasOwn(header, 'crit')) invalid(() => `crit ${shown(ownMember(header, 'crit'))} names what no JWE extension here understands`);
  const kid = ownMember(header, 'kid');
  if (kid !== undefined && typeof kid !== 'string') invalid(() => `kid ${shown(kid)} is not a string`);
  const kind = keyManagementSpec(alg)!.kind;
  const direct = kind === 'dir' || alg === 'ECDH-ES';
  if (direct !== (segments[1] === '')) {
    reject('token_malformed', () => (direct ? `alg ${alg} takes no encrypted key, and one is present` : `alg ${alg} needs an encrypted key`));
  }
  return { alg, enc, kind, kid, epkCurve: kind === 'ecdh-es' ? readEpk(header) : undefined };
}
