/**
 * Compile-only checks (type-checked by `tsc -p tsconfig.json`, never run): the web-standard entry's results,
 * `request.auth` on Fastify requests, and bearer-guard's Fastify hooks and guards in Fastify's route options
 * and error handler, without casts.
 */
import Fastify from 'fastify';
import { expectTypeOf } from 'vitest';
import { authErrorHandler, authenticate, bearerGuard, requireClaims, requireScopes } from '../../src/adapters/fastify/index.js';
import { authorize, createWebAuthenticator, requireRoles, type AuthInfo, type VerifierOptions } from '../../src/index.js';

declare const options: VerifierOptions;
declare const request: Request;

const required = createWebAuthenticator(options);
expectTypeOf(await required(request)).toEqualTypeOf<AuthInfo | Response>();
expectTypeOf(await required.check(request, requireRoles('Receipts.Admin'))).toEqualTypeOf<AuthInfo>();
const optional = createWebAuthenticator(options, { optional: true });
expectTypeOf(await optional(request)).toEqualTypeOf<AuthInfo | Response | undefined>();
expectTypeOf(authorize(undefined, requireRoles('Receipts.Admin'))).toEqualTypeOf<Response | undefined>();

const app = Fastify();
await app.register(bearerGuard, { verifier: options, optional: true });
app.setErrorHandler(authErrorHandler());
app.get('/receipts', { preHandler: [authenticate(options), requireScopes('receipts.read')] }, async (req) => {
  expectTypeOf(req.auth).toEqualTypeOf<AuthInfo | undefined>();
  return { caller: req.auth?.clientId };
});
app.get<{ Params: { id: string } }>('/receipts/:id', { preHandler: requireClaims((auth) => auth.payload.acr === 'mfa') }, async (req) => ({
  id: req.params.id,
}));
app.addHook('onRequest', authenticate([options, options]));
