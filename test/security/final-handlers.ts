/**
 * Express 5, Express 4 and Connect apps whose errors reach each framework's own default final handler,
 * built for a chosen environment: `development` (the handlers render `err.stack` and log it) or
 * `production` (status text only). Used by the suites that check what those handlers let out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import express5 from 'express';
import express4 from 'express4';
import type { Middleware } from '../../src/index.js';

/** The environment a framework's final handler runs in. */
export type Env = 'development' | 'production';

/** A GET route and the middleware chain before the final `{"ok":true}` answer. */
export interface Route {
  path: string;
  chain: Middleware[];
}

const requireCjs = createRequire(import.meta.url);

/** A copy of Connect loaded under `NODE_ENV=env` (Connect reads it once, when the module loads). */
function connectIn(env: Env): typeof import('connect') {
  const id = requireCjs.resolve('connect');
  const saved = process.env.NODE_ENV;
  delete requireCjs.cache[id];
  process.env.NODE_ENV = env;
  try {
    return requireCjs('connect') as typeof import('connect');
  } finally {
    process.env.NODE_ENV = saved;
    delete requireCjs.cache[id];
  }
}

/** The answer of every route that lets the request through. */
export const ok = (_req: IncomingMessage, res: ServerResponse): void => {
  res.setHeader('content-type', 'application/json');
  res.end('{"ok":true}');
};

/** An Express app (4 or 5) in `env` serving `routes`, its errors left to Express's final handler. */
function expressServer(create: typeof express5, env: Env, routes: Route[]): Server {
  const app = create();
  app.set('env', env);
  for (const route of routes) app.get(route.path, ...(route.chain as never[]), ok as never);
  return createServer(app);
}

/** Apps whose errors reach the framework's own final handler, in the given environment. */
export const DEFAULT_HANDLER_FRAMEWORKS: readonly { name: string; build: (env: Env, routes: Route[]) => Server }[] = [
  { name: 'Express 5', build: (env, routes) => expressServer(express5, env, routes) },
  { name: 'Express 4', build: (env, routes) => expressServer(express4 as unknown as typeof express5, env, routes) },
  {
    name: 'Connect + node:http',
    build: (env, routes) => {
      const app = connectIn(env)();
      for (const route of routes) {
        for (const middleware of route.chain) app.use(route.path, middleware as never);
        app.use(route.path, ok as never);
      }
      return createServer(app);
    },
  },
];
