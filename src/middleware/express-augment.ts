/**
 * Types `req.auth` on Express requests. Only declarations, loaded by the `bearer-guard/express` entry point
 * (never by `bearer-guard` itself, so that it cannot collide with another library's `req.auth`).
 */
import type { AuthInfo } from '../verify/identity/auth-info.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified caller, set by bearer-guard's `authenticate()`. */
      auth?: AuthInfo;
    }
  }
}

export {};
