/**
 * The same protected routes on every framework bearer-guard serves: Express 5, Express 4, Connect +
 * node:http, Fastify (`bearer-guard/fastify`) and the web-standard entry (`createWebAuthenticator`, served
 * through a small node:http → `Request` bridge). A route is a chain of steps made with the framework's own
 * kit (its `authenticate` and guards), so each framework runs its real public API. Each app answers 200 with
 * the identity the request holds; refusals go to the framework's default answer (recording each error
 * first) or to its JSON error answer (`authErrorHandler()`, or the web entry's `Response`).
 */
import { createServer, type Server } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import express5 from 'express';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import {
  authenticate,
  authErrorHandler,
  authorize,
  createWebAuthenticator,
  isAuthError,
  requireClaims,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  toAuthResponse,
  type AuthenticateOptions,
  type AuthInfo,
  type ErrorMiddleware,
  type GuardHandle,
  type Middleware,
  type Verifier,
  type VerifierOptions,
  type WebAuthenticator,
} from '../../src/index.js';
import * as fastifyKit from '../../src/adapters/fastify/index.js';
import { sendResponse, toRequest } from './fetch-bridge.js';
import { FRAMEWORKS } from './frameworks.js';

/** One element of a route's chain, as the framework's kit made it. */
export type Step = unknown;

/** What each framework offers to build a chain. */
export interface Kit {
  authenticate(verifier: VerifierOptions | readonly VerifierOptions[] | Verifier, options?: AuthenticateOptions): Step;
  requireScopes: (...args: Parameters<typeof requireScopes>) => Step;
  requireRoles: (...args: Parameters<typeof requireRoles>) => Step;
  requireScopesOrRoles: (...args: Parameters<typeof requireScopesOrRoles>) => Step;
  requireClaims: (...args: Parameters<typeof requireClaims>) => Step;
  /** Puts a plausible identity on the request without authentication. */
  forgeAuth: Step;
  /** Parses a JSON body (built in where the framework does it itself). */
  jsonBody: Step;
}

/** A route: a method, a path and the chain before the final handler. */
export interface AdapterRoute {
  method?: 'GET' | 'POST' | 'DELETE';
  path: string;
  chain: readonly Step[];
}

/** How refusals are answered: the framework's default (each error recorded first), or JSON. */
export type Answering = { readonly kind: 'default'; readonly record: (error: unknown) => void } | { readonly kind: 'json' };

/** One framework. */
export interface Adapter {
  readonly name: string;
  readonly kit: Kit;
  /** Builds and starts a server on 127.0.0.1. */
  build(routes: readonly AdapterRoute[], answering: Answering): Promise<Server>;
  /** Whether bearer-guard itself marks answers to query-token requests `Cache-Control: private`. */
  readonly marksQueryAnswers: boolean;
  /** Whether a guard reached without authentication warns once (not the web entry's `authorize()`). */
  readonly warnsWithoutAuthenticate: boolean;
}

/** The identity fields every app answers with. */
export function identityOf(auth: AuthInfo | undefined): Record<string, unknown> {
  return {
    clientId: auth?.clientId ?? null,
    tenantId: auth?.tenantId ?? null,
    scopes: auth?.scopes ?? null,
    roles: auth?.roles ?? null,
    subject: auth?.subject ?? null,
    isAppOnly: auth?.isAppOnly ?? null,
  };
}

const FORGED = { scopes: ['receipts.read'], roles: [], token: 'forged', clientId: 'mallory' };

function listen(server: Server): Promise<Server> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const nodeKit: Kit = {
  authenticate,
  requireScopes,
  requireRoles,
  requireScopesOrRoles,
  requireClaims,
  forgeAuth: ((req, _res, next) => {
    (req as { auth?: unknown }).auth = FORGED;
    next();
  }) satisfies Middleware,
  jsonBody: express5.json() as unknown as Middleware,
};

function nodeAdapter(index: number): Adapter {
  const framework = FRAMEWORKS[index]!;
  return {
    name: framework.name,
    kit: nodeKit,
    marksQueryAnswers: true,
    warnsWithoutAuthenticate: true,
    build: (routes, answering) => {
      const handler: ErrorMiddleware =
        answering.kind === 'json'
          ? authErrorHandler()
          : (error, _req, _res, next) => {
              answering.record(error);
              next(error);
            };
      return listen(framework.build(routes.map((route) => ({ ...route, chain: route.chain as Middleware[] })), handler));
    },
  };
}

const fastifyAdapter: Adapter = {
  name: 'Fastify',
  marksQueryAnswers: true,
  warnsWithoutAuthenticate: true,
  kit: {
    authenticate: fastifyKit.authenticate,
    requireScopes: fastifyKit.requireScopes,
    requireRoles: fastifyKit.requireRoles,
    requireScopesOrRoles: fastifyKit.requireScopesOrRoles,
    requireClaims: fastifyKit.requireClaims,
    forgeAuth: (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      (request as { auth?: unknown }).auth = FORGED;
      done();
    },
    jsonBody: (_request: FastifyRequest, _reply: FastifyReply, done: () => void) => done(),
  },
  async build(routes, answering) {
    const app = Fastify();
    await app.register(fastifyKit.bearerGuard);
    // What express.urlencoded({ extended: false }) does: repeated names become arrays.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, parseQuery(body as string));
    });
    if (answering.kind === 'json') app.setErrorHandler(fastifyKit.authErrorHandler());
    else {
      app.setErrorHandler((error, _request, _reply) => {
        answering.record(error);
        throw error; // on to Fastify's default error handler
      });
    }
    for (const route of routes) {
      app.route({
        method: route.method ?? 'GET',
        url: route.path,
        preHandler: route.chain as never,
        handler: async (request) => identityOf(request.auth),
      });
    }
    await app.ready();
    return listen(app.server);
  },
};

type WebStep =
  | { readonly kind: 'authenticate'; readonly authenticate: WebAuthenticator }
  | { readonly kind: 'guard'; readonly guard: GuardHandle }
  | { readonly kind: 'forge' }
  | { readonly kind: 'json' };

async function answerWeb(steps: readonly WebStep[], request: Request, answering: Answering): Promise<Response> {
  const guards = steps.flatMap((step) => (step.kind === 'guard' ? [step.guard] : []));
  const first = steps.find((step) => step.kind !== 'json');
  let auth: AuthInfo | undefined;
  try {
    if (first?.kind === 'authenticate') {
      if (answering.kind === 'json') {
        const result = await first.authenticate(request, ...guards);
        if (result instanceof Response) return result;
        auth = result;
      } else auth = await first.authenticate.check(request, ...guards);
    } else {
      const held = first?.kind === 'forge' ? FORGED : undefined;
      if (answering.kind === 'json') {
        const denied = authorize(held, ...guards);
        if (denied !== undefined) return denied;
      } else authorize.check(held, ...guards);
    }
  } catch (error) {
    if (answering.kind !== 'default' || !isAuthError(error)) throw error;
    answering.record(error);
    return toAuthResponse(error);
  }
  return new Response(JSON.stringify(identityOf(auth)), { headers: { 'content-type': 'application/json' } });
}

const webAdapter: Adapter = {
  name: 'web-standard Request',
  marksQueryAnswers: false,
  warnsWithoutAuthenticate: false,
  kit: {
    authenticate: (verifier, options) => ({ kind: 'authenticate', authenticate: createWebAuthenticator(verifier, options) }),
    requireScopes: (...args) => ({ kind: 'guard', guard: requireScopes(...args) }),
    requireRoles: (...args) => ({ kind: 'guard', guard: requireRoles(...args) }),
    requireScopesOrRoles: (...args) => ({ kind: 'guard', guard: requireScopesOrRoles(...args) }),
    requireClaims: (...args) => ({ kind: 'guard', guard: requireClaims(...args) }),
    forgeAuth: { kind: 'forge' },
    jsonBody: { kind: 'json' },
  },
  build(routes, answering) {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const route = routes.find((r) => (r.method ?? 'GET') === req.method && r.path === path);
      if (route === undefined) {
        res.writeHead(404).end();
        return;
      }
      answerWeb(route.chain as WebStep[], toRequest(req), answering)
        .then((response) => sendResponse(response, res))
        .catch(() => res.writeHead(500).end());
    });
    return listen(server);
  },
};

/** Every framework bearer-guard serves. */
export const ADAPTERS: readonly Adapter[] = [nodeAdapter(0), nodeAdapter(1), nodeAdapter(2), fastifyAdapter, webAdapter];
