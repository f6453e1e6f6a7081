import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createTestIssuer } from '../src/testing/index.js';
import { verifierOptionsFromEnv } from '../demo/receipts-api.js';
import { runDemo } from '../demo/scenario.js';
import { Transcript, wantsColor } from '../demo/transcript.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript file of the project with tsx, as `npx tsx <file>` would. */
function runTs(file: string, env: NodeJS.ProcessEnv = {}): { done: Promise<Finished>; child: ReturnType<typeof spawn> } {
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { done, child };
}

describe('npm run demo', () => {
  it('plays the Payment → Receipts scenario, prints the transcript without colour codes and exits 0', async () => {
    const { code, stdout, stderr } = await runTs('demo/main.ts').done;
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
    expect(stdout).toContain('req.auth          client receipts-admin, roles Receipts.Admin, app-only');
    expect(stdout).toContain('✓ All 11 steps answered as expected (token requests 4, JWKS fetches 2, metadata fetches 4).');
    expect(stdout).not.toContain('✗');
  });

  it('reports every step a misconfigured API answers wrongly and returns them as failed', async () => {
    const lines: string[] = [];
    const result = await runDemo({
      write: (line) => lines.push(line),
      color: false,
      apiGrants: { write: 'receipts.read', admin: 'receipts.write' },
    });
    expect(result).toEqual({ steps: 11, failed: [4, 10, 11] });
    const transcript = lines.join('\n');
    expect(transcript).toContain('status            201 Created  ✗\n');
    expect(transcript).toContain('✗ expected status 403, got 201');
    expect(transcript).toContain('✗ expected scope="Receipts.Admin", got "receipts.write"');
    expect(transcript).toContain('✗ 3 of 11 steps did not answer as expected: 4, 10, 11.');
  });

  it('colours the transcript only for a terminal without NO_COLOR', async () => {
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

describe('the Receipts API on its own', () => {
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

  it('explains the variables and exits 1 when ISSUER and AUDIENCE are not set', async () => {
    const { code, stderr } = await runTs('demo/receipts-api.ts', { ISSUER: '', AUDIENCE: '' }).done;
    expect(code).toBe(1);
    expect(stderr).toContain('ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx demo/receipts-api.ts');
  });

  it('protects its routes with the issuer named by ISSUER and logs what it saw', async () => {
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
      expect(read.headers.get('www-authenticate')).toBe(
        'Bearer realm="receipts", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.read"',
      );
      while (!output.includes('GET /receipts/r-1 → 403')) await once(child.stdout!, 'data');
      expect(output).toContain('POST /receipts → 201  client billing receipts.write');
    } finally {
      child.kill();
      await done;
      await issuer.close();
    }
  });
});
