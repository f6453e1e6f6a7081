/**
 * `getAuth(req)`: the verified identity of a request, typed as {@link AuthInfo} (not `AuthInfo | undefined`),
 * for route handlers behind `authenticate()`. Without one it throws the same 401 a guard answers, so a
 * handler mounted without `authenticate()` fails closed instead of reading `undefined`.
 */
import type { IncomingMessage } from 'node:http';
import { AuthenticationRequiredError } from '../errors/auth-errors.js';
import type { AuthInfo } from '../verify/identity/auth-info.js';
import { challengeOf, issuedRealm } from '../verify/identity/issued-identity.js';
import { passedAuthenticate } from '../access/passed-authenticate.js';

/**
 * The identity `authenticate()` attached to `req`. Throws {@link AuthenticationRequiredError} (401, an
 * `AuthError` that `authErrorHandler()` and the frameworks' final handlers answer) when there is none, or
 * when `req.auth` holds something bearer-guard did not verify.
 *
 * @example
 * app.get('/receipts', requireScopes('receipts.read'), (req, res) => {
 *   res.json({ caller: getAuth(req).clientId }); // AuthInfo, no `?.` needed
 * });
 */
export function getAuth(req: IncomingMessage | { readonly auth?: unknown }): AuthInfo {
  // Any request: Express's `Request` may not declare `auth` at all (bearer-guard does not, by default).
  const auth = (req as { readonly auth?: unknown }).auth;
  if (issuedRealm(auth) === undefined) {
    // Let on by `authenticate({ optional: true })`: answered with that verifier's challenge.
    const passed = passedAuthenticate(req as IncomingMessage);
    throw new AuthenticationRequiredError(passed === undefined ? undefined : challengeOf(passed));
  }
  return auth as AuthInfo;
}
