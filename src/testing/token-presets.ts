/**
 * The claim shapes of the access tokens the test issuer mints: RFC 9068 (the default), and the app-only
 * tokens Microsoft Entra ID issues in its v1.0 and v2.0 formats. A preset only fills in defaults; every
 * claim can be overridden or removed by the caller.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

/**
 * A token shape:
 * - `rfc9068`: header `typ: at+jwt`; `iss`, `sub` (the client), `aud`, `client_id`, `iat`, `exp`, `jti`.
 * - `entra-v2`: header `typ: JWT`; `azp`, `azpacr`, `idtyp: "app"`, `oid`, `sub`, `tid`, `uti`, `rh`,
 *   `aio`, `nbf`, `ver: "2.0"`.
 * - `entra-v1`: header `typ: JWT`; `appid`, `appidacr`, `idp`, `idtyp: "app"`, `oid`, `sub`, `tid`, `uti`,
 *   `rh`, `aio`, `nbf`, `ver: "1.0"`.
 * - `openiddict`: header `typ: at+jwt`; `iss`, `sub` (the client), `aud`, `client_id`, `oi_prst` (the
 *   presenter), `oi_tkn_id`, `iat`, `nbf`, `jti` (what OpenIddict writes into client-credentials tokens;
 *   `TestIssuer.signEncrypted` encrypts them as OpenIddict does by default).
 * - `b2c`: header `typ: JWT`; Azure AD B2C's client-credentials shape: `azp` and `sub` (the client), `azpacr`,
 *   `tfp` (the policy, `B2C_1A_CLIENTCREDENTIALSFLOW`), `nbf`, `ver: "1.0"`; app permissions go in `scp`.
 *
 * The Entra and B2C presets keep the test issuer's `iss` (its URL is local): pass `iss` in the claims to
 * imitate `https://login.microsoftonline.com/{tid}/v2.0`, `https://sts.windows.net/{tid}/` or
 * `https://<tenant>.b2clogin.com/{tid}/v2.0/`.
 */
export type TokenPreset = 'rfc9068' | 'entra-v1' | 'entra-v2' | 'openiddict' | 'b2c';

/** Every {@link TokenPreset}. */
export const TOKEN_PRESETS: readonly TokenPreset[] = Object.freeze(['rfc9068', 'entra-v1', 'entra-v2', 'openiddict', 'b2c']);

/** What a preset builds its claims from. */
export interface PresetContext {
  readonly issuer: string;
  readonly audience: string;
  readonly clientId: string;
  readonly tenantId: string;
  /** Seconds since the epoch. */
  readonly now: number;
}

/** The default header members and claims of one preset. */
export interface PresetShape {
  readonly typ: string;
  readonly claims: Record<string, unknown>;
}

/** A stable GUID-shaped object id for a client (Entra's service principal `oid`). */
function objectIdOf(clientId: string, tenantId: string): string {
  const hex = createHash('sha256').update(`${tenantId}\u0000${clientId}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function opaque(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** The defaults of `preset` (before the caller's claims are applied). */
export function presetShape(preset: TokenPreset, context: PresetContext): PresetShape {
  const { issuer, audience, clientId, tenantId, now } = context;
  if (preset === 'rfc9068') {
    return {
      typ: 'at+jwt',
      claims: { iss: issuer, sub: clientId, aud: audience, client_id: clientId, iat: now, jti: randomUUID() },
    };
  }
  if (preset === 'openiddict') {
    const claims = { iss: issuer, sub: clientId, aud: audience, client_id: clientId, oi_prst: clientId, oi_tkn_id: opaque(12) };
    return { typ: 'at+jwt', claims: { ...claims, iat: now, nbf: now, jti: randomUUID() } };
  }
  if (preset === 'b2c') {
    const policy = 'B2C_1A_CLIENTCREDENTIALSFLOW';
    return { typ: 'JWT', claims: { aud: audience, iss: issuer, iat: now, nbf: now, sub: clientId, tfp: policy, azpacr: '1', azp: clientId, ver: '1.0' } };
  }
  const oid = objectIdOf(clientId, tenantId);
  const common = {
    aud: audience,
    iss: issuer,
    iat: now,
    nbf: now,
    aio: opaque(24),
    idtyp: 'app',
    oid,
    rh: `0.${opaque(24)}.`,
    sub: oid,
    tid: tenantId,
    uti: opaque(16),
  };
  if (preset === 'entra-v2') {
    return { typ: 'JWT', claims: { ...common, azp: clientId, azpacr: '1', ver: '2.0' } };
  }
  return {
    typ: 'JWT',
    claims: { ...common, appid: clientId, appidacr: '1', idp: `https://sts.windows.net/${tenantId}/`, ver: '1.0' },
  };
}
