/**
 * NODE_DEBUG=bearer-guard: one line per refusal with the stable reason and what was expected against what
 * arrived, while clients keep the uniform description; never a token. Runs a real process with the variable
 * set, since Node reads it once.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../fixtures/debug-log-run.ts', import.meta.url));

function run(env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new Error(`exit ${code}: ${stderr}`))));
  });
}

describe('the debug log', () => {
  it('writes one line per refusal with expected and actual values, and the method and path', async () => {
    const { stdout, stderr } = await run({ NODE_DEBUG: 'bearer-guard' });
    const lines = stderr.split('\n').filter((line) => line.startsWith('BEARER-GUARD'));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/401 issuer_mismatch at issuer: iss "https:\/\/a\.example\.com\/" is not one of \["http:\/\/127\.0\.0\.1:\d+","http:\/\/127\.0\.0\.1:\d+\/"\] \(GET \/receipts\)$/);
    expect(lines[1]).toMatch(/401 audience_mismatch at claims: aud \["api:\/\/other","api:\/\/more"\] has none of \["api:\/\/receipts"\]/);
    expect(lines[2]).toMatch(/401 key_not_found at key: kid "made-up" \(alg RS256\) is not in the JWK Set of http:\/\/127\.0\.0\.1:\d+\/jwks \(keys: test-key-1 RS256\)/);
    expect(lines[3]).toMatch(/403 scope_missing at guard \(GET \/receipts\)$/);
    for (const token of stdout.split('\n')) {
      expect(stderr).not.toContain(token.split('.')[1]);
      expect(stderr).not.toContain(token.split('.')[2]);
    }
  }, 30_000);

  it('writes nothing without NODE_DEBUG', async () => {
    const { stderr } = await run({ NODE_DEBUG: '' });
    expect(stderr).not.toContain('BEARER-GUARD');
  }, 30_000);
});
