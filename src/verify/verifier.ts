/** What `authenticate()` accepts besides verifier options: anything that verifies access tokens. */
import type { VerifyRequest } from '../request/verify-request.js';
import type { AuthInfo } from './identity/auth-info.js';

/** Verifies access tokens. */
export interface Verifier {
  /**
   * Verifies `token` (the raw access token, without the scheme prefix). `request` is the request that
   * carried it: `authenticate()` always passes it, and the stages that bind a token to its request (DPoP's
   * `htm`/`htu`, mutual TLS) read it; calls without it verify the token alone.
   * Rejects with an `AuthError`: `InvalidTokenError` (401) or `KeysUnavailableError` (503).
   */
  verify(token: string, request?: VerifyRequest): Promise<AuthInfo>;
}
