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

/**
 * The request the middleware of bearer-guard accepts: any Node request, whatever its `auth` is typed as.
 * Another library may declare `req.auth` on Express's `Request` with a type of its own (the MCP SDK does);
 * bearer-guard's middleware still plugs in without casts.
 */
export type MiddlewareRequest = IncomingMessage & { auth?: unknown };

/**
 * A standard `(req, res, next)` middleware. bearer-guard's factories return `Middleware<MiddlewareRequest>`
 * (any request); `Middleware` alone types a handler that reads `req.auth` as an {@link AuthInfo}.
 */
export type Middleware<Req extends IncomingMessage = AuthRequest> = (req: Req, res: ServerResponse, next: NextFunction) => void;

/** A standard `(err, req, res, next)` error middleware. */
export type ErrorMiddleware = (error: unknown, req: IncomingMessage, res: ServerResponse, next: NextFunction) => void;
