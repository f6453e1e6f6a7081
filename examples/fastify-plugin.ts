/**
 * fastify-plugin: bearer-guard on Fastify. The plugin decorates `request.auth` and authenticates every route
 * of the context it is registered in; guards are per-route `preHandler` hooks; `authErrorHandler()` answers
 * refusals as `{ "error", "error_description" }` (without it, Fastify's own error body is sent, with the
 * same status and WWW-Authenticate). A public route sits outside the protected context.
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/fastify-plugin.ts                    local test issuer; prints a token to try
 *   ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx examples/fastify-plugin.ts
 *   npx tsx examples/fastify-plugin.ts --check            self-check: sends requests, exits 0 or 1
 */
import type { RequestListener } from 'node:http';
import Fastify from 'fastify';
import type { VerifierOptions } from 'bearer-guard';
import { authErrorHandler, bearerGuard, requireClaims, requireScopes } from 'bearer-guard/fastify';
import { runExample } from './support/run-example.js';

async function createApp(options: VerifierOptions): Promise<RequestListener> {
  const app = Fastify();
  app.setErrorHandler(authErrorHandler());
  app.get('/health', async () => ({ up: true }));
  await app.register(async (api) => {
    await api.register(bearerGuard, { verifier: options });
    api.get<{ Params: { id: string } }>('/receipts/:id', { preHandler: requireScopes('receipts.read') }, async (request) => ({
      id: request.params.id,
      caller: request.auth?.clientId,
    }));
    // A rule over any claim, per route: 403 unless it returns true.
    api.post('/payouts', { preHandler: requireClaims((auth) => auth.payload.acr === 'mfa') }, async (_request, reply) =>
      reply.code(202).send({ accepted: true }),
    );
  });
  await app.ready();
  return (req, res) => app.routing(req, res);
}

await runExample({
  audience: 'api://receipts',
  createApp,
  tryIt: { path: '/receipts/42', claims: { scope: 'receipts.read' } },
  checks: [
    { title: 'a public route, no token', path: '/health', status: 200 },
    {
      title: 'a token with receipts.read',
      path: '/receipts/42',
      claims: { scope: 'receipts.read' },
      status: 200,
      checkBody: (body) => (JSON.stringify(body) === '{"id":"42","caller":"test-client"}' ? undefined : 'wrong body'),
    },
    {
      title: 'no token (JSON error body)',
      path: '/receipts/42',
      status: 401,
      error: null,
      checkBody: (body) => ((body as { error?: string }).error === 'unauthorized' ? undefined : 'wrong body'),
    },
    { title: 'a token without the scope', path: '/receipts/42', claims: { scope: 'other' }, status: 403, error: 'insufficient_scope' },
    { title: 'a payout with acr mfa', method: 'POST', path: '/payouts', claims: { acr: 'mfa' }, body: {}, status: 202 },
    { title: 'a payout without mfa', method: 'POST', path: '/payouts', claims: { acr: 'pwd' }, body: {}, status: 403, error: 'insufficient_scope' },
  ],
});
