import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import * as oidc from 'openid-client';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createVerifier, entraId, isAuthError, type AuthError } from '../src/index.js';
import { createTestIssuer, type TestIssuer } from '../src/testing/index.js';
import { listenOnLoopback } from '../src/testing/loopback-server.js';
import { createReceiptsApiFromEnv, verifierOptionsFromEnv } from '../demo/receipts-api-env.js';
import { requestLogLine } from '../demo/request-log.js';
import { runDemoCli, type DemoCliIo } from '../demo/run-cli.js';
import { runDemo } from '../demo/scenario.js';
import { ServiceClient } from '../demo/service-client.js';
import { readmeBlocks } from './helpers/readme-blocks.js';
import { startNode, type NodeRun } from './helpers/run-node.js';
import { Transcript, wantsColor } from '../demo/transcript.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs a TypeScript file of the project with tsx, as `npx tsx <file>` would. */
function runTs(file: string, env: NodeJS.ProcessEnv = {}): ReturnType<typeof startNode> {
  return startNode(['--import', 'tsx', file], { cwd: ROOT, env: { NO_COLOR: '', FORCE_COLOR: '', PROFILE: '', ...env } });
}

/** Standard streams that keep what the demo writes. */
function captureIo(): DemoCliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, env: {}, stdout: { write: (text: string) => out.push(text) }, stderr: { write: (text: string) => err.push(text) } };
}


describe('npm run demo', () => {
  let demo: NodeRun;
  beforeAll(async () => {
    demo = await runTs('demo/main.ts').done;
  }, 60_000);

  it('plays the Payment → Receipts scenario, prints the transcript without colour codes and exits 0', () => {
    const { code, stdout, stderr } = demo;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b[');
    expect(stdout).toContain('bearer-guard demo: Payment calls Receipts with the OAuth 2.0 client credentials grant');
    expect(stdout).toMatch(/ 2\. {2}Payment creates a receipt .*\n.*payment-service, new via client_secret_basic/);
    expect(stdout).toContain('status            201 Created  ✓');
    expect(stdout).toContain('payment-service, cached, kid test-key-1');
    expect(stdout).toMatch(/status {12}403 Forbidden {2}✓\n {5}WWW-Authenticate {2}Bearer realm="receipts", error="insufficient_scope",\n.*\n {23}scope="receipts.write"/);
    expect(stdout).toMatch(/status {12}401 Unauthorized {2}✓\n {5}WWW-Authenticate {2}Bearer realm="receipts"\n/);
    expect(stdout).toContain('error_description="The access token expired"');
    expect(stdout).toContain('error_description="The access token audience is not accepted"');
    expect(stdout).toContain('JWKS              1 fetch so far, no refetch: test-key-1 is cached');
    expect(stdout).toContain('JWKS              2 fetches so far: exactly one refetch for the two calls');
    expect(stdout).toContain('keys.cooldownMs   30 s, the default (issuer.verifierOptions()). Only a fetch that missed a');
    expect(stdout).toContain('req.auth          client receipts-admin, roles Receipts.Admin, app-only');
    expect(stdout).toContain('ledger-service, new via client_secret_basic, opaque (86 characters), 3600 s left');
    expect(stdout).toContain('req.auth          client ledger-service, scopes receipts.write receipts.read, app-only');
    expect(stdout).toContain('introspection     1 call for the two requests: the answer is cached');
    expect(stdout).toContain(
      '✓ All 12 steps answered as expected (token requests 5, JWKS fetches 2, metadata fetches 5, introspection calls 1).',
    );
    expect(stdout).not.toContain('✗');
  });

  it('prints every line of the README excerpt, in the same order', async () => {
    const [excerpt] = (await readmeBlocks('## Quick start')).filter((block) => block.info === '');
    const wanted = excerpt!.text.split('\n').filter((line) => line.trim() !== '');
    expect(wanted.length).toBeGreaterThan(10);
    const printed = demo.stdout.split('\n');
    let from = 0;
    for (const line of wanted) {
      const at = printed.indexOf(line, from);
      expect(at, `README excerpt line not printed (in this order): ${line}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  });

  it('reports every step a misconfigured API answers wrongly and exits 1', async () => {
    const io = captureIo();
    let result: Awaited<ReturnType<typeof runDemo>> | undefined;
    const code = await runDemoCli(io, async (options) => {
      result = await runDemo({ ...options, apiGrants: { write: 'receipts.read', admin: 'receipts.write' } });
      return result;
    });
    expect(code).toBe(1);
    expect(result).toEqual({ steps: 12, failed: [4, 10, 11] });
    expect(io.err).toEqual([]);
    const transcript = io.out.join('');
    expect(transcript).toContain('status            201 Created  ✗\n');
    expect(transcript).toContain('✗ expected status 403, got 201');
    expect(transcript).toContain('✗ expected scope="Receipts.Admin", got "receipts.write"');
    expect(transcript).toContain('✗ 3 of 12 steps did not answer as expected: 4, 10, 11.');
  });

  it('exits 1 and says why when the demo cannot run', async () => {
    const io = captureIo();
    const code = await runDemoCli(io, () => Promise.reject(new Error('no free port')));
    expect(code).toBe(1);
    expect(io.out).toEqual([]);
    expect(io.err.join('')).toMatch(/^The demo could not run: Error: no free port\n/);
  });

  it('colours the transcript only for a terminal without NO_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, {})).toBe(false);
    const lines: string[] = [];
    const coloured = new Transcript({ write: (line) => lines.push(line), color: true });
    coloured.field('status', coloured.mark(true, '200 OK'));
    const plain = new Transcript({ write: (line) => lines.push(line), color: false });
    plain.field('status', plain.mark(false, '500 Internal Server Error'));
    expect(lines).toEqual([
      '     \u001b[2mstatus            \u001b[0m200 OK  \u001b[32m✓\u001b[0m',
      '     status            500 Internal Server Error  ✗',
    ]);
  });
});

describe("the demo's service client", () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await createTestIssuer({ tokenLifetime: 600, clients: [{ clientId: 'payment', clientSecret: 's', scopes: ['a'] }] });
  });
  afterAll(() => issuer.close());
  afterEach(() => {
    vi.useRealTimers();
  });

  const connect = (refreshSkewSeconds?: number): Promise<ServiceClient> =>
    ServiceClient.connect({
      issuer: issuer.url,
      clientId: 'payment',
      clientAuth: oidc.ClientSecretBasic('s'),
      api: 'http://127.0.0.1:9',
      ...(refreshSkewSeconds !== undefined ? { refreshSkewSeconds } : {}),
    });

  it('reuses its token while more than 60 s are left and fetches a new one within the last 60 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = await connect();
    issuer.resetCounters();
    const first = await client.accessToken();
    expect(first).toMatchObject({ source: 'fetched', expiresInSeconds: 600 });
    vi.setSystemTime(Date.now() + 539_000);
    expect(await client.accessToken()).toEqual({ token: first.token, source: 'cached', expiresInSeconds: 61 });
    expect(issuer.tokensIssued).toBe(1);
    vi.setSystemTime(Date.now() + 2_000);
    const renewed = await client.accessToken();
    expect(renewed).toMatchObject({ source: 'fetched', expiresInSeconds: 600 });
    expect(renewed.token).not.toBe(first.token);
    expect(issuer.tokensIssued).toBe(2);
  });

  it('renews refreshSkewSeconds before expiry, and at once after forgetToken()', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const client = await connect(300);
    issuer.resetCounters();
    const first = await client.accessToken();
    vi.setSystemTime(Date.now() + 299_000);
    expect((await client.accessToken()).source).toBe('cached');
    vi.setSystemTime(Date.now() + 2_000);
    expect((await client.accessToken()).source).toBe('fetched');
    client.forgetToken();
    expect((await client.accessToken()).source).toBe('fetched');
    expect(issuer.tokensIssued).toBe(3);
    expect(first.source).toBe('fetched');
  });
});

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API_CLIENT = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CALLER = 'a11ce000-5678-4abc-8def-0123456789ab';
const OTHER_CALLER = 'b0b00000-5678-4abc-8def-0123456789ab';

describe('the Receipts API against a real issuer', () => {
  it('reads ISSUER, AUDIENCE and the optional JWKS_URI', () => {
    expect(verifierOptionsFromEnv({})).toBeUndefined();
    expect(verifierOptionsFromEnv({ ISSUER: 'https://login.example.com/' })).toBeUndefined();
    expect(verifierOptionsFromEnv({ ISSUER: 'https://login.example.com/', AUDIENCE: 'api://receipts' })).toEqual({
      issuer: 'https://login.example.com/',
      audience: 'api://receipts',
      realm: 'receipts',
    });
    expect(
      verifierOptionsFromEnv({ ISSUER: 'https://i.example/', AUDIENCE: 'a', JWKS_URI: 'https://i.example/keys' }),
    ).toMatchObject({ jwksUri: 'https://i.example/keys' });
  });

  it('reads PROFILE=entra with TENANT_ID, CLIENT_ID and ALLOWED_CLIENT_IDS as entraId() options', () => {
    expect(verifierOptionsFromEnv({ PROFILE: 'entra', TENANT_ID: TENANT, CLIENT_ID: API_CLIENT })).toEqual({
      ...entraId({ tenantId: TENANT, clientId: API_CLIENT }),
      realm: 'receipts',
    });
    expect(
      verifierOptionsFromEnv({ PROFILE: 'entra', TENANT_ID: TENANT, CLIENT_ID: API_CLIENT, ALLOWED_CLIENT_IDS: `${CALLER}, ${OTHER_CALLER}` }),
    ).toEqual({ ...entraId({ tenantId: TENANT, clientId: API_CLIENT, allowedClientIds: [CALLER, OTHER_CALLER] }), realm: 'receipts' });
  });

  it.each([
    ['PROFILE=entra without CLIENT_ID', { PROFILE: 'entra', TENANT_ID: TENANT }, 'PROFILE=entra needs TENANT_ID and CLIENT_ID'],
    ['PROFILE=entra with ISSUER', { PROFILE: 'entra', TENANT_ID: TENANT, CLIENT_ID: API_CLIENT, ISSUER: 'https://i.example/' }, 'not ISSUER and AUDIENCE'],
    ['PROFILE=entra with a CLIENT_ID that is no GUID', { PROFILE: 'entra', TENANT_ID: TENANT, CLIENT_ID: 'receipts' }, 'entraId() option "clientId"'],
    ['an unknown PROFILE', { PROFILE: 'okta', ISSUER: 'https://i.example/', AUDIENCE: 'a' }, 'PROFILE must be "entra" or unset'],
  ])('refuses %s with a TypeError', (_name, env, message) => {
    expect(() => verifierOptionsFromEnv(env)).toThrow(TypeError);
    expect(() => verifierOptionsFromEnv(env)).toThrow(message);
  });

  it('answers Entra v1.0 and v2.0 daemon tokens by their app roles (PROFILE=entra)', async () => {
    // The test issuer stands in for the tenant: Entra-shaped tokens with Entra issuers, its keys via JWKS_URI.
    const issuer = await createTestIssuer({ audience: API_CLIENT, tenantId: TENANT });
    const configured = createReceiptsApiFromEnv({ PROFILE: 'entra', TENANT_ID: TENANT, CLIENT_ID: API_CLIENT, JWKS_URI: issuer.jwksUri });
    const api = await listenOnLoopback('127.0.0.1', 0, configured!.app);
    const v2 = (claims: Record<string, unknown>): Promise<string> =>
      issuer.sign({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, ...claims }, { preset: 'entra-v2', clientId: CALLER });
    const v1 = (claims: Record<string, unknown>): Promise<string> =>
      issuer.sign({ iss: `https://sts.windows.net/${TENANT}/`, aud: `api://${API_CLIENT}`, ...claims }, { preset: 'entra-v1', clientId: CALLER });
    const call = async (method: string, path: string, token: string, body?: unknown): Promise<Response> =>
      fetch(`${api.origin}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    try {
      const created = await call('POST', '/receipts', await v2({ roles: ['receipts.write'] }), { amount: 3, currency: 'EUR' });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: 'r-1', amount: 3, currency: 'EUR', createdBy: CALLER });
      expect((await call('GET', '/receipts/r-1', await v1({ roles: ['receipts.read'] }))).status).toBe(200);
      const delegated = await call('GET', '/receipts/r-1', await v2({ scp: 'receipts.read', idtyp: undefined }));
      expect(delegated.status).toBe(200);
      const lacking = await call('GET', '/receipts/r-1', await v2({ roles: ['receipts.write'] }));
      expect(lacking.status).toBe(403);
      expect(lacking.headers.get('www-authenticate')).toMatch(/^Bearer realm="receipts", error="insufficient_scope",.* scope="receipts\.read/);
      expect((await call('DELETE', '/receipts/r-1', await v1({ roles: ['receipts.read'] }))).status).toBe(403);
      expect((await call('DELETE', '/receipts/r-1', await v1({ roles: ['Receipts.Admin'] }))).status).toBe(204);
      const otherTenant = await call('GET', '/receipts/r-1', await v2({ roles: ['receipts.read'], iss: 'https://login.microsoftonline.com/00000000-0000-4000-8000-000000000000/v2.0' }));
      expect(otherTenant.status).toBe(401);
    } finally {
      await api.close();
      await issuer.close();
    }
  });

  it.each([
    ['no issuer is configured', { ISSUER: '', AUDIENCE: '' }, 'ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx demo/receipts-api.ts'],
    ['PROFILE=entra lacks TENANT_ID', { PROFILE: 'entra', TENANT_ID: '', CLIENT_ID: API_CLIENT }, 'PROFILE=entra needs TENANT_ID and CLIENT_ID\n'],
  ])('explains the variables and exits 1 when %s', async (_name, env, message) => {
    const { code, stderr } = await runTs('demo/receipts-api.ts', env).done;
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stderr).toContain('PROFILE=entra TENANT_ID=<directory id> CLIENT_ID=<API application id> npx tsx demo/receipts-api.ts');
  });

  it('protects its routes with the issuer named by ISSUER, admits app roles named like scopes and logs what it saw', async () => {
    const issuer = await createTestIssuer({ audience: 'api://receipts' });
    const { child, done } = runTs('demo/receipts-api.ts', { ISSUER: issuer.url, AUDIENCE: 'api://receipts', PORT: '0' });
    try {
      let output = '';
      child.stdout!.on('data', (chunk: string) => (output += chunk));
      while (!/Receipts API on http:\/\/localhost:(\d+)/.test(output)) await once(child.stdout!, 'data');
      const port = /localhost:(\d+)/.exec(output)![1];
      const token = await issuer.sign({ scope: 'receipts.write', client_id: 'billing' });
      const created = await fetch(`http://127.0.0.1:${port}/receipts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 12, currency: 'USD' }),
      });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ id: 'r-1', amount: 12, currency: 'USD', createdBy: 'billing' });
      const read = await fetch(`http://127.0.0.1:${port}/receipts/r-1`, { headers: { authorization: `Bearer ${token}` } });
      expect(read.status).toBe(403);
      expect(read.headers.get('www-authenticate')).toMatch(/^Bearer realm="receipts", error="insufficient_scope",.* scope="receipts\.read/);
      const daemon = await issuer.sign({ roles: ['receipts.read'], client_id: 'auditor' });
      const byRole = await fetch(`http://127.0.0.1:${port}/receipts/r-1`, { headers: { authorization: `Bearer ${daemon}` } });
      expect(byRole.status).toBe(200);
      while (!output.includes('GET /receipts/r-1 → 200')) await once(child.stdout!, 'data');
      expect(output).toContain('POST /receipts → 201  client billing receipts.write');
      expect(output).toContain('GET /receipts/r-1 → 403  client billing receipts.write');
      expect(output).toContain('GET /receipts/r-1 → 200  client auditor role:receipts.read');
    } finally {
      child.kill();
      await done;
      await issuer.close();
    }
  });
});

/** A loopback port nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const server = await listenOnLoopback('127.0.0.1', 0, (_req, res) => res.end());
  await server.close();
  return Number(new URL(server.origin).port);
}

describe("the Receipts API's request log", () => {
  async function refusal(promise: Promise<unknown>): Promise<AuthError> {
    const error = await promise.then(() => undefined, (caught: unknown) => caught);
    if (!isAuthError(error)) throw new Error('expected an AuthError');
    return error;
  }

  it('names the reason of a 401, and the cause with its system code for a 503', async () => {
    const issuer = await createTestIssuer({ audience: 'api://receipts' });
    try {
      const expired = await refusal(createVerifier(issuer.verifierOptions()).verify(await issuer.sign({}, { expiresIn: -60 })));
      expect(requestLogLine({ method: 'GET', path: '/receipts/r-1', status: 401, auth: undefined, error: expired })).toBe(
        'GET /receipts/r-1 → 401  no identity  (token_expired)',
      );
      const unreachable = `http://127.0.0.1:${await closedPort()}/`;
      const verifier = createVerifier({ issuer: unreachable, audience: 'api://receipts', jwksUri: `${unreachable}keys` });
      const down = await refusal(verifier.verify(await issuer.sign({ iss: unreachable })));
      const line = requestLogLine({ method: 'GET', path: '/receipts/r-1', status: 503, auth: undefined, error: down });
      expect(line.startsWith(`GET /receipts/r-1 → 503  no identity  (jwks_unavailable: ${unreachable}keys: `)).toBe(true);
      expect(line.split('ECONNREFUSED')).toHaveLength(2); // the system code, once
      expect(requestLogLine({ method: 'GET', path: '/health', status: 200, auth: undefined, error: undefined })).toBe(
        'GET /health → 200  no identity',
      );
    } finally {
      await issuer.close();
    }
  });

  it('says why, with the system code, when started against an unreachable issuer', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}/`;
    const issuer = await createTestIssuer({ audience: 'api://receipts' });
    const { child, done } = runTs('demo/receipts-api.ts', { ISSUER: unreachable, AUDIENCE: 'api://receipts', PORT: '0' });
    try {
      let output = '';
      child.stdout!.on('data', (chunk: string) => (output += chunk));
      while (!/Receipts API on http:\/\/localhost:(\d+)/.test(output)) await once(child.stdout!, 'data');
      const port = /localhost:(\d+)/.exec(output)![1];
      const token = await issuer.sign({ iss: unreachable, scope: 'receipts.read' });
      const res = await fetch(`http://127.0.0.1:${port}/receipts/r-1`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(503);
      while (!output.includes('→ 503')) await once(child.stdout!, 'data');
      const line = output.split('\n').find((entry) => entry.includes('→ 503'))!;
      expect(line.startsWith('GET /receipts/r-1 → 503  no identity  (metadata_unavailable: ')).toBe(true);
      expect(line).toContain(`${unreachable}: discovery failed (`);
      expect(line).toContain('ECONNREFUSED');
      expect(line).not.toContain(token);
    } finally {
      child.kill();
      await done;
      await issuer.close();
    }
  });
});
