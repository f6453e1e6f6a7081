/**
 * bearer-guard compiles together with the MCP TypeScript SDK, which declares its own `req.auth` on Express's
 * `Request`: 1.x (`@modelcontextprotocol/sdk`) and the 2.x packages (`@modelcontextprotocol/server`,
 * `/client`, `/express`), under `--strict`, with `skipLibCheck` true and false. The fixtures in
 * `test/types/fixtures/` import 'bearer-guard' as users do: this suite builds the current sources once into
 * a temporary package (its `dist/`, package.json, a link to node_modules) and runs `tsc` on each fixture
 * there. A control shows that the opt-in `bearer-guard/express` augmentation is what collides.
 */
import { cp, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runNode } from '../helpers/run-node.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** tsc on the SDK's declarations is slow on a loaded machine. */
const TSC_TIMEOUT = 240_000;

/** Runs `node <args>` in `cwd`; `output` is what it wrote, stdout then stderr. */
async function run(args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  const { code, stdout, stderr } = await runNode(args, { cwd });
  return { code, output: stdout + stderr };
}

let pkg: string;

beforeAll(async () => {
  pkg = await mkdtemp(join(tmpdir(), 'bearer-guard-mcp-types-'));
  const build = await run([TSC, '-p', 'tsconfig.build.json', '--outDir', join(pkg, 'dist')], ROOT);
  expect(build.output).toBe('');
  await Promise.all([
    cp(join(ROOT, 'package.json'), join(pkg, 'package.json')),
    cp(join(ROOT, 'test', 'types', 'fixtures'), join(pkg, 'fixtures'), { recursive: true }),
    symlink(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir'),
  ]);
}, 120_000);

afterAll(async () => {
  if (pkg !== undefined) await rm(pkg, { recursive: true, force: true });
});

/** Type-checks one fixture in the temporary package, as a strict consumer project would. */
async function typeCheck(fixture: string, skipLibCheck: boolean): Promise<{ code: number | null; output: string }> {
  const config = `tsconfig.${fixture}.${String(skipLibCheck)}.json`;
  await writeFile(
    join(pkg, config),
    JSON.stringify({
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        // The SDK's own declarations use fetch types (HeadersInit) from the DOM library.
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        strict: true,
        noEmit: true,
        skipLibCheck,
      },
      files: [`fixtures/${fixture}.ts`],
    }),
  );
  return run([TSC, '-p', config], pkg);
}

describe('bearer-guard beside the MCP SDK', () => {
  it.each([
    ['mcp-sdk-1', true],
    ['mcp-sdk-1', false],
    ['mcp-sdk-2', true],
    ['mcp-sdk-2', false],
  ] as const)('compiles %s under --strict with skipLibCheck %s', async (fixture, skipLibCheck) => {
    const result = await typeCheck(fixture, skipLibCheck);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, TSC_TIMEOUT);

  it('does not compile with the opt-in bearer-guard/express augmentation beside the SDK 1.x declaration', async () => {
    const result = await typeCheck('express-entry-with-sdk-1', true);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/fixtures\/express-entry-with-sdk-1\.ts\(\d+,\d+\): error TS2322: .*AuthInfo/);
  }, TSC_TIMEOUT);
});
