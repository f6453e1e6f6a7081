/**
 * The examples import 'bearer-guard' and 'bearer-guard/testing' exactly as users do. Those names resolve
 * through package.json "exports" to the built `dist/`, so this suite builds the current sources once into
 * a temporary package (package.json, dist/, the examples, and a link to node_modules), never touching the
 * shared `dist/`. It then type-checks every example against the emitted declarations and runs the
 * runnable ones in self-check mode.
 */
import { cp, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode, type NodeRun } from './helpers/run-node.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function run(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<NodeRun> {
  return runNode(args, { cwd, env });
}

let pkg: string;

beforeAll(async () => {
  pkg = await mkdtemp(join(tmpdir(), 'bearer-guard-examples-'));
  const build = await run([TSC, '-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist')], ROOT);
  expect(build.stdout + build.stderr).toBe('');
  await Promise.all([
    cp(join(ROOT, 'package.json'), join(pkg, 'package.json')),
    cp(join(ROOT, 'tsconfig.base.json'), join(pkg, 'tsconfig.base.json')),
    cp(join(ROOT, 'examples'), join(pkg, 'examples'), { recursive: true }),
    symlink(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir'),
    writeFile(
      join(pkg, 'tsconfig.json'),
      JSON.stringify({ extends: './tsconfig.base.json', compilerOptions: { noEmit: true }, include: ['examples'] }),
    ),
  ]);
}, 120_000);

afterAll(async () => {
  if (pkg !== undefined) await rm(pkg, { recursive: true, force: true });
});

const RUNNABLE = ['express-minimal', 'connect-http', 'scopes-and-roles', 'custom-json-errors', 'fastify-plugin', 'web-standard', 'mcp-server'];
const NEEDS_TENANT = ['entra-single-tenant', 'entra-multi-tenant'];

describe('examples', () => {
  it('lists exactly the documented examples', async () => {
    const files = (await readdir(join(ROOT, 'examples'))).filter((name) => name.endsWith('.ts')).sort();
    expect(files).toEqual([...RUNNABLE, ...NEEDS_TENANT, 'testing-with-supertest'].map((name) => `${name}.ts`).sort());
  });

  it('type-check against the built package', async () => {
    const result = await run([TSC, '-p', 'tsconfig.json'], pkg);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.code).toBe(0);
  }, 60_000);

  it.each(RUNNABLE)('%s answers every self-check request as expected and exits 0', async (name) => {
    const result = await run(['--import', 'tsx', `examples/${name}.ts`, '--check'], pkg);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('All checks passed.');
    expect(result.stdout).not.toContain('✗');
    expect(result.code).toBe(0);
  }, 60_000);

  it('express-minimal also self-checks with EXAMPLE_SELF_TEST=1', async () => {
    const result = await run(['--import', 'tsx', 'examples/express-minimal.ts'], pkg, { EXAMPLE_SELF_TEST: '1' });
    expect(result.stdout).toMatch(/✓ 403 GET \/receipts\/42 {2}a token without the scope\n {6}WWW-Authenticate: Bearer realm="api", error="insufficient_scope"/);
    expect(result.code).toBe(0);
  });

  it('testing-with-supertest passes its own tests under node:test', async () => {
    const result = await run(['--import', 'tsx', '--test', 'examples/testing-with-supertest.ts'], pkg);
    expect(result.stdout).toMatch(/# pass 6\n/);
    expect(result.stdout).toMatch(/# fail 0\n/);
    expect(result.code).toBe(0);
  });

  it.each(NEEDS_TENANT)('%s loads and says which variables it needs without a tenant', async (name) => {
    const result = await run(['--import', 'tsx', `examples/${name}.ts`], pkg, {
      TENANT_ID: '',
      CLIENT_ID: '',
      ALLOWED_TENANTS: '',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^Set (TENANT_ID and CLIENT_ID|CLIENT_ID and ALLOWED_TENANTS) /);
  });
});
