/**
 * Requests that went through `authenticate()` and were let on without an identity (optional
 * authentication). A guard reached by such a request answers 401 as always, but does not warn that
 * `authenticate()` is missing. Weakly held: nothing outlives its request.
 */
import type { IncomingMessage } from 'node:http';

const passed = new WeakSet<IncomingMessage>();

/** Notes that `req` went through `authenticate()` without an identity. */
export function markPassedAuthenticate(req: IncomingMessage): void {
  passed.add(req);
}

/** True when `req` went through `authenticate()` without an identity. */
export function passedAuthenticate(req: IncomingMessage): boolean {
  return passed.has(req);
}
