/**
 * The same protected routes on Express 5, Express 4 and Connect + node:http, for `describe.each`.
 * Each app answers 200 with the identity `req.auth` held; errors reach each framework's own default
 * final handler (or the given error middleware).
 */
import { createServer, type Server } from 'node:http';
import connect from 'connect';
import express5 from 'express';
import express4 from 'express4';
import type { AuthRequest, ErrorMiddleware, Middleware } from '../../src/index.js';

/** A route: a method, a path and the middleware chain before the final handler. */
export interface TestRoute {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  chain: Middleware[];
}

/** Builds a server for one framework. */
export type AppFactory = (routes: TestRoute[], errorHandler?: ErrorMiddleware) => Server;

function respond(req: AuthRequest, res: import('node:http').ServerResponse): void {
  const auth = req.auth;
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.end(
    JSON.stringify({
      clientId: auth?.clientId ?? null,
      tenantId: auth?.tenantId ?? null,
      scopes: auth?.scopes ?? null,
      roles: auth?.roles ?? null,
      subject: auth?.subject ?? null,
      isAppOnly: auth?.isAppOnly ?? null,
    }),
  );
}

function expressApp(factory: typeof express5): AppFactory {
  return (routes, errorHandler) => {
    const app = factory();
    app.set('env', 'test'); // keeps the default final handler quiet on stderr
    app.use(factory.urlencoded({ extended: false }));
    for (const route of routes) {
      const method = (route.method ?? 'GET').toLowerCase() as 'get' | 'post' | 'delete';
      app[method](route.path, ...(route.chain as never[]), respond as never);
    }
    if (errorHandler !== undefined) app.use(errorHandler as never);
    return createServer(app);
  };
}

const connectApp: AppFactory = (routes, errorHandler) => {
  const app = connect();
  app.use(express5.urlencoded({ extended: false }) as never);
  for (const route of routes) {
    const method = route.method ?? 'GET';
    const chain = [...route.chain, respond as Middleware];
    app.use((req, res, next) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== method || path !== route.path) {
        next();
        return;
      }
      let index = 0;
      const step = (error?: unknown): void => {
        if (error !== undefined) {
          next(error);
          return;
        }
        const handler = chain[index++];
        if (handler !== undefined) handler(req as AuthRequest, res, step);
      };
      step();
    });
  }
  if (errorHandler !== undefined) app.use(errorHandler as never);
  return createServer(app);
};

/** Every framework the middleware supports. */
export const FRAMEWORKS: readonly { name: string; build: AppFactory }[] = [
  { name: 'Express 5', build: expressApp(express5) },
  { name: 'Express 4', build: expressApp(express4) },
  { name: 'Connect + node:http', build: connectApp },
];
