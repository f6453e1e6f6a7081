/**
 * custom-json-errors: your own error format. bearer-guard passes every failure to `next(err)` as an
 * AuthError with `status`, `headers` (WWW-Authenticate, or Retry-After on 503), the public OAuth `error`
 * code and a stable `reason` (token_expired, audience_mismatch, scope_missing…). This handler answers
 * them as RFC 9457 problem details and leaves other errors to the next handler. Keep the headers: the
 * WWW-Authenticate challenge is what OAuth clients read.
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/custom-json-errors.ts               local test issuer; prints a token to try
 *   npx tsx examples/custom-json-errors.ts --check       self-check: sends requests, exits 0 or 1
 */
import express from 'express';
import { authenticate, isAuthError, requireScopes, type VerifierOptions } from 'bearer-guard/express';
import { runExample } from './support/run-example.js';

const problemDetails: express.ErrorRequestHandler = (err, _req, res, next) => {
  if (!isAuthError(err)) {
    next(err);
    return;
  }
  res.status(err.status).set(err.headers).type('application/problem+json').json({
    type: `https://receipts.example.com/problems/${err.reason}`,
    title: err.description,
    status: err.status,
    reason: err.reason,
  });
};

function createApp(options: VerifierOptions): express.Express {
  const app = express();
  app.get('/receipts', authenticate(options), requireScopes('receipts.read'), (req, res) => {
    res.json({ caller: req.auth?.clientId });
  });
  app.use(problemDetails);
  return app;
}

const problem = (reason: string) => (body: unknown, headers: Headers) => {
  const type = headers.get('content-type') ?? '';
  const ok = type.startsWith('application/problem+json') && (body as { reason?: string }).reason === reason;
  return ok ? undefined : `expected a problem+json body with reason ${reason}`;
};

await runExample({
  audience: 'api://receipts',
  createApp,
  tryIt: { path: '/receipts', claims: { scope: 'receipts.read' } },
  checks: [
    { title: 'a valid token', path: '/receipts', claims: { scope: 'receipts.read' }, status: 200 },
    { title: 'no token', path: '/receipts', status: 401, error: null, checkBody: problem('token_missing') },
    {
      title: 'an expired token',
      path: '/receipts',
      claims: { scope: 'receipts.read' },
      tokenOptions: { expiresIn: -600 },
      status: 401,
      error: 'invalid_token',
      checkBody: problem('token_expired'),
    },
    {
      title: 'another audience',
      path: '/receipts',
      claims: { aud: 'api://ledger' },
      status: 401,
      error: 'invalid_token',
      checkBody: problem('audience_mismatch'),
    },
    {
      title: 'a missing scope',
      path: '/receipts',
      claims: { scope: 'x' },
      status: 403,
      error: 'insufficient_scope',
      checkBody: problem('scope_missing'),
    },
  ],
});
