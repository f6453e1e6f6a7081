/**
 * The Receipts API against a real issuer, configured from environment variables.
 *
 * Any issuer:       ISSUER, AUDIENCE, optional JWKS_URI (skip discovery)
 * Microsoft Entra:  PROFILE=entra, TENANT_ID (directory GUID), CLIENT_ID (the API's application id),
 *                   optional ALLOWED_CLIENT_IDS (comma-separated calling application ids), JWKS_URI
 *
 * Against a real issuer each route also accepts an app role named like its scope: daemon (client
 * credentials) tokens of Entra ID carry the application permissions granted to the caller in `roles`,
 * never in `scp`.
 */
import type express from 'express';
import { entraId, type VerifierOptions } from '../src/index.js';
import { createReceiptsApi, type ReceiptsApiOptions } from './receipts-app.js';

/** How to run the API against a real issuer, printed when the variables are missing or wrong. */
export const ENV_USAGE = [
  'Set ISSUER and AUDIENCE (optional: JWKS_URI, PORT), e.g.',
  '  ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx demo/receipts-api.ts',
  'or, for Microsoft Entra ID, PROFILE=entra with TENANT_ID and CLIENT_ID (optional: ALLOWED_CLIENT_IDS), e.g.',
  '  PROFILE=entra TENANT_ID=<directory id> CLIENT_ID=<API application id> npx tsx demo/receipts-api.ts',
].join('\n');

const REALM = 'receipts';

function isSet(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

function entraFromEnv(env: NodeJS.ProcessEnv): VerifierOptions {
  const { TENANT_ID: tenantId, CLIENT_ID: clientId, ALLOWED_CLIENT_IDS: allowed } = env;
  if (isSet(env.ISSUER) || isSet(env.AUDIENCE)) {
    throw new TypeError('PROFILE=entra takes TENANT_ID and CLIENT_ID, not ISSUER and AUDIENCE');
  }
  if (!isSet(tenantId) || !isSet(clientId)) throw new TypeError('PROFILE=entra needs TENANT_ID and CLIENT_ID');
  const allowedClientIds = isSet(allowed) ? allowed.split(',').map((id) => id.trim()) : undefined;
  return entraId({ tenantId, clientId, ...(allowedClientIds !== undefined ? { allowedClientIds } : {}) });
}

/**
 * Verifier options from the environment (see the top of this file), `undefined` when no issuer is
 * configured at all. Throws a `TypeError` for an incomplete or contradictory configuration.
 */
export function verifierOptionsFromEnv(env: NodeJS.ProcessEnv): VerifierOptions | undefined {
  const { PROFILE: profile, ISSUER: issuer, AUDIENCE: audience, JWKS_URI: jwksUri } = env;
  let options: VerifierOptions;
  if (profile === 'entra') options = entraFromEnv(env);
  else if (isSet(profile)) throw new TypeError('PROFILE must be "entra" or unset');
  else if (isSet(issuer) && isSet(audience)) options = { issuer, audience };
  else return undefined;
  return { ...options, realm: REALM, ...(isSet(jwksUri) ? { jwksUri } : {}) };
}

/**
 * The Receipts API for the issuer configured in `env`, each route accepting its scope or the app role of
 * the same name; `undefined` when no issuer is configured. Throws like {@link verifierOptionsFromEnv}.
 */
export function createReceiptsApiFromEnv(
  env: NodeJS.ProcessEnv,
  hooks: Pick<ReceiptsApiOptions, 'onResponse'> = {},
): { app: express.Express; verifier: VerifierOptions } | undefined {
  const verifier = verifierOptionsFromEnv(env);
  if (verifier === undefined) return undefined;
  return { app: createReceiptsApi({ verifier, acceptAppRoles: true, ...hooks }), verifier };
}
