/**
 * The debug log (`NODE_DEBUG=bearer-guard`, read by Node at start-up, hence a child process): a `validate`
 * rule or a `requireClaims` rule that throws is refused, and its error is kept for this log only, never for
 * the client.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SCRIPT = `
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import express from 'express';
import { SignJWT } from 'jose';
import { authenticate, createVerifier, requireClaims } from './src/index.ts';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const token = await new SignJWT({ iss: 'https://login.example.com/', aud: 'api://receipts' })
  .setProtectedHeader({ alg: 'ES256' }).setExpirationTime('5m').sign(privateKey);
const options = { issuer: 'https://login.example.com/', audience: 'api://receipts', publicKeys: [publicKey] };
const verifier = createVerifier({ ...options, validate: () => { throw new Error('tenant directory lookup failed'); } });
await verifier.verify(token).catch((error) => console.log('validate:', error.status, error.reason, error.message));
const app = express();
app.get('/payouts', authenticate(options), requireClaims(() => { throw new TypeError('acr lookup failed'); }), (_req, res) => res.end('ok'));
const server = createServer(app).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const res = await fetch('http://127.0.0.1:' + server.address().port + '/payouts', { headers: { authorization: 'Bearer ' + token } });
console.log('requireClaims:', res.status, (await res.text()).includes('acr lookup failed') ? 'leaked' : 'not leaked');
server.close();
`;

describe('the debug log', () => {
  it('keeps the error of a throwing validate or requireClaims rule, which the client never sees', async () => {
    const { code, stdout, stderr } = await runNode(['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
      cwd: ROOT,
      env: { NODE_DEBUG: 'bearer-guard', NODE_ENV: 'production' },
    });
    expect(code).toBe(0);
    expect(stdout).toContain('validate: 401 claim_invalid The access token has an invalid claim');
    expect(stdout).toContain('requireClaims: 403 not leaked');
    expect(stderr).toMatch(/401 claim_invalid at caller: validate threw Error: tenant directory lookup failed/);
    expect(stderr).toMatch(/403 claim_rule_failed at guard: the rule threw TypeError: acr lookup failed \(GET \/payouts\)/);
  }, 30_000);
});
