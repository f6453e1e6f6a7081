// README.md ("Use it") quotes the code below this header, importing 'bearer-guard' by name; test/readme.test.ts
// keeps the quote and this file identical, app.test.ts runs it, and test/package.test.ts compiles the quote
// as pasted against the packed package.

// app.ts
import express from 'express';
import { authenticate, authErrorHandler, getAuth, requireRoles, requireScopes, type VerifierOptions } from '../../src/index.js';

export function createApp(options: VerifierOptions): express.Express {
  const app = express();
  app.use(authenticate(options));
  app.post('/receipts', requireScopes('receipts.write'), (req, res) => {
    res.status(201).json({ createdBy: getAuth(req).clientId });
  });
  app.delete('/receipts/:id', requireRoles('Receipts.Admin'), (_req, res) => {
    res.status(204).end();
  });
  app.use(authErrorHandler()); // 401/403/503 as JSON with their WWW-Authenticate header: no HTML, no stack trace
  return app;
}
