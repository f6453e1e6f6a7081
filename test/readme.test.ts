/**
 * The README quotes code that runs elsewhere in the repository; these tests keep the quotes true. (The
 * demo excerpt of the quick start is checked against the demo's real output in demo.test.ts.)
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readmeBlocks } from './helpers/readme-blocks.js';

const SUPERTEST_EXAMPLE = 'test/testing/supertest-example.test.ts';

/** The test file as a user writes it: without its leading comment, importing the package by name. */
function asUserCode(source: string): string {
  const lines = source.split('\n');
  while (lines[0]?.startsWith('//')) lines.shift();
  return lines
    .join('\n')
    .replaceAll("from '../../src/index.js'", "from 'bearer-guard'")
    .replaceAll("from '../../src/express.js'", "from 'bearer-guard/express'")
    .replaceAll("from '../../src/testing/index.js'", "from 'bearer-guard/testing'")
    .trimEnd();
}

describe('README.md', () => {
  it(`quotes ${SUPERTEST_EXAMPLE} in "Testing your protected routes", imports aside`, async () => {
    const blocks = (await readmeBlocks('## Testing your protected routes')).filter((block) => block.info === 'ts');
    expect(blocks.length).toBeGreaterThan(0);
    const source = await readFile(new URL(`../${SUPERTEST_EXAMPLE}`, import.meta.url), 'utf8');
    expect(blocks[0]!.text.trimEnd()).toBe(asUserCode(source));
  });

  it('names the file its supertest example comes from', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Testing your protected routes\n'));
    expect(section.slice(0, section.indexOf('```ts'))).toContain(`\`${SUPERTEST_EXAMPLE}\``);
  });
});
