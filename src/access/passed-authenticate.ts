/**
 * Requests that went through authentication and were let on without an identity (optional
 * authentication), with the verifier that let them on. A guard reached by such a request answers 401 as
 * always, with that verifier's challenge (realm, `resource_metadata`), and does not warn that
 * authentication is missing. Keyed by the framework's request object (a Node request for Express and
 * Connect, the Fastify request for Fastify). Weakly held: nothing outlives its request.
 */
import type { IssuedBy } from '../verify/identity/issued-identity.js';

const passed = new WeakMap<object, IssuedBy>();

/** Notes that `request` went through the authentication of the verifier `by` without an identity. */
export function markPassedAuthenticate(request: object, by: IssuedBy): void {
  passed.set(request, by);
}

/** The verifier whose authentication let `request` on without an identity, or `undefined`. */
export function passedAuthenticate(request: object): IssuedBy | undefined {
  return passed.get(request);
}
