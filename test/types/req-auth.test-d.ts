/**
 * Compile-only checks (type-checked by `tsc -p tsconfig.json`, never run): importing `bearer-guard/express`
 * types `req.auth` on Express requests, and its middleware plugs into Express without casts. (That the main
 * entry declares nothing, so that it compiles beside the MCP SDK, is checked by mcp-sdk.test.ts.)
 */
import express, { type Request, type Response } from 'express';
import { expectTypeOf } from 'vitest';
import {
  authenticate,
  authErrorHandler,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  type AuthInfo,
} from '../../src/express.js';

const app = express();
app.use(authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts' }));
app.get('/receipts', requireScopes('receipts.read'), (req: Request, res: Response) => {
  expectTypeOf(req.auth).toEqualTypeOf<AuthInfo | undefined>();
  const auth = req.auth;
  if (auth === undefined) return;
  expectTypeOf(auth.clientId).toEqualTypeOf<string | undefined>();
  expectTypeOf(auth.tenantId).toEqualTypeOf<string | undefined>();
  expectTypeOf(auth.scopes).toEqualTypeOf<string[]>();
  expectTypeOf(auth.roles).toEqualTypeOf<string[]>();
  expectTypeOf(auth.audience).toEqualTypeOf<string[]>();
  expectTypeOf(auth.expiresAt).toEqualTypeOf<Date>();
  expectTypeOf(auth.issuer).toEqualTypeOf<string>();
  // The arrays are `string[]` (frozen at run time), so they pass where a `string[]` is expected.
  const s: string[] = req.auth!.scopes;
  const r: string[] = auth.roles;
  const a: string[] = auth.audience;
  void [s, r, a];
  // @ts-expect-error AuthInfo's properties are read-only
  auth.scopes = [];
  // @ts-expect-error AuthInfo's properties are read-only
  auth.clientId = 'other';
  res.json({ caller: auth.clientId });
});
app.delete('/receipts/:id', requireRoles(['Receipts.Admin']), (req, res) => {
  expectTypeOf(req.auth).toEqualTypeOf<AuthInfo | undefined>();
  res.status(204).end();
});
app.get('/either', requireScopesOrRoles({ scopes: ['receipts.read'], roles: ['Receipts.Read.All'] }), (_req, res) => {
  res.end();
});
app.use(authErrorHandler());

// Router-level use works the same way.
const router = express.Router();
router.use(authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts' }, { tokenLocations: ['header', 'query'] }));
router.get('/x', (req, res) => res.json(req.auth?.scopes ?? []));

// Options are typed: a misspelt option or a wrong location does not compile.
// @ts-expect-error unknown token location
authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts' }, { tokenLocations: ['cookie'] });
// @ts-expect-error issuer is required
authenticate({ audience: 'api://receipts' });
// @ts-expect-error match is "all" or "any"
requireScopes('a', { match: 'some' });
// Guards take a realm for the 401 answered without an identity; unknown options do not compile.
requireScopes('a', { match: 'any', realm: 'receipts' });
requireRoles('Receipts Admin', { realm: 'receipts' });
requireScopesOrRoles({ roles: ['Receipts Admin'] }, { realm: 'receipts' });
// @ts-expect-error unknown guard option
requireScopes('a', { mode: 'any' });
// @ts-expect-error requireScopesOrRoles has no match option
requireScopesOrRoles({ scopes: ['a'] }, { match: 'any' });
