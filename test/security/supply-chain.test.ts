/**
 * Supply chain, checked offline from the manifest, the lockfile and the installed packages: exactly two
 * production dependencies (jose, lru-cache), neither with dependencies of its own nor an install-time
 * script, and no install-time script in bearer-guard itself. A new runtime dependency or an install hook
 * then fails here and has to be argued for in docs/SECURITY.md. Advisories are not checked here: that
 * needs the registry (`npm audit --omit=dev`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The scripts npm runs when it installs a package from the registry. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];
/** Those, and `prepare`, which npm also runs when bearer-guard is installed from a git URL. */
const OWN_INSTALL_SCRIPTS = [...INSTALL_SCRIPTS, 'prepare'];
const RUNTIME = ['jose', 'lru-cache'];

interface Manifest {
  name?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bundleDependencies?: unknown;
  bundledDependencies?: unknown;
  scripts?: Record<string, string>;
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;

describe('supply chain', () => {
  it('declares exactly jose and lru-cache as runtime dependencies, no optional or bundled ones, and only optional Redis clients as peers', () => {
    const manifest = readJson<Manifest>('package.json');
    expect(Object.keys(manifest.dependencies ?? {}).sort()).toEqual(RUNTIME);
    expect(manifest.optionalDependencies ?? {}).toEqual({});
    // A Redis client is the application's own choice, used through createRedisStore(client): optional peers only.
    expect(manifest.peerDependencies ?? {}).toEqual({ ioredis: '>=5', redis: '>=4' });
    expect((manifest as { peerDependenciesMeta?: unknown }).peerDependenciesMeta).toEqual({
      ioredis: { optional: true },
      redis: { optional: true },
    });
    expect(manifest.bundleDependencies ?? manifest.bundledDependencies).toBeUndefined();
  });

  it('runs no script of its own when installed', () => {
    const scripts = readJson<Manifest>('package.json').scripts ?? {};
    expect(OWN_INSTALL_SCRIPTS.filter((name) => Object.hasOwn(scripts, name))).toEqual([]);
  });

  it('locks a production tree of exactly those two packages, with no dependencies and no install scripts', () => {
    const lock = readJson<{ lockfileVersion: number; packages: Record<string, LockEntry> }>('package-lock.json');
    expect(lock.lockfileVersion).toBeGreaterThanOrEqual(2);
    const production = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.dev !== true);
    expect(production.map(([path]) => path).sort()).toEqual(RUNTIME.map((name) => `node_modules/${name}`));
    for (const [path, entry] of production) {
      expect(`${path}: ${entry.hasInstallScript === true ? 'install script' : 'none'}`).toBe(`${path}: none`);
      expect(`${path}: ${Object.keys(entry.dependencies ?? {}).join(',')}`).toBe(`${path}: `);
    }
  });

  it.each(RUNTIME)('installs %s without an install script, a native build or dependencies of its own', (name) => {
    const manifest = readJson<Manifest>(`node_modules/${name}/package.json`);
    expect(manifest.name).toBe(name);
    expect(INSTALL_SCRIPTS.filter((script) => Object.hasOwn(manifest.scripts ?? {}, script))).toEqual([]);
    // A binding.gyp makes npm run `node-gyp rebuild` as an implicit install script.
    expect(existsSync(join(ROOT, 'node_modules', name, 'binding.gyp'))).toBe(false);
    expect(manifest.dependencies ?? {}).toEqual({});
  });
});
