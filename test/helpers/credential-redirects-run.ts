/**
 * Run in a child process with `NODE_DEBUG=bearer-guard` by the redaction test: meets credential redirects
 * on the metadata and on the JWK Set, through a request (503) and `ready()`, so that the debug log records
 * every line it writes for them. Prints `done` on stdout.
 */
import { createVerifier } from '../../src/index.js';
import { startCredentialRedirectIssuer } from './credential-redirects.js';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const issuer = await startCredentialRedirectIssuer();
issuer.metadata = 'redirect';
issuer.jwks = 'redirect';
const now = Math.floor(Date.now() / 1000);
const token = `${b64({ alg: 'ES256', kid: 'k' })}.${b64({ iss: issuer.issuer, aud: 'api://r', exp: now + 300 })}.${Buffer.alloc(64, 1).toString('base64url')}`;
for (const options of [{}, { jwksUri: issuer.jwksUri }]) {
  const verifier = createVerifier({ issuer: issuer.issuer, audience: 'api://r', ...options });
  await verifier.verify(token, { method: 'GET', url: '/receipts' }).catch(() => undefined);
  await verifier.ready().catch(() => undefined);
}
await issuer.close();
process.stdout.write('done\n');
