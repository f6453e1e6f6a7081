/**
 * Requests that went through `authenticate()` and were let on without an identity (optional
 * authentication), with the verifier that let them on. A guard reached by such a request answers 401 as
 * always, with that verifier's challenge (realm, `resource_metadata`), and does not warn that
 * `authenticate()` is missing. Weakly held: nothing outlives its request.
 */
import type { IncomingMessage } from 'node:http';
import type { IssuedBy } from '../verify/identity/issued-identity.js';

const passed = new WeakMap<IncomingMessage, IssuedBy>();

/** Notes that `req` went through the `authenticate()` of the verifier `by` without an identity. */
export function markPassedAuthenticate(req: IncomingMessage, by: IssuedBy): void {
  passed.set(req, by);
}

/** The verifier whose `authenticate()` let `req` on without an identity, or `undefined`. */
export function passedAuthenticate(req: IncomingMessage): IssuedBy | undefined {
  return passed.get(req);
}
