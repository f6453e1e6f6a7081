/**
 * `bearer-guard verify`, the built CLI as a child process against the test issuer on loopback: one line per
 * check, the status and WWW-Authenticate the API sends, hints; exit 0 accepted, 1 refused, 2 usage error,
 * 3 keys unavailable; every preset through its flags; `--json` against its schema; the token never in any
 * output.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { readSchema, schemaProblems } from '../helpers/json-schema.js';
import { expectNoToken, runCli, runJson } from './support.js';

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CALLER = 'a11ce000-5678-4abc-8def-0123456789ab';
const schema = readSchema('verify-report.schema.json');

let issuer: TestIssuer;
let dir: string;
let closedPort: number;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts', tenantId: TENANT });
  dir = mkdtempSync(join(tmpdir(), 'bearer-guard-cli-'));
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  closedPort = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
});
afterAll(async () => {
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

const plain = (): string[] => ['verify', '--issuer', issuer.url, '--audience', 'api://receipts'];
const entra = (): string[] => ['verify', '--preset', 'entra', '--tenant-id', TENANT, '--client-id', API, '--jwks-uri', issuer.jwksUri];
const entraV2 = (claims: Record<string, unknown> = {}): Promise<string> =>
  issuer.sign({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API, ...claims }, { preset: 'entra-v2', clientId: CALLER });

describe('bearer-guard verify', () => {
  it('prints each check passed, the answer and req.auth for an accepted token, exit 0', async () => {
    const token = await issuer.sign({ scope: 'receipts.read receipts.write' });
    const run = await runCli([...plain(), '--scope', 'receipts.read'], { stdin: token });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe("bearer-guard verify: accepted: the route's handler runs with req.auth below");
    expect(lines.filter((line) => line.startsWith('  ✓ ')).map((line) => line.slice(4, 16).trim())).toEqual([
      'credential', 'format', 'issuer', 'key', 'signature', 'claims', 'claims', 'binding', 'identity', 'caller', 'guard',
    ]);
    expect(lines).toContain(`  ✓ issuer      iss "${issuer.url}" is a configured issuer`);
    expect(lines).toContain('  ✓ guard       requires scopes ["receipts.read"] (all); the token grants scopes ["receipts.read","receipts.write"]');
    expect(lines).toContain("status            passes to the route's handler");
    expect(lines).toContain('req.auth          client "test-client", tenant null, app-only');
    expect(run.stdout).not.toContain('✗');
    expectNoToken(run, token);
  });

  it('prints the refused check with expected against actual, the 401 the API sends and a hint, exit 1', async () => {
    const token = await issuer.sign({ aud: 'api://payments' });
    const run = await runCli(plain(), { stdin: token });
    expect(run.code).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe('bearer-guard verify: refused, 401 audience_mismatch');
    expect(lines).toContain('  ✗ claims      audience_mismatch: aud "api://payments" has none of ["api://receipts"]');
    expect(lines).toContain('    (no later check is made)');
    expect(lines).toContain('status            401 Unauthorized');
    expect(lines).toContain('WWW-Authenticate  Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted"');
    expect(lines).toContain('hint              the token is for "api://payments"; the API accepts ["api://receipts"]: request a token for this API, or add its audience');
    expect(lines.some((line) => line.includes('binding'))).toBe(false);
    expectNoToken(run, token);
  });

  it("explains an Entra daemon's app role required as a scope: 403 with the scope challenge and the hint", async () => {
    const token = await entraV2({ roles: ['Receipts.Read'] });
    const run = await runCli([...entra(), '--scope', 'Receipts.Read', '--challenge-realm', 'receipts'], { stdin: token });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('looks like        Microsoft Entra ID v2.0  (verify with --preset entra)\n');
    expect(run.stdout).toContain('  ✗ guard       scope_missing: requires scopes ["Receipts.Read"] (all); the token grants scopes []\n');
    expect(run.stdout).toContain(
      'WWW-Authenticate  Bearer realm="receipts", error="insufficient_scope", error_description="The access token lacks a required scope", scope="Receipts.Read"\n',
    );
    expect(run.stdout).toContain('hint              the token carries Receipts.Read as an app role, not as a scope');
    const either = await runCli([...entra(), '--scope', 'Receipts.Read', '--role', 'Receipts.Read', '--any'], { stdin: token });
    expect(either.code).toBe(0);
    expect(either.stdout).toContain('  ✓ guard       requires scopes ["Receipts.Read"] or roles ["Receipts.Read"] (any one); the token grants scopes [] and roles ["Receipts.Read"]\n');
    expectNoToken(run, token);
  });

  it('explains a trailing slash in the issuer', async () => {
    const token = await issuer.sign();
    const run = await runCli(['verify', '--issuer', `${issuer.url}/`, '--audience', 'api://receipts'], { stdin: token });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`  ✗ issuer      issuer_mismatch: iss "${issuer.url}" is not one of ["${issuer.url}/"]\n`);
    expect(run.stdout).toContain(`hint              iss "${issuer.url}" and the configured "${issuer.url}/" differ only in a trailing slash or in case`);
  });

  it('answers 503 with Retry-After when the keys cannot be fetched, exit 3', async () => {
    const token = await issuer.sign();
    const jwks = await runCli([...plain(), '--jwks-uri', `http://127.0.0.1:${closedPort}/keys`], { stdin: token });
    expect(jwks.code).toBe(3);
    expect(jwks.stdout).toContain('bearer-guard verify: not decided, keys unavailable, 503 jwks_unavailable\n');
    expect(jwks.stdout).toContain(`  ✗ key         jwks_unavailable: http://127.0.0.1:${closedPort}/keys: the request failed (ECONNREFUSED)\n`);
    expect(jwks.stdout).toMatch(/\nstatus {12}503 Service Unavailable\nRetry-After {7}\d+\n/);
    const elsewhere = await issuer.sign({ iss: `http://127.0.0.1:${closedPort}` });
    const metadata = await runCli(['verify', '--issuer', `http://127.0.0.1:${closedPort}`, '--audience', 'api://receipts'], { stdin: elsewhere });
    expect(metadata.code).toBe(3);
    expect(metadata.stdout).toContain('503 metadata_unavailable');
    expect(metadata.stdout).toContain(`try "bearer-guard discover http://127.0.0.1:${closedPort}"`);
    expectNoToken(jwks, token);
  });

  it('answers 400 for a token holding a character no Bearer token has, exit 1', async () => {
    const token = `${await issuer.sign()}"`;
    const { run, json } = await runJson(plain(), { stdin: token });
    expect(run.code).toBe(1);
    expect(json).toMatchObject({
      status: 400,
      reason: 'authorization_malformed',
      checks: [{ stage: 'credential', passed: false, reason: 'authorization_malformed' }],
      wwwAuthenticate: 'Bearer realm="api", error="invalid_request", error_description="The Authorization header is malformed"',
    });
    expectNoToken(run, token);
  });

  it('refuses a token longer than maxTokenLength before decoding it', async () => {
    const token = await issuer.sign({ filler: 'x'.repeat(17_000) });
    const { run, json } = await runJson(plain(), { stdin: token });
    expect(run.code).toBe(1);
    expect(json.checks).toEqual([
      { stage: 'credential', passed: true, detail: 'Authorization: Bearer and a token of RFC 6750 b64token characters' },
      { stage: 'format', passed: false, reason: 'token_too_large', detail: `${token.length} characters, more than maxTokenLength 16384` },
    ]);
  });

  it('verifies at --at: an expired token is accepted at a time it was valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign({ iat: now - 7200, exp: now - 3600 });
    expect((await runCli(plain(), { stdin: token })).code).toBe(1);
    const at = new Date((now - 5400) * 1000).toISOString();
    const run = await runCli([...plain(), '--at', at], { stdin: token });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ claims +now \d+, exp \d+ \(in (29|30) min\), iat \d+ \((29|30) min ago\), clock tolerance 60 s\n/);
  });

  it('reads the token from --token-file and from an argument (with a warning)', async () => {
    const token = await issuer.sign();
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`);
    const fromFile = await runCli([...plain(), '--token-file', file]);
    const fromArgument = await runCli([...plain(), token]);
    expect([fromFile.code, fromFile.stderr, fromArgument.code]).toEqual([0, '', 0]);
    expect(fromArgument.stderr).toBe('warning: a token given as an argument stays in your shell history; pipe it in or use --token-file\n');
    expectNoToken(fromArgument, token);
  });

  it.each([
    ['no issuer nor audience', ['verify'], 'bearer-guard verify: --issuer and --audience are required (or a --preset with its options)'],
    ['an unknown preset', ['verify', '--preset', 'azure'], 'bearer-guard verify: --preset "azure" is not a preset; the presets are entra, b2c, auth0, okta, keycloak, cognito, rfc9068, openiddict'],
    ['a bad preset option', ['verify', '--preset', 'entra', '--tenant-id', 'contoso', '--client-id', API], 'bearer-guard verify: entraId() option "tenantId" must be a tenant GUID, "organizations" or "common" (--tenant-id)'],
    ['a bad boolean', ['verify', '--preset', 'entra', '--tenant-id', TENANT, '--client-id', API, '--accept-v1', 'no'], 'bearer-guard verify: --accept-v1 must be true or false'],
    ['an option of another preset', ['verify', '--preset', 'auth0', '--tenant-id', TENANT], 'bearer-guard verify: unknown option --tenant-id'],
    ['a bad clock tolerance', ['verify', '--issuer', 'https://id.example.com/', '--audience', 'a', '--clock-tolerance', 'lots'], 'bearer-guard verify: option "clockTolerance"'],
    ['a bad realm', ['verify', '--issuer', 'https://id.example.com/', '--audience', 'a', '--challenge-realm', 'a"b'], '(--challenge-realm)'],
    ['a scope with a space', ['verify', '--issuer', 'https://id.example.com/', '--audience', 'a', '--scope', 'read write'], "argument \"scopes\" must only hold scope tokens (printable ASCII without spaces, \" or \\); for several scopes pass an array: ['read', 'write'] (--scope)"],
    ['an issuer template without keys', ['verify', '--issuer', 'https://login.microsoftonline.com/{tenantid}/v2.0', '--audience', 'a'], 'bearer-guard verify: option "jwksUri"'],
  ])('answers %s with exit 2 and plain words', async (_name, args, message) => {
    const token = await issuer.sign();
    const run = await runCli(args, { stdin: token });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('Run "bearer-guard verify --help" for its options and an example.\n');
    expectNoToken(run, token);
  });

  it('prints its help with every preset and its flags, and an example, exit 0', async () => {
    const run = await runCli(['verify', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('                            entra      --tenant-id V --client-id V --app-id-uri V...\n');
    expect(run.stdout).toContain('                            keycloak   --url V --realm V --audience V... --client-roles V...\n');
    expect(run.stdout).toContain('Example\n  pbpaste | npx bearer-guard verify --preset entra --tenant-id <tenant> --client-id <API client id> \\\n    --role Receipts.Read\n');
  });

  it('answers an empty input with exit 2', async () => {
    const run = await runCli(plain(), { stdin: '' });
    expect([run.code, run.stderr.split('\n')[0]]).toEqual([2, 'bearer-guard verify: no token: the input is empty']);
  });
});

describe('verify --preset', () => {
  it.each([
    ['rfc9068', () => ['--preset', 'rfc9068', '--issuer', issuer.url, '--audience', 'api://receipts'], () => issuer.sign()],
    ['openiddict', () => ['--preset', 'openiddict', '--issuer', issuer.url, '--audience', 'api://receipts'], () => issuer.sign({ oi_prst: 'test-client' })],
    ['auth0', () => ['--preset', 'auth0', '--domain', 'example.eu.auth0.com', '--audience', 'https://receipts', '--jwks-uri', issuer.jwksUri], () =>
      issuer.sign({ iss: 'https://example.eu.auth0.com/', aud: 'https://receipts', gty: 'client-credentials', sub: 'abc@clients', azp: 'abc' })],
    ['okta', () => ['--preset', 'okta', '--issuer', 'https://example.okta.com/oauth2/default', '--audience', 'api://default', '--jwks-uri', issuer.jwksUri], () =>
      issuer.sign({ iss: 'https://example.okta.com/oauth2/default', aud: 'api://default', cid: '0oa1', sub: '0oa1', client_id: undefined })],
    ['keycloak', () => ['--preset', 'keycloak', '--url', 'https://sso.example.com', '--realm', 'shop', '--audience', 'receipts', '--client-roles', 'receipts', '--jwks-uri', issuer.jwksUri], () =>
      issuer.sign({ iss: 'https://sso.example.com/realms/shop', aud: 'receipts', typ: 'Bearer', azp: 'shop', resource_access: { receipts: { roles: ['Receipts.Admin'] } } })],
    ['cognito', () => ['--preset', 'cognito', '--region', 'eu-west-1', '--user-pool-id', 'eu-west-1_AbC', '--client-ids', 'c1', '--jwks-uri', issuer.jwksUri], () =>
      issuer.sign({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC', aud: undefined, client_id: 'c1', token_use: 'access', sub: 'c1' })],
  ])('verifies a %s token through the preset flags', async (name, flags, mint) => {
    const token = await mint();
    const { run, json } = await runJson(['verify', ...flags()], { stdin: token });
    expect({ code: run.code, reason: json.reason }).toEqual({ code: 0, reason: null });
    expect(json.looksLike).toMatchObject({ preset: name });
    expectNoToken(run, token);
  });

  it('reads a Keycloak client role through --client-roles, and refuses an ID token', async () => {
    const flags = ['verify', '--preset', 'keycloak', '--url', 'https://sso.example.com', '--realm', 'shop', '--audience', 'receipts', '--client-roles', 'receipts', '--jwks-uri', issuer.jwksUri];
    const claims = { iss: 'https://sso.example.com/realms/shop', aud: 'receipts', azp: 'shop', resource_access: { receipts: { roles: ['Receipts.Admin'] } } };
    const admin = await runJson([...flags, '--role', 'Receipts.Admin'], { stdin: await issuer.sign({ ...claims, typ: 'Bearer' }) });
    expect(admin.run.code).toBe(0);
    const id = await runJson(flags, { stdin: await issuer.sign({ ...claims, typ: 'ID' }) });
    expect({ code: id.run.code, reason: id.json.reason }).toEqual({ code: 1, reason: 'token_type_invalid' });
  });
});

describe('verify --json', () => {
  it('follows docs/cli/verify-report.schema.json when accepted, refused (401, 403, 400) and unavailable (503)', async () => {
    const runs = [
      { args: plain(), token: await issuer.sign({ scope: 'receipts.read' }), status: 200, code: 0 },
      { args: plain(), token: await issuer.sign({}, { expiresIn: -600 }), status: 401, code: 1 },
      { args: [...entra(), '--role', 'Receipts.Admin'], token: await entraV2({ roles: ['Receipts.Read'] }), status: 403, code: 1 },
      { args: plain(), token: 'a b', status: 400, code: 1 },
      { args: [...plain(), '--jwks-uri', `http://127.0.0.1:${closedPort}/keys`], token: await issuer.sign(), status: 503, code: 3 },
    ];
    for (const { args, token, status, code } of runs) {
      const { run, json } = await runJson(args, { stdin: token });
      expect({ status: json.status, code: run.code }).toEqual({ status, code });
      expect(schemaProblems(json, schema)).toEqual([]);
      expect(Object.keys(json).slice(0, 5)).toEqual(['ok', 'status', 'reason', 'checks', 'wwwAuthenticate']);
      expectNoToken(run, token);
    }
  });

  it('holds the verified identity without the token, its header or its claims', async () => {
    const token = await entraV2({ roles: ['Receipts.Read'] });
    const { json } = await runJson([...entra(), '--role', 'Receipts.Read'], { stdin: token });
    expect(json).toMatchObject({ ok: true, status: 200, reason: null, wwwAuthenticate: null, retryAfter: null, hints: [] });
    expect(json.auth).toEqual({
      issuer: `https://login.microsoftonline.com/${TENANT}/v2.0`,
      subject: expect.any(String),
      audience: [API],
      clientId: CALLER,
      tenantId: TENANT,
      scopes: [],
      roles: ['Receipts.Read'],
      isAppOnly: true,
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('is rejected by the schema when a member is missing or unknown (the schema can fail)', () => {
    const valid = { ok: true, status: 200, reason: null, checks: [], wwwAuthenticate: null, retryAfter: null, looksLike: null, auth: null, hints: [] };
    expect(schemaProblems(valid, schema)).toEqual([]);
    expect(schemaProblems({ ...valid, token: 'x' }, schema)).toEqual(['$: has token, which the schema does not list']);
    const { hints: _dropped, ...missing } = valid;
    expect(schemaProblems(missing, schema)).toEqual(['$: lacks hints']);
    expect(schemaProblems({ ...valid, status: 500 }, schema)).toEqual(['$.status: 500 is not one of [200,400,401,403,503]']);
  });
});
