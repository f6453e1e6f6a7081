/**
 * The Receipts API of the demo: Express 5 protected by bearer-guard.
 *
 *   GET    /health         open
 *   POST   /receipts       scope receipts.write
 *   GET    /receipts/:id   scope receipts.read
 *   DELETE /receipts/:id   app role Receipts.Admin
 *
 * With `acceptAppRoles` (how `demo/receipts-api.ts` runs it against a real issuer) the scope routes also
 * accept an app role named like the scope.
 */
import express from 'express';
import {
  authenticate,
  authErrorHandler,
  isAuthError,
  type AuthError,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  type AuthInfo,
  type Middleware,
  type VerifierOptions,
} from '../src/index.js';

/** The scope and role names each route requires. */
export interface ReceiptsGrants {
  /** @default "receipts.write" */
  write: string;
  /** @default "receipts.read" */
  read: string;
  /** App role for DELETE. @default "Receipts.Admin" */
  admin: string;
}

/** Options of {@link createReceiptsApi}. */
export interface ReceiptsApiOptions {
  /** Who issues the tokens this API accepts. */
  verifier: VerifierOptions;
  /** Other scope and role names, to match how an issuer is configured. */
  grants?: Partial<ReceiptsGrants>;
  /**
   * Let each scope route also accept an app role of the same name (`roles: ["receipts.read"]`), as daemon
   * (client credentials) tokens of Microsoft Entra ID carry app roles and never scopes.
   * @default false
   */
  acceptAppRoles?: boolean;
  /** Called with the identity of each authenticated request, before the route's guard runs. */
  onAuthenticated?: (auth: AuthInfo) => void;
  /** Called once each response is sent (for logs), with the bearer-guard refusal behind it, if any. */
  onResponse?: (entry: {
    method: string;
    path: string;
    status: number;
    auth: AuthInfo | undefined;
    error: AuthError | undefined;
  }) => void;
}

/** A stored receipt. */
export interface Receipt {
  id: string;
  amount: number;
  currency: string;
  /** The client id of the service that created it. */
  createdBy: string | null;
}

/** The default grants. */
export const DEFAULT_GRANTS: ReceiptsGrants = { write: 'receipts.write', read: 'receipts.read', admin: 'Receipts.Admin' };

/** Builds the Receipts API (an Express 5 app holding its receipts in memory). */
export function createReceiptsApi(options: ReceiptsApiOptions): express.Express {
  const grants = { ...DEFAULT_GRANTS, ...options.grants };
  const needs = (scope: string): Middleware =>
    options.acceptAppRoles === true ? requireScopesOrRoles({ scopes: [scope], roles: [scope] }) : requireScopes(scope);
  const receipts = new Map<string, Receipt>();
  let nextId = 1;

  const refusals = new WeakMap<express.Request, AuthError>();

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const { onResponse } = options;
    if (onResponse !== undefined) {
      res.on('finish', () =>
        onResponse({ method: req.method, path: req.originalUrl, status: res.statusCode, auth: req.auth, error: refusals.get(req) }),
      );
    }
    next();
  });
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  app.use('/receipts', authenticate(options.verifier), (req, _res, next) => {
    if (req.auth !== undefined) options.onAuthenticated?.(req.auth);
    next();
  });
  app.post('/receipts', needs(grants.write), express.json(), (req, res) => {
    const { amount, currency } = (req.body ?? {}) as { amount?: unknown; currency?: unknown };
    if (typeof amount !== 'number' || !(amount > 0) || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      res.status(400).json({ error: 'invalid_receipt', error_description: 'amount > 0 and a 3-letter currency are required' });
      return;
    }
    const receipt: Receipt = { id: `r-${nextId++}`, amount, currency, createdBy: req.auth?.clientId ?? null };
    receipts.set(receipt.id, receipt);
    res.status(201).location(`/receipts/${receipt.id}`).json(receipt);
  });
  app.get('/receipts/:id', needs(grants.read), (req, res) => {
    const receipt = receipts.get(req.params.id);
    if (receipt === undefined) res.status(404).json({ error: 'not_found' });
    else res.json(receipt);
  });
  app.delete('/receipts/:id', requireRoles(grants.admin), (req, res) => {
    res.status(receipts.delete(req.params.id) ? 204 : 404).end();
  });

  app.use((error: unknown, req: express.Request, _res: express.Response, next: express.NextFunction) => {
    if (isAuthError(error)) refusals.set(req, error);
    next(error);
  });
  app.use(authErrorHandler());
  return app;
}
