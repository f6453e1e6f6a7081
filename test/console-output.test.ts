/**
 * What the test run prints: oidc-provider's "Unsupported runtime" notice (printed on Node releases before
 * 22 LTS) is dropped, and nothing else is. One case runs Vitest with this repository's configuration on a
 * test that loads oidc-provider and warns, the way `npm test` does.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import config from '../vitest.config.js';
import { filterConsoleLog } from './helpers/console-filter.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOTICE = 'oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or a later LTS release.';
const work = mkdtempSync(join(tmpdir(), 'bearer-guard-console-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the console filter of vitest.config.ts', () => {
  it('is the onConsoleLog of the configuration', () => {
    expect(config.test?.onConsoleLog).toBe(filterConsoleLog);
  });

  it.each([
    [`${NOTICE}\n`, 'stderr'],
    [`\u001b[31;1m${NOTICE}\u001b[0m\n`, 'stderr'],
  ] as const)('drops oidc-provider\'s runtime notice %j', (log, type) => {
    expect(filterConsoleLog(log, type)).toBe(false);
  });

  it.each([
    [`${NOTICE}\n`, 'stdout'],
    ['oidc-provider WARNING: a configuration option is deprecated\n', 'stderr'],
    ['(node:1) ExperimentalWarning: VM Modules is an experimental feature\n', 'stderr'],
    [`something else. ${NOTICE}\n`, 'stderr'],
  ] as const)('keeps %j on %s', (log, type) => {
    expect(filterConsoleLog(log, type)).toBeUndefined();
  });

  it('matches what oidc-provider prints on this Node release, if it prints anything', async () => {
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', "await import('oidc-provider')"], { cwd: ROOT });
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((line) => line !== '');
    for (const line of lines) expect(filterConsoleLog(line, 'stderr')).toBe(false);
    if (!process.release.lts || process.release.lts < 'Jod') expect(lines).toEqual([NOTICE]);
  });
});

describe('a Vitest run with this configuration', () => {
  it('prints the warnings of a test that loads oidc-provider, except the runtime notice', async () => {
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');
    writeFileSync(
      join(work, 'probe.test.ts'),
      [
        "import { expect, it } from 'vitest';",
        "it('loads oidc-provider', async () => {",
        "  expect(typeof (await import('oidc-provider')).default).toBe('function');",
        "  console.warn('another warning, kept');",
        '});',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(work, 'vitest.config.ts'),
      [
        `import base from ${JSON.stringify(join(ROOT, 'vitest.config.ts'))};`,
        'export default { ...base, test: { ...base.test, include: ["probe.test.ts"], maxWorkers: 1 } };',
        '',
      ].join('\n'),
    );
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const { stdout, stderr } = await run(process.execPath, [vitest, 'run', '--root', work], {
      cwd: work,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    });
    const output = stdout + stderr;
    expect(output).toMatch(/Tests +1 passed/);
    expect(output).toContain('another warning, kept');
    expect(output).not.toContain('Unsupported runtime');
  }, 60_000);
});
