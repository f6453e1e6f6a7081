/**
 * The README quotes code that runs elsewhere in the repository; these tests keep the quotes true. (The
 * demo excerpt of the quick start is checked against the demo's real output in demo.test.ts.)
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readmeBlocks } from './helpers/readme-blocks.js';

const SUPERTEST_EXAMPLE = 'test/testing/supertest-example.test.ts';
const ENTRA_EXAMPLE = 'test/testing/entra-msal-example.test.ts';
/** The files of the first example, in the order the README shows them. */
const FIRST_EXAMPLE = ['test/readme/app.ts', 'test/readme/server.ts', 'test/readme/app.test.ts'];

/** `source` importing the package by name, as a user writes it. */
function byPackageName(source: string): string {
  return source
    .replaceAll("from '../../src/index.js'", "from 'bearer-guard'")
    .replaceAll("from '../../src/express.js'", "from 'bearer-guard/express'")
    .replaceAll("from '../../src/testing/index.js'", "from 'bearer-guard/testing'")
    .trimEnd();
}

/** The test file as a user writes it: without its leading comment, importing the package by name. */
function asUserCode(source: string): string {
  const lines = source.split('\n');
  while (lines[0]?.startsWith('//')) lines.shift();
  return byPackageName(lines.join('\n'));
}

/** A file of the first example as quoted: what follows its header comment and blank line. */
function quotedPart(source: string): string {
  return byPackageName(source.slice(source.indexOf('\n\n') + 2));
}

async function readProjectFile(path: string): Promise<string> {
  return readFile(new URL(`../${path}`, import.meta.url), 'utf8');
}

describe('README.md', () => {
  it(`quotes ${SUPERTEST_EXAMPLE} in "Testing your protected routes", imports aside`, async () => {
    const blocks = (await readmeBlocks('## Testing your protected routes')).filter((block) => block.info === 'ts');
    expect(blocks.length).toBeGreaterThan(0);
    const source = await readFile(new URL(`../${SUPERTEST_EXAMPLE}`, import.meta.url), 'utf8');
    expect(blocks[0]!.text.trimEnd()).toBe(asUserCode(source));
  });

  it(`quotes ${FIRST_EXAMPLE.join(', ')} in "Use it", the app and its own test`, async () => {
    const blocks = (await readmeBlocks('## Use it')).filter((block) => block.info === 'ts');
    const files = await Promise.all(FIRST_EXAMPLE.map(readProjectFile));
    expect(blocks.map((block) => block.text.trimEnd())).toEqual(files.map(quotedPart));
  });

  it('shows a first example that answers errors as JSON, reads the caller with getAuth() and can be tested', async () => {
    const [app, , test] = (await readmeBlocks('## Use it')).filter((block) => block.info === 'ts').map((block) => block.text);
    expect(app).toContain('export function createApp(options: VerifierOptions)');
    expect(app).toContain('app.use(authErrorHandler());');
    expect(app).toContain('getAuth(req).clientId');
    expect(app).not.toContain('req.auth');
    expect(test).toContain("import { createApp } from './app.js';");
  });

  it('says how to install the package from a clone, by the name npm pack gives the tarball', async () => {
    const manifest = JSON.parse(await readProjectFile('package.json')) as { name: string; version: string };
    const [install] = (await readmeBlocks('### Install it from a clone')).filter((block) => block.info === 'sh');
    expect(install!.text).toContain('npm pack');
    expect(install!.text).toContain(`npm install ../bearer-guard/${manifest.name}-${manifest.version}.tgz`);
  });

  it(`quotes ${ENTRA_EXAMPLE} in "Testing an entraId() API", imports aside`, async () => {
    const blocks = (await readmeBlocks('### Testing an entraId() API')).filter((block) => block.info === 'ts');
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.text.trimEnd()).toBe(asUserCode(await readProjectFile(ENTRA_EXAMPLE)));
  });

  it('names the file its supertest example comes from', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Testing your protected routes\n'));
    expect(section.slice(0, section.indexOf('```ts'))).toContain(`\`${SUPERTEST_EXAMPLE}\``);
  });
});
