/**
 * connect-http: bearer-guard with Connect and plain node:http, no Express. Connect has no routing by
 * method or parameters, so the handler reads `req.url` itself; bearer-guard errors are answered as JSON by
 * `authErrorHandler()` (Connect's final handler would also honour their status and headers).
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/connect-http.ts                     local test issuer; prints a token to try
 *   ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx examples/connect-http.ts
 *   npx tsx examples/connect-http.ts --check             self-check: sends requests, exits 0 or 1
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import connect from 'connect';
import { authenticate, authErrorHandler, requireScopes, type AuthRequest, type VerifierOptions } from 'bearer-guard';
import { runExample } from './support/run-example.js';

function createApp(options: VerifierOptions): connect.Server {
  const app = connect();
  app.use('/receipts', authenticate(options));
  app.use('/receipts', requireScopes('receipts.read'));
  app.use('/receipts', (req: IncomingMessage, res: ServerResponse) => {
    const auth = (req as AuthRequest).auth;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path: req.url, caller: auth?.clientId, scopes: auth?.scopes }));
  });
  app.use(authErrorHandler());
  return app;
}

await runExample({
  audience: 'api://receipts',
  createApp,
  tryIt: { path: '/receipts/42', claims: { scope: 'receipts.read' } },
  checks: [
    {
      title: 'a token with receipts.read',
      path: '/receipts/42',
      claims: { scope: 'receipts.read', client_id: 'billing' },
      status: 200,
      checkBody: (body) => ((body as { caller?: string }).caller === 'billing' ? undefined : 'expected caller billing'),
    },
    {
      title: 'no token (JSON error body)',
      path: '/receipts/42',
      status: 401,
      error: null,
      checkBody: (body) => ((body as { error?: string }).error === 'unauthorized' ? undefined : 'wrong body'),
    },
    {
      title: 'a token for another API',
      path: '/receipts/42',
      claims: { scope: 'receipts.read', aud: 'api://ledger' },
      status: 401,
      error: 'invalid_token',
    },
    {
      title: 'a token without the scope',
      path: '/receipts/42',
      claims: { scope: 'other' },
      status: 403,
      error: 'insufficient_scope',
    },
  ],
});
