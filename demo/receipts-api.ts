/**
 * The Receipts API of the demo: Express 5 protected by bearer-guard.
 *
 *   GET    /health         open
 *   POST   /receipts       scope receipts.write
 *   GET    /receipts/:id   scope receipts.read
 *   DELETE /receipts/:id   app role Receipts.Admin
 *
 * `npm run demo` runs it against the built-in test issuer. To point it at a real issuer, run it alone:
 *
 *   ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx demo/receipts-api.ts
 *
 * Optional: JWKS_URI (skip discovery), PORT (default 3000).
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import express from 'express';
import {
  authenticate,
  authErrorHandler,
  requireRoles,
  requireScopes,
  type AuthInfo,
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
  /** Called with the identity of each authenticated request, before the route's guard runs. */
  onAuthenticated?: (auth: AuthInfo) => void;
  /** Called once each response is sent (for logs). */
  onResponse?: (entry: { method: string; path: string; status: number; auth: AuthInfo | undefined }) => void;
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
  const receipts = new Map<string, Receipt>();
  let nextId = 1;

  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const { onResponse } = options;
    if (onResponse !== undefined) {
      res.on('finish', () => onResponse({ method: req.method, path: req.originalUrl, status: res.statusCode, auth: req.auth }));
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
  app.post('/receipts', requireScopes(grants.write), express.json(), (req, res) => {
    const { amount, currency } = (req.body ?? {}) as { amount?: unknown; currency?: unknown };
    if (typeof amount !== 'number' || !(amount > 0) || typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      res.status(400).json({ error: 'invalid_receipt', error_description: 'amount > 0 and a 3-letter currency are required' });
      return;
    }
    const receipt: Receipt = { id: `r-${nextId++}`, amount, currency, createdBy: req.auth?.clientId ?? null };
    receipts.set(receipt.id, receipt);
    res.status(201).location(`/receipts/${receipt.id}`).json(receipt);
  });
  app.get('/receipts/:id', requireScopes(grants.read), (req, res) => {
    const receipt = receipts.get(req.params.id);
    if (receipt === undefined) res.status(404).json({ error: 'not_found' });
    else res.json(receipt);
  });
  app.delete('/receipts/:id', requireRoles(grants.admin), (req, res) => {
    res.status(receipts.delete(req.params.id) ? 204 : 404).end();
  });

  app.use(authErrorHandler());
  return app;
}

/** Verifier options from `ISSUER`, `AUDIENCE` and optional `JWKS_URI`, or `undefined` when not set. */
export function verifierOptionsFromEnv(env: NodeJS.ProcessEnv): VerifierOptions | undefined {
  const { ISSUER: issuer, AUDIENCE: audience, JWKS_URI: jwksUri } = env;
  if (issuer === undefined || issuer === '' || audience === undefined || audience === '') return undefined;
  return { issuer, audience, realm: 'receipts', ...(jwksUri !== undefined && jwksUri !== '' ? { jwksUri } : {}) };
}

function describeCaller(auth: AuthInfo | undefined): string {
  if (auth === undefined) return 'no identity';
  const grants = [...auth.scopes, ...auth.roles.map((role) => `role:${role}`)].join(' ') || 'no scopes or roles';
  return `client ${auth.clientId ?? '(none)'} ${grants}`;
}

async function main(): Promise<void> {
  const verifier = verifierOptionsFromEnv(process.env);
  if (verifier === undefined) {
    process.stderr.write('Set ISSUER and AUDIENCE (optional: JWKS_URI, PORT), e.g.\n');
    process.stderr.write('  ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx demo/receipts-api.ts\n');
    process.exitCode = 1;
    return;
  }
  const app = createReceiptsApi({
    verifier,
    onResponse: ({ method, path, status, auth }) => console.log(`${method} ${path} → ${status}  ${describeCaller(auth)}`),
  });
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    const { port: bound } = server.address() as AddressInfo;
    console.log(`Receipts API on http://localhost:${bound}  (issuer ${String(verifier.issuer)}, audience ${String(verifier.audience)})`);
  });
  process.once('SIGINT', () => server.close());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
