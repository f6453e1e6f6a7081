/**
 * The minimal request/response shapes the middleware uses, so that one function serves Express 4,
 * Express 5 and Connect with `node:http`, without depending on any framework's types.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '../verify/identity/auth-info.js';

/** A request that `authenticate()` may decorate with `auth`. */
export type AuthRequest = IncomingMessage & { auth?: AuthInfo; body?: unknown };

/** The `next` callback of Express and Connect. */
export type NextFunction = (error?: unknown) => void;

/** A standard `(req, res, next)` middleware. */
export type Middleware = (req: AuthRequest, res: ServerResponse, next: NextFunction) => void;

/** A standard `(err, req, res, next)` error middleware. */
export type ErrorMiddleware = (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
