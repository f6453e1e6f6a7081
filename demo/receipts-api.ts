/**
 * The demo's Receipts API on its own, against a real issuer (`npm run demo` runs it against a local test
 * issuer instead). Any issuer:
 *
 *   ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx demo/receipts-api.ts
 *
 * Microsoft Entra ID (v1.0 and v2.0 tokens, both audience forms, the tenant's keys):
 *
 *   PROFILE=entra TENANT_ID=<directory id> CLIENT_ID=<API application id> npx tsx demo/receipts-api.ts
 *
 * Optional: JWKS_URI (skip discovery), ALLOWED_CLIENT_IDS (Entra: comma-separated calling application
 * ids), PORT (default 3000). Each route accepts its scope or an app role of the same name: define the app
 * roles `receipts.write`, `receipts.read` and `Receipts.Admin` (allowed member type: Applications) and
 * grant them to the calling application.
 */
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { createReceiptsApiFromEnv, ENV_USAGE } from './receipts-api-env.js';
import { requestLogLine } from './request-log.js';

function describeOneOrMore(issuer: unknown): string {
  return Array.isArray(issuer) ? issuer.join(' or ') : String(issuer);
}

async function main(): Promise<void> {
  let configured: ReturnType<typeof createReceiptsApiFromEnv>;
  try {
    configured = createReceiptsApiFromEnv(process.env, {
      onResponse: (entry) => console.log(requestLogLine(entry)),
    });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    process.stderr.write(`${error.message}\n${ENV_USAGE}\n`);
    process.exitCode = 1;
    return;
  }
  if (configured === undefined) {
    process.stderr.write(`${ENV_USAGE}\n`);
    process.exitCode = 1;
    return;
  }
  const { app, verifier } = configured;
  const port = Number(process.env.PORT ?? 3000);
  const server = app.listen(port, () => {
    const { port: bound } = server.address() as AddressInfo;
    const audience = describeOneOrMore(verifier.audience);
    console.log(`Receipts API on http://localhost:${bound}  (issuer ${describeOneOrMore(verifier.issuer)}, audience ${audience})`);
  });
  process.once('SIGINT', () => server.close());
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
