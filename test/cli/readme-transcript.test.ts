/**
 * The README's "Diagnosing a refused token" transcript is a real run: the same command, replayed against the
 * test issuer standing in for the tenant (its keys through --jwks-uri), prints every line of it, in order,
 * numbers and times in words aside.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { readmeBlocks } from '../helpers/readme-blocks.js';
import { expectNoToken, runCli } from './support.js';

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CALLER = 'a11ce000-5678-4abc-8def-0123456789ab';

/** A line with its numbers and relative times blanked (they differ from run to run). */
const steady = (line: string): string => line.replace(/\d+/g, '#').replace(/\bnow\b|\bin # \w+|# \w+ ago\b/g, '<when>');

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ tenantId: TENANT });
});
afterAll(() => issuer.close());

describe('the README transcript of bearer-guard verify', () => {
  it('shows the command the run replays', async () => {
    const [commands] = await readmeBlocks('## Diagnosing a refused token');
    expect(commands?.info).toBe('sh');
    expect(commands?.text).toContain(
      'pbpaste | npx bearer-guard verify --preset entra --tenant-id <tenant> --client-id <API client id> --scope Receipts.Read',
    );
  });

  it('is printed line by line, in order, by a real run', async () => {
    const transcript = (await readmeBlocks('## Diagnosing a refused token')).find((block) => block.info === '');
    const wanted = transcript!.text.split('\n').filter((line) => line.trim() !== '');
    expect(wanted.length).toBeGreaterThan(15);
    const token = await issuer.sign(
      { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API, roles: ['Receipts.Read'] },
      { preset: 'entra-v2', clientId: CALLER },
    );
    const run = await runCli(
      ['verify', '--preset', 'entra', '--tenant-id', TENANT, '--client-id', API, '--scope', 'Receipts.Read', '--jwks-uri', issuer.jwksUri],
      { stdin: token },
    );
    expect(run.code).toBe(1);
    expectNoToken(run, token);
    const printed = run.stdout.split('\n').map(steady);
    let from = 0;
    for (const line of wanted) {
      const at = printed.indexOf(steady(line), from);
      expect(at, `README transcript line not printed (in this order): ${line}`).toBeGreaterThanOrEqual(0);
      from = at + 1;
    }
  });
});
