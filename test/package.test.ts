/**
 * The published package, as users get it: `npm pack` (whose `prepack` builds `dist/`) on a copy of the
 * project, `npm install` of the tarball into an empty project, then `import` (ESM), `require` (CJS through
 * require(esm)) and a TypeScript compile against the installed types, each in its own process.
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
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack produced no tarball');
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
