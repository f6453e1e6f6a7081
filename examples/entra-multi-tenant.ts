/**
 * entra-multi-tenant: a multi-tenant API (`tenantId: 'organizations'`) that accepts tokens from the
 * tenants of its customers only. Each token's issuer must name the tenant of its own `tid` claim, the tenant
 * must be on the allow-list, and a signing key that declares its own issuer must belong to that tenant.
 * Any organisation can otherwise create a daemon app and get a token for your API: keep the allow-list.
 *
 * Needs real tenants: set CLIENT_ID (the API's application id) and ALLOWED_TENANTS (comma-separated
 * tenant GUIDs), optionally PORT, then (after `npm run build`, from the repository root):
 *   CLIENT_ID=… ALLOWED_TENANTS=…,… npx tsx examples/entra-multi-tenant.ts
 * Refused tokens answer 401 invalid_token; the logged reason says why (tenant_not_allowed,
 * tenant_mismatch, key_issuer_mismatch, token_version_mismatch…).
 */
import express from 'express';
import { authenticate, entraId, isAuthError, requireRoles } from 'bearer-guard/express';

const { CLIENT_ID, ALLOWED_TENANTS, PORT = '3000' } = process.env;
if (!CLIENT_ID || !ALLOWED_TENANTS) {
  console.error('Set CLIENT_ID and ALLOWED_TENANTS (see the comment at the top of this file).');
  process.exit(1);
}

const app = express();
app.use(
  authenticate(
    entraId({
      tenantId: 'organizations',
      clientId: CLIENT_ID,
      allowedTenants: ALLOWED_TENANTS.split(','),
    }),
  ),
);
app.get('/receipts', requireRoles('Receipts.Read.All'), (req, res) => {
  res.json({ tenant: req.auth?.tenantId, caller: req.auth?.clientId, appOnly: req.auth?.isAppOnly });
});
app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
  if (!isAuthError(err)) {
    next(err);
    return;
  }
  console.warn(`refused: ${err.status} ${err.reason}`); // a stable code, never token contents
  res.status(err.status).set(err.headers);
  res.json({ error: err.error ?? 'unauthorized', error_description: err.description });
});

app.listen(Number(PORT), () => console.log(`Multi-tenant Receipts API on http://localhost:${PORT}`));
