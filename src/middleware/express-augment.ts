/**
 * Types `req.auth` on Express requests. Only declarations: importing bearer-guard is enough.
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
