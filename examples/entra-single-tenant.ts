/**
 * entra-single-tenant: an API registered in one Microsoft Entra ID tenant, called by daemon applications
 * of that tenant with the client credentials grant. `entraId()` accepts v1.0 and v2.0 tokens, both
 * audience forms (the client id GUID and `api://<client id>`), and fetches the tenant's signing keys.
 * App-only tokens carry app roles (`roles`), not scopes; `requireScopesOrRoles` also admits delegated
 * (user) tokens with a scope.
 *
 * Needs a real tenant: set TENANT_ID (the directory GUID), CLIENT_ID (the API's application id) and
 * optionally ALLOWED_CLIENT_IDS (comma-separated calling application ids; recommended) and PORT, then
 * (after `npm run build`, from the repository root):
 *   TENANT_ID=… CLIENT_ID=… npx tsx examples/entra-single-tenant.ts
 * Get a daemon (app-only) token by signing in as the calling application first (with its secret, or its
 * certificate); logged in as a user, `az` returns a delegated user token instead (`scp`, no `roles`):
 *   az login --service-principal --username <caller app id> --password <client secret> \
 *     --tenant <TENANT_ID> --allow-no-subscriptions
 *   az account get-access-token --resource api://<CLIENT_ID>
 * or ask the token endpoint directly (the client credentials grant):
 *   curl -d grant_type=client_credentials -d client_id=<caller app id> -d client_secret=<secret> \
 *     -d scope=api://<CLIENT_ID>/.default https://login.microsoftonline.com/<TENANT_ID>/oauth2/v2.0/token
 * The token carries the app roles granted to the caller (API permissions → Application permissions, with
 * admin consent): define `Receipts.Read.All` (allowed member type: Applications) in this API's registration.
 */
import express from 'express';
import { authenticate, authErrorHandler, entraId, requireScopesOrRoles } from 'bearer-guard/express';

const { TENANT_ID, CLIENT_ID, ALLOWED_CLIENT_IDS, PORT = '3000' } = process.env;
if (!TENANT_ID || !CLIENT_ID) {
  console.error('Set TENANT_ID and CLIENT_ID (see the comment at the top of this file).');
  process.exit(1);
}

const app = express();
app.use(
  authenticate(
    entraId({
      tenantId: TENANT_ID,
      clientId: CLIENT_ID,
      ...(ALLOWED_CLIENT_IDS ? { allowedClientIds: ALLOWED_CLIENT_IDS.split(',') } : {}),
    }),
  ),
);
app.get('/receipts', requireScopesOrRoles({ scopes: ['Receipts.Read'], roles: ['Receipts.Read.All'] }), (req, res) => {
  const auth = req.auth!;
  res.json({
    caller: auth.clientId, // azp (v2.0) or appid (v1.0)
    tenant: auth.tenantId,
    appOnly: auth.isAppOnly, // true for client-credentials tokens
    roles: auth.roles,
    scopes: auth.scopes,
  });
});
app.use(authErrorHandler());

app.listen(Number(PORT), () => console.log(`Receipts API for tenant ${TENANT_ID} on http://localhost:${PORT}`));
