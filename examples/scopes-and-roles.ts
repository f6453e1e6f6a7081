/**
 * scopes-and-roles: every kind of guard. Scopes (`scope`/`scp`) are what a caller asked for; app roles
 * (`roles`) are what an administrator granted an application. Client-credentials tokens from Entra ID
 * carry roles only; many other issuers use scopes for applications too.
 *
 *   requireScopes('a')                          the scope a
 *   requireScopes(['a', 'b'])                   a AND b (match 'all' is the default)
 *   requireScopes(['a', 'b'], { match: 'any' }) a OR b
 *   requireRoles('R')                           the app role R
 *   requireScopesOrRoles({ scopes, roles })     any listed scope OR any listed role
 *
 * A missing grant answers 403 insufficient_scope, with `scope="…"` listing what the guard requires.
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/scopes-and-roles.ts                 local test issuer; prints a token to try
 *   npx tsx examples/scopes-and-roles.ts --check         self-check: sends requests, exits 0 or 1
 */
import express from 'express';
import {
  authenticate,
  authErrorHandler,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  type VerifierOptions,
} from 'bearer-guard/express';
import { runExample, type ExampleCheck } from './support/run-example.js';

function createApp(options: VerifierOptions): express.Express {
  const app = express();
  app.use(authenticate(options));
  const answer = (req: express.Request, res: express.Response): void => {
    res.json({ caller: req.auth?.clientId, scopes: req.auth?.scopes, roles: req.auth?.roles });
  };
  app.get('/receipts', requireScopes('receipts.read'), answer);
  app.post('/receipts/export', requireScopes(['receipts.read', 'receipts.export']), answer);
  app.get('/reports', requireScopes(['reports.read', 'reports.admin'], { match: 'any' }), answer);
  app.delete('/receipts/:id', requireRoles('Receipts.Admin'), answer);
  app.get('/audit', requireScopesOrRoles({ scopes: ['audit.read'], roles: ['Audit.Read.All'] }), answer);
  app.use(authErrorHandler());
  return app;
}

type Claims = Record<string, unknown>;

const allowed = (title: string, method: string, path: string, claims: Claims): ExampleCheck => ({
  title,
  method,
  path,
  claims,
  status: 200,
});
/** Refused with 403, and the challenge's scope attribute lists what the guard requires. */
const refused = (title: string, method: string, path: string, claims: Claims, scope: string): ExampleCheck => ({
  title,
  method,
  path,
  claims,
  status: 403,
  error: 'insufficient_scope',
  checkBody: (_body, headers) =>
    headers.get('www-authenticate')?.endsWith(`scope="${scope}"`) === true ? undefined : `expected scope="${scope}"`,
});

await runExample({
  audience: 'api://receipts',
  createApp,
  tryIt: { path: '/audit', claims: { roles: ['Audit.Read.All'] } },
  checks: [
    allowed('one scope', 'GET', '/receipts', { scope: 'receipts.read' }),
    refused('all scopes required, one missing', 'POST', '/receipts/export', { scope: 'receipts.read' },
      'receipts.read receipts.export'),
    allowed('all scopes present', 'POST', '/receipts/export', { scope: 'receipts.export receipts.read' }),
    allowed('any of two scopes', 'GET', '/reports', { scope: 'reports.admin' }),
    refused('a role required, a scope does not count', 'DELETE', '/receipts/7', { scope: 'Receipts.Admin' },
      'Receipts.Admin'),
    allowed('the app role', 'DELETE', '/receipts/7', { roles: ['Receipts.Admin'] }),
    allowed('a scope OR a role: the role', 'GET', '/audit', { roles: ['Audit.Read.All'] }),
    allowed('a scope OR a role: the scope', 'GET', '/audit', { scp: 'audit.read' }),
    refused('a scope OR a role: neither', 'GET', '/audit', { scope: 'receipts.read' }, 'audit.read Audit.Read.All'),
  ],
});
