/** The verified identity of the calling application. */
import type { JsonObject } from '../../json.js';
import type { TokenFormat } from '../format/identify-format.js';

/**
 * The verified identity of the calling application, attached to `req.auth`. Deeply frozen: the object, its
 * arrays (`audience`, `scopes`, `roles`), `header` and `payload` cannot be changed (writing to them throws
 * in strict-mode code; `push` always throws). The arrays are typed `string[]` so that they pass wherever a
 * `string[]` is expected.
 */
export interface AuthInfo {
  /** The raw access token, as sent. Never log it. */
  readonly token: string;
  /**
   * How the token was judged: `jws` (a signed JWT verified locally), `jwe` (an encrypted JWT, decrypted then
   * verified locally) or `opaque` (validated by the issuer's introspection endpoint).
   */
  readonly format: TokenFormat;
  /** The decoded JOSE header. */
  readonly header: Readonly<JsonObject>;
  /** Every claim of the token. */
  readonly payload: Readonly<JsonObject>;
  /** The `iss` claim (one of the configured issuers). */
  readonly issuer: string;
  /** The `sub` claim. */
  readonly subject?: string;
  /** The `aud` claim as an array (empty for tokens validated by `client_id`). Frozen. */
  readonly audience: string[];
  /**
   * The calling application: `client_id` (RFC 9068), else `azp` (Entra v2), else `appid` (Entra v1). The
   * first of these claims that is present decides: when its value is not a non-empty string there is no
   * client id (later claims are not consulted).
   */
  readonly clientId?: string;
  /** The tenant: `tid`. As for {@link AuthInfo.clientId}, the first present location decides. */
  readonly tenantId?: string;
  /**
   * Granted scopes: the union of `scope` (space-delimited) and `scp` (string or array). Either claim may
   * also be an array of strings, each element one scope. Frozen.
   */
  readonly scopes: string[];
  /** Granted app roles: `roles` (array of strings, or one string holding one role). Frozen. */
  readonly roles: string[];
  /**
   * True when no user is involved (client credentials): decided by `idtyp` (`"app"`) when present, else by
   * the profile's rule: Entra, a client id and no `scp`; Auth0, `gty: "client-credentials"` or `sub`
   * `<client>@clients`; Keycloak, a `service-account-<client>` username; otherwise `sub` equal to the
   * client id.
   */
  readonly isAppOnly: boolean;
  /** When the token expires (`exp`). */
  readonly expiresAt: Date;
}

