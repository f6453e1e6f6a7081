/**
 * Requests that went through authentication and were let on without an identity (optional
 * authentication). A guard reached by such a request answers 401 as always, but does not warn that
 * authentication is missing. Keyed by the framework's request object (a Node request for Express and
 * Connect, the Fastify request for Fastify). Weakly held: nothing outlives its request.
 */
const passed = new WeakSet<object>();

/** Notes that `request` went through authentication without an identity. */
export function markPassedAuthenticate(request: object): void {
  passed.add(request);
}

/** True when `request` went through authentication without an identity. */
export function passedAuthenticate(request: object): boolean {
  return passed.has(request);
}
