/**
 * The published package, as users get it: `npm pack` (whose `prepack` builds `dist/`) on a copy of the
 * project, `npm install` of the tarball into an empty project, then `import` (ESM), `require` (CJS through
 * require(esm)) and a TypeScript compile against the installed types, each in its own process. The README's
 * first example and its Jest setup are pasted into that project as they are, compiled and run with Jest.
 *
 * The copy keeps this suite from rebuilding the `dist/` of the working tree while other suites read it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeBlocks } from './helpers/readme-blocks.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface PackageJson {
  name: string;
  files?: string[];
  exports: Record<string, string | { types?: string; default?: string }>;
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const hasTestingExport = Object.hasOwn(manifest.exports, './testing');

let work: string;
let consumer: string;
let entries: string[];
let tarball: string;

/** Runs a command, failing with its output when it fails. */
async function sh(file: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${failure.message}\n${failure.stdout ?? ''}\n${failure.stderr ?? ''}`);
  }
}

/** Runs a script with node in the consumer project and parses the JSON line it prints. */
async function probe(kind: 'esm' | 'cjs', source: string): Promise<Record<string, unknown>> {
  const args = kind === 'esm' ? ['--input-type=module', '-e', source] : ['--input-type=commonjs', '-e', source];
  const stdout = await sh(process.execPath, args, consumer);
  return JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'bearer-guard-package-'));
  const project = join(work, 'project');
  mkdirSync(project);
  const copied = ['package.json', 'tsconfig.base.json', 'tsconfig.build.json', 'src', ...(manifest.files ?? [])];
  for (const name of new Set(copied)) {
    if (name.startsWith('!') || name === 'dist' || !existsSync(join(ROOT, name))) continue;
    cpSync(join(ROOT, name), join(project, name), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
  await sh(NPM, ['pack', '--pack-destination', work, '--loglevel', 'error'], project);
  const packed = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (packed === undefined) throw new Error('npm pack produced no tarball');
  tarball = packed;
  entries = (await sh('tar', ['-tzf', join(work, tarball)], work)).split('\n').filter((line) => line !== '');

  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await sh(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel', 'error', join(work, tarball)], consumer);
}, 120_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built entry points, their declarations and the license', () => {
    expect(entries).toEqual(
      expect.arrayContaining(['package/package.json', 'package/LICENSE', 'package/dist/index.js', 'package/dist/index.d.ts']),
    );
  });

  it('holds every file its exports map points at', () => {
    for (const target of Object.values(manifest.exports)) {
      const paths = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const path of paths) {
        if (path !== undefined) expect(entries).toContain(`package/${path.replace(/^\.\//, '')}`);
      }
    }
  });

  it('holds no sources, tests, build info or dependencies', () => {
    const stray = entries.filter((entry) =>
      /^package\/(src|test|node_modules|examples|bench|demo|\.scratch)\/|\.tsbuildinfo$|\.test\.|tsconfig/.test(entry),
    );
    expect(stray).toEqual([]);
  });

  it('has the name the quick start tells users to install', async () => {
    const [install] = (await readmeBlocks('### Install it from a clone')).filter((block) => block.info === 'sh');
    expect(install!.text.split('\n')).toContain(`npm install ../bearer-guard/${tarball}`);
  });

  it('has a declaration next to every module', () => {
    const modules = entries.filter((entry) => entry.startsWith('package/dist/') && entry.endsWith('.js'));
    expect(modules.length).toBeGreaterThan(10);
    for (const module of modules) expect(entries).toContain(module.replace(/\.js$/, '.d.ts'));
  });
});

describe('the installed package', () => {
  const check = `
    const out = {
      createVerifier: typeof m.createVerifier,
      authenticate: typeof m.authenticate,
      requireScopes: typeof m.requireScopes,
      isAuthError: typeof m.isAuthError,
    };
    const verifier = m.createVerifier({ issuer: 'https://login.example.com/', audience: 'api://receipts' });
    let invalidOption = 'accepted';
    try { m.createVerifier({ audience: 'api://receipts' }); } catch (error) { invalidOption = error.constructor.name + ': ' + error.message; }
    out.invalidOption = invalidOption;
    verifier.verify('not-a-jwt').then(
      () => { out.verdict = 'accepted'; console.log(JSON.stringify(out)); },
      (error) => { out.verdict = m.isAuthError(error) ? error.status + ' ' + error.reason : 'other'; console.log(JSON.stringify(out)); },
    );`;

  const expected = {
    createVerifier: 'function',
    authenticate: 'function',
    requireScopes: 'function',
    isAuthError: 'function',
    verdict: '401 token_malformed',
    invalidOption: expect.stringMatching(/^TypeError: .*"issuer"/),
  };

  it('works through import() (ESM)', async () => {
    expect(await probe('esm', `const m = await import('${manifest.name}');${check}`)).toEqual(expected);
  });

  it('works through require() (CJS, require(esm))', async () => {
    expect(await probe('cjs', `const m = require('${manifest.name}');${check}`)).toEqual(expected);
  });

  it.skipIf(!hasTestingExport)('exposes the testing subpath to import() and require()', async () => {
    const source = (load: string) =>
      `${load}; console.log(JSON.stringify({ createTestIssuer: typeof t.createTestIssuer, exports: Object.keys(t).length }));`;
    const esm = await probe('esm', source(`const t = await import('${manifest.name}/testing')`));
    const cjs = await probe('cjs', source(`const t = require('${manifest.name}/testing')`));
    for (const result of [esm, cjs]) {
      expect(result.createTestIssuer).toBe('function');
      expect(result.exports).toBeGreaterThan(0);
    }
  });

  it('installs the bearer-guard executable, which runs from node_modules/.bin', async () => {
    const bin = join(consumer, 'node_modules', '.bin', 'bearer-guard');
    expect((await sh(bin, ['--version'], consumer)).trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const tokenFile = join(work, 'opaque-token');
    writeFileSync(tokenFile, 'Zt0qXW3vL9mC2rN8kP4sY7uA1dF6gH5jQ');
    const report = JSON.parse(await sh(bin, ['inspect', '--json', '--token-file', tokenFile], consumer)) as { format: string };
    expect(report.format).toBe('opaque');
  });

  it('loads bearer-guard/fastify through import() and require() where fastify is not installed', async () => {
    expect(existsSync(join(consumer, 'node_modules', 'fastify'))).toBe(false);
    const source = (load: string) =>
      `${load}; console.log(JSON.stringify({ plugin: typeof f.bearerGuard, hook: typeof f.authenticate, guard: typeof f.requireScopes }));`;
    const esm = await probe('esm', source(`const f = await import('${manifest.name}/fastify')`));
    const cjs = await probe('cjs', source(`const f = require('${manifest.name}/fastify')`));
    for (const result of [esm, cjs]) expect(result).toEqual({ plugin: 'function', hook: 'function', guard: 'function' });
  });

  it('exposes the express subpath to import() and require(), with the same exports as the main entry', async () => {
    const source = (load: string) =>
      `${load}; console.log(JSON.stringify({ same: Object.keys(e).sort().join() === Object.keys(m).sort().join(), authenticate: e.authenticate === m.authenticate }));`;
    const esm = await probe('esm', source(`const e = await import('${manifest.name}/express'); const m = await import('${manifest.name}')`));
    const cjs = await probe('cjs', source(`const e = require('${manifest.name}/express'); const m = require('${manifest.name}')`));
    for (const result of [esm, cjs]) expect(result).toEqual({ same: true, authenticate: true });
  });

  it('type-checks a TypeScript consumer against the installed declarations, req.auth through bearer-guard/express', async () => {
    const types = join(consumer, 'node_modules', '@types');
    mkdirSync(types, { recursive: true });
    for (const name of ['node', 'express']) symlinkSync(join(ROOT, 'node_modules', '@types', name), join(types, name), 'dir');
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
        },
        files: ['check.mts', 'check.cts'],
      }),
    );
    const body = `
      const app = express();
      app.use(authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts' }));
      app.get('/receipts', requireScopes('receipts.read'), (req, res) => {
        const auth: AuthInfo | undefined = req.auth;
        const scopes: readonly string[] = auth?.scopes ?? [];
        res.json({ caller: auth?.clientId ?? null, scopes });
      });
      // @ts-expect-error req.auth is an AuthInfo, not a string
      export const wrong = (req: express.Request): string => req.auth;
    `;
    writeFileSync(
      join(consumer, 'check.mts'),
      `import express from 'express';\nimport { authenticate, requireScopes, type AuthInfo } from '${manifest.name}/express';\n${body}`,
    );
    writeFileSync(
      join(consumer, 'check.cts'),
      `import express = require('express');\nimport bg = require('${manifest.name}/express');\nconst { authenticate, requireScopes } = bg;\ntype AuthInfo = bg.AuthInfo;\n${body}`,
    );
    await sh(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], consumer);
  }, 60_000);
});

/** Links a package of this repository's node_modules into the consumer's, once. */
function linkIntoConsumer(name: string): void {
  const target = join(consumer, 'node_modules', name);
  mkdirSync(join(target, '..'), { recursive: true });
  if (!existsSync(target)) symlinkSync(join(ROOT, 'node_modules', name), target, 'dir');
}

/** Runs a command in `cwd` with extra environment variables; resolves to its exit code and output. */
function runIn(cwd: string, file: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return run(file, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, output: `${stdout}${stderr}` }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? 1, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
  );
}

describe('the README, pasted into a project that installed the package', () => {
  let project: string;
  let jestCommand: { nodeOptions: string };

  beforeAll(async () => {
    for (const name of ['express', 'supertest', '@types/node', '@types/express']) linkIntoConsumer(name);
    project = join(consumer, 'readme-app');
    mkdirSync(project, { recursive: true });
    const [manifest] = (await readmeBlocks('### Jest')).filter((block) => block.info === 'json');
    const parsed = JSON.parse(manifest!.text) as { type: string; scripts: { test: string } };
    const script = /^NODE_OPTIONS=(\S+) jest$/.exec(parsed.scripts.test);
    if (script === null) throw new Error(`unexpected Jest script in the README: ${parsed.scripts.test}`);
    jestCommand = { nodeOptions: script[1]! };
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'readme-app', private: true, ...parsed }));
    const [config, test] = (await readmeBlocks('### Jest')).filter((block) => block.info === 'js');
    writeFileSync(join(project, 'jest.config.js'), config!.text);
    writeFileSync(join(project, 'app.test.js'), test!.text);
    const [app, server] = (await readmeBlocks('## Use it')).filter((block) => block.info === 'ts');
    writeFileSync(join(project, 'app.ts'), app!.text);
    writeFileSync(join(project, 'server.ts'), server!.text);
  });

  it('compiles the first example as pasted, under strict settings and noUnused*', async () => {
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noUnusedLocals: true,
          noUnusedParameters: true,
          skipLibCheck: true,
          types: ['node'],
          outDir: '.',
        },
        files: ['app.ts', 'server.ts'],
      }),
    );
    await sh(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], project);
    expect(existsSync(join(project, 'app.js'))).toBe(true);
  }, 60_000);

  it('runs the Jest test of that app in ESM mode, as the README sets it up', async () => {
    const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const result = await runIn(project, process.execPath, [jest, '--ci'], { NODE_OPTIONS: jestCommand.nodeOptions });
    expect(result.output).toMatch(/Tests: +2 passed, 2 total/);
    expect(result.code).toBe(0);
  }, 60_000);

  it("fails in Jest's CommonJS mode with the message the README quotes", async () => {
    const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
    const result = await runIn(project, process.execPath, [jest, '--ci'], { NODE_OPTIONS: '' });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Must use import to load ES Module');
  }, 60_000);
});
