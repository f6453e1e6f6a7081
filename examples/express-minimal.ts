/**
 * express-minimal: the smallest protected Express 5 API. One route, one scope, and `authErrorHandler()`
 * answering failures as `{ "error", "error_description" }` with their status and WWW-Authenticate.
 * (Without it Express's default handler answers with the same status and headers, as an HTML page, and
 * logs each error.)
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/express-minimal.ts                  local test issuer; prints a token to try
 *   ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx examples/express-minimal.ts
 *   npx tsx examples/express-minimal.ts --check          self-check: sends requests, exits 0 or 1
 */
import express from 'express';
import { authenticate, authErrorHandler, requireScopes, type VerifierOptions } from 'bearer-guard/express';
import { runExample } from './support/run-example.js';

function createApp(options: VerifierOptions): express.Express {
  const app = express();
  app.get('/receipts/:id', authenticate(options), requireScopes('receipts.read'), (req, res) => {
    res.json({ id: req.params.id, caller: req.auth?.clientId });
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
      claims: { scope: 'receipts.read' },
      status: 200,
      checkBody: (body) => (JSON.stringify(body) === '{"id":"42","caller":"test-client"}' ? undefined : 'wrong body'),
    },
    { title: 'no token', path: '/receipts/42', status: 401, error: null },
    {
      title: 'a token without the scope',
      path: '/receipts/42',
      claims: { scope: 'receipts.write' },
      status: 403,
      error: 'insufficient_scope',
    },
    {
      title: 'an expired token',
      path: '/receipts/42',
      claims: { scope: 'receipts.read' },
      tokenOptions: { expiresIn: -300 },
      status: 401,
      error: 'invalid_token',
    },
  ],
});
