/**
 * `bearer-guard verify` decides as the middleware does: a corpus of good and bad tokens sent to a real API
 * over HTTP (Express 5, Express 4, Connect) and given to the built CLI gets the same status, the same stable
 * reason and the same WWW-Authenticate header, and the CLI's exit code follows the status.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, entraId, requireRoles, requireScopes, type Middleware, type VerifierOptions } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { reasonErrorHandler } from '../helpers/error-reason.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { expectNoToken, inBatches, runJson } from './support.js';

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CALLER = 'a11ce000-5678-4abc-8def-0123456789ab';

/** One corpus token: its route (and the CLI flags that say the same), and the answer expected of both. */
interface Case {
  readonly name: string;
  readonly token: string;
  readonly route: '/open' | '/read' | '/admin';
  readonly status: number;
  readonly reason: string | null;
}

const ROUTE_FLAGS: Readonly<Record<Case['route'], string[]>> = { '/open': [], '/read': ['--scope', 'receipts.read'], '/admin': ['--role', 'Receipts.Admin'] };
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

let issuer: TestIssuer;
const suites: { name: string; options: () => VerifierOptions; flags: () => string[]; cases: () => Promise<Case[]> }[] = [
  {
    name: 'issuer and audience',
    options: () => ({ issuer: issuer.url, audience: 'api://receipts' }),
    flags: () => ['--issuer', issuer.url, '--audience', 'api://receipts'],
    cases: async () => {
      const good = await issuer.sign({ scope: 'receipts.read', roles: ['Receipts.Admin'] });
      const [header, payload] = good.split('.') as [string, string, string];
      const other = (await issuer.sign({ scope: 'x' })).split('.')[2]!;
      return [
        { name: 'a good token', token: good, route: '/read', status: 200, reason: null },
        { name: 'a good token with the role', token: good, route: '/admin', status: 200, reason: null },
        { name: 'a token without the scope', token: await issuer.sign({ scope: 'receipts.write' }), route: '/read', status: 403, reason: 'scope_missing' },
        { name: 'a token without the role', token: await issuer.sign({ roles: ['Receipts.Read'] }), route: '/admin', status: 403, reason: 'role_missing' },
        { name: 'an expired token', token: await issuer.sign({}, { expiresIn: -3600 }), route: '/open', status: 401, reason: 'token_expired' },
        { name: 'a token not yet valid', token: await issuer.sign({}, { notBefore: 3600 }), route: '/open', status: 401, reason: 'token_not_yet_valid' },
        { name: 'a token issued in the future', token: await issuer.sign({ iat: Math.floor(Date.now() / 1000) + 3600 }), route: '/open', status: 401, reason: 'token_issued_in_future' },
        { name: 'a token without exp', token: await issuer.sign({}, { expiresIn: null }), route: '/open', status: 401, reason: 'claim_missing' },
        { name: 'a token for another audience', token: await issuer.sign({ aud: 'api://other' }), route: '/open', status: 401, reason: 'audience_mismatch' },
        { name: 'a token of another issuer', token: await issuer.sign({ iss: 'https://login.example.com/' }), route: '/open', status: 401, reason: 'issuer_mismatch' },
        { name: 'a token of an unknown kid', token: await issuer.sign({}, { header: { kid: 'not-published' } }), route: '/open', status: 401, reason: 'key_not_found' },
        { name: 'a token with a foreign signature', token: `${header}.${payload}.${other}`, route: '/open', status: 401, reason: 'signature_invalid' },
        { name: 'an HS256 token', token: `${b64({ alg: 'HS256', kid: issuer.signingKid })}.${payload}.${randomBytes(32).toString('base64url')}`, route: '/open', status: 401, reason: 'algorithm_not_allowed' },
        { name: 'a token with an ID token typ', token: await issuer.sign({}, { header: { typ: 'id+jwt' } }), route: '/open', status: 401, reason: 'token_type_invalid' },
        { name: 'a token with a crit header', token: `${b64({ alg: 'RS256', kid: issuer.signingKid, crit: ['x-policy'], 'x-policy': 1 })}.${payload}.${other}`, route: '/open', status: 401, reason: 'header_invalid' },
        { name: 'a DPoP-bound token', token: await issuer.sign({ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }), route: '/open', status: 401, reason: 'token_sender_constrained' },
        { name: 'an opaque token', token: randomBytes(30).toString('base64url'), route: '/open', status: 401, reason: 'token_malformed' },
        { name: 'an encrypted token', token: [b64({ alg: 'RSA-OAEP', enc: 'A256GCM' }), ...[24, 12, 90, 16].map((n) => randomBytes(n).toString('base64url'))].join('.'), route: '/open', status: 401, reason: 'token_encrypted' },
        { name: 'a JWT whose claims are not JSON', token: `${header}.${Buffer.from('{"iss":').toString('base64url')}.${other}`, route: '/open', status: 401, reason: 'token_malformed' },
        { name: 'a token with a character no Bearer token has', token: `${header}.${payload}"`, route: '/open', status: 400, reason: 'authorization_malformed' },
      ];
    },
  },
  {
    name: 'entraId() (Entra-shaped v1.0, v2.0 and Graph tokens)',
    options: () => ({ ...entraId({ tenantId: TENANT, clientId: API, acceptV1: false }), jwksUri: issuer.jwksUri }),
    flags: () => ['--preset', 'entra', '--tenant-id', TENANT, '--client-id', API, '--accept-v1', 'false', '--jwks-uri', issuer.jwksUri],
    cases: async () => {
      const v2 = (claims: Record<string, unknown>): Promise<string> =>
        issuer.sign({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API, ...claims }, { preset: 'entra-v2', clientId: CALLER });
      const v1 = (claims: Record<string, unknown>): Promise<string> =>
        issuer.sign({ iss: `https://sts.windows.net/${TENANT}/`, aud: `api://${API}`, ...claims }, { preset: 'entra-v1', clientId: CALLER });
      const otherTenant = '00000000-0000-4000-8000-000000000000';
      return [
        { name: 'a v2.0 daemon token with the role', token: await v2({ roles: ['Receipts.Admin'] }), route: '/admin', status: 200, reason: null },
        { name: 'a v2.0 daemon token whose role is not a scope', token: await v2({ roles: ['receipts.read'] }), route: '/read', status: 403, reason: 'scope_missing' },
        { name: 'a v1.0 token at a v2.0-only API', token: await v1({ roles: ['Receipts.Admin'] }), route: '/admin', status: 401, reason: 'token_version_mismatch' },
        { name: 'a Microsoft Graph token', token: await v2({ aud: '00000003-0000-0000-c000-000000000000' }), route: '/open', status: 401, reason: 'foreign_resource_token' },
        { name: 'a token of another tenant', token: await v2({ iss: `https://login.microsoftonline.com/${otherTenant}/v2.0`, tid: otherTenant }), route: '/open', status: 401, reason: 'tenant_not_allowed' },
        { name: 'an ID token (no azp)', token: await v2({ azp: undefined, roles: ['Receipts.Admin'] }), route: '/admin', status: 401, reason: 'token_type_invalid' },
      ];
    },
  },
];

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts', tenantId: TENANT });
});
afterAll(() => issuer.close());

describe.each(suites)('the same verdict from the middleware and from the CLI: $name', (suite) => {
  let cases: Case[];
  let cli: { status: unknown; reason: unknown; wwwAuthenticate: unknown; code: number | null }[];

  beforeAll(async () => {
    cases = await suite.cases();
    cli = await inBatches(
      cases.map((entry) => async () => {
        const { run, json } = await runJson(['verify', ...suite.flags(), ...ROUTE_FLAGS[entry.route]], { stdin: entry.token });
        expectNoToken(run, entry.token);
        return { status: json.status, reason: json.reason, wwwAuthenticate: json.wwwAuthenticate, code: run.code };
      }),
    );
  }, 120_000);

  it('gives each token the expected answer, exit 0 when accepted and 1 when refused', () => {
    const expected = cases.map((entry) => ({ name: entry.name, status: entry.status, reason: entry.reason, code: entry.status === 200 ? 0 : 1 }));
    expect(cases.map((entry, i) => ({ name: entry.name, status: cli[i]!.status, reason: cli[i]!.reason, code: cli[i]!.code }))).toEqual(expected);
  });

  it.each(FRAMEWORKS)('answers exactly as the middleware does on $name over HTTP', async ({ build }) => {
    const verify: Middleware = authenticate(suite.options());
    const server = build(
      [
        { path: '/open', chain: [verify] },
        { path: '/read', chain: [verify, requireScopes('receipts.read')] },
        { path: '/admin', chain: [verify, requireRoles('Receipts.Admin')] },
      ],
      reasonErrorHandler,
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const answers = [];
      for (const entry of cases) {
        const response = await fetch(`${origin}${entry.route}`, { headers: { authorization: `Bearer ${entry.token}` } });
        const body = (await response.json()) as { reason?: string };
        answers.push({ name: entry.name, status: response.status, reason: body.reason ?? null, wwwAuthenticate: response.headers.get('www-authenticate') });
      }
      expect(answers).toEqual(cases.map((entry, i) => ({ name: entry.name, status: cli[i]!.status, reason: cli[i]!.reason, wwwAuthenticate: cli[i]!.wwwAuthenticate })));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
