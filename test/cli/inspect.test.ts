/**
 * `bearer-guard inspect`, the built CLI as a child process: the token from standard input, a file or an
 * argument; what it says about RFC 9068, Entra ID v1.0/v2.0 and Graph tokens, opaque and encrypted ones;
 * exit 0 for a token and 2 for anything else; `--json` against its schema; colours only on a terminal and
 * never with NO_COLOR; the token never in any output.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompactEncrypt, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { readSchema, schemaProblems } from '../helpers/json-schema.js';
import { CLI, expectNoToken, runCli, runJson } from './support.js';

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CALLER = 'a11ce000-5678-4abc-8def-0123456789ab';
const schema = readSchema('inspect-report.schema.json');

let issuer: TestIssuer;
let dir: string;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts', tenantId: TENANT });
  dir = mkdtempSync(join(tmpdir(), 'bearer-guard-cli-'));
});
afterAll(async () => {
  await issuer.close();
  rmSync(dir, { recursive: true, force: true });
});

const entraV2 = (claims: Record<string, unknown> = {}): Promise<string> =>
  issuer.sign({ iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: API, roles: ['Receipts.Read'], ...claims }, { preset: 'entra-v2', clientId: CALLER });
const entraV1 = (claims: Record<string, unknown> = {}): Promise<string> =>
  issuer.sign({ iss: `https://sts.windows.net/${TENANT}/`, aud: `api://${API}`, roles: ['Receipts.Read'], ...claims }, { preset: 'entra-v1', clientId: CALLER });

describe('bearer-guard inspect', () => {
  it('reads a token from standard input and shows what it is, offline, exit 0', async () => {
    const token = await issuer.sign({ scope: 'receipts.read' });
    const run = await runCli(['inspect'], { stdin: `${token}\n` });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`bearer-guard inspect: a signed JWT (JWS) of ${token.length} characters; its signature is neither shown nor checked`);
    expect(lines).toContain('looks like        an RFC 9068 issuer  (verify with --preset rfc9068)');
    expect(lines).toContain(`header            alg "RS256", kid "${issuer.signingKid}", typ "at+jwt"`);
    expect(run.stdout).toContain(`                    "iss": "${issuer.url}",`);
    expect(run.stdout).toMatch(/\ntimes {13}expires in (59|60) min \(exp \d+, \d{4}-\d\d-\d\dT[\d:.]+Z\)\n {18}issued (\d+ s ago|now) \(iat /);
    expect(run.stdout).toContain('req.auth          clientId "test-client"\n                  tenantId none\n                  scopes ["receipts.read"]\n                  roles []\n                  isAppOnly true');
    expect(lines).toContain('binding           no cnf claim: a plain Bearer token');
    expect(run.stdout).not.toContain('\u001b[');
    expectNoToken(run, token);
  });

  it('reads --token-file, and an argument with a warning about shell history', async () => {
    const token = await issuer.sign();
    const file = join(dir, 'token');
    writeFileSync(file, token);
    const fromFile = await runCli(['inspect', '--token-file', file]);
    expect([fromFile.code, fromFile.stderr]).toEqual([0, '']);
    const fromArgument = await runCli(['inspect', token]);
    expect(fromArgument.code).toBe(0);
    expect(fromArgument.stderr).toBe('warning: a token given as an argument stays in your shell history; pipe it in or use --token-file\n');
    const steady = (text: string): string => text.replace(/\b(now|in \d+ \w+|\d+ \w+ ago)\b/g, '<when>');
    expect(steady(fromArgument.stdout)).toBe(steady(fromFile.stdout));
    for (const run of [fromFile, fromArgument]) expectNoToken(run, token);
  });

  it('takes the token out of an Authorization line or a token response', async () => {
    const token = await issuer.sign();
    for (const input of [`Authorization: Bearer ${token}`, `Bearer ${token}`, JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 })]) {
      const run = await runCli(['inspect', '--json'], { stdin: input });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ format: 'jws', length: token.length });
      expectNoToken(run, token);
    }
  });

  it('explains an Entra ID v2.0 daemon token: family, marks, roles, req.auth under the entra profile', async () => {
    const token = await entraV2();
    const run = await runCli(['inspect'], { stdin: token });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('looks like        Microsoft Entra ID v2.0  (verify with --preset entra)\n');
    expect(run.stdout).toContain(`marks             iss host login.microsoftonline.com, ver "2.0", tid "${TENANT}", azp "${CALLER}", idtyp "app"\n`);
    expect(run.stdout).toContain('note              aud is a client id (GUID): entraId({ clientId }) accepts it\n');
    expect(run.stdout).toContain('note              app-only (client credentials): application permissions are in roles, so guard with requireRoles\n');
    expect(run.stdout).toContain(`req.auth          clientId "${CALLER}"\n                  tenantId "${TENANT}"\n                  scopes []\n                  roles ["Receipts.Read"]\n                  isAppOnly true`);
    expect(run.stdout).toContain('(once verified; claim locations and app-only rule of the entra profile)');
    expectNoToken(run, token);
  });

  it('explains an Entra ID v1.0 token with an App ID URI audience, and a Microsoft Graph token', async () => {
    const v1 = await entraV1();
    const one = await runCli(['inspect'], { stdin: v1 });
    expect(one.stdout).toContain('looks like        Microsoft Entra ID v1.0  (verify with --preset entra)\n');
    expect(one.stdout).toContain('note              aud is an Application ID URI, as v1.0 tokens may carry: entraId() accepts api://<clientId> unless appIdUri says otherwise\n');
    expect(one.stdout).toContain("note              a v1.0 token: the API's manifest asks for v1.0 (requestedAccessTokenVersion null or 1); entraId() accepts it unless acceptV1 is false\n");
    const graph = await entraV1({ aud: '00000003-0000-0000-c000-000000000000', roles: undefined });
    const two = await runCli(['inspect'], { stdin: graph });
    expect(two.code).toBe(0);
    expect(two.stdout).toContain(
      'note              a Microsoft Graph token (aud is Graph): only Graph can validate it; request a token for your API (api://<API client id>/.default)\n',
    );
    expect(two.stdout.match(/^note /gm)).toHaveLength(1);
    expectNoToken(one, v1);
    expectNoToken(two, graph);
  });

  it('shows the key binding of a DPoP-bound token and judges times at --at', async () => {
    const token = await issuer.sign({ cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }, { expiresIn: 3600 });
    const at = new Date(Date.now() + 5 * 3600 * 1000).toISOString();
    const run = await runCli(['inspect', '--at', at], { stdin: token });
    expect(run.stdout).toContain(
      'binding           bound to a DPoP key (cnf.jkt "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", RFC 9449): sent as a plain Bearer token it is refused (token_sender_constrained)',
    );
    expect(run.stdout).toMatch(/times {13}expired 4 h ago \(exp/);
  });

  it('says what an opaque and an encrypted token are, exit 0', async () => {
    const opaque = 'Zt0qXW3vL9mC2rN8kP4sY7uA1dF6gH5jQ';
    const one = await runCli(['inspect'], { stdin: opaque });
    expect(one.code).toBe(0);
    expect(one.stdout).toContain(`bearer-guard inspect: an opaque token of ${opaque.length} characters\n`);
    expect(one.stdout).toContain('looks like        opaque\n');
    expect(one.stdout).toContain('note              a reference token: only its issuer can tell what it means (introspection, RFC 7662); it is not a JWT\n');
    const { publicKey } = await generateKeyPair('RSA-OAEP-256');
    const jwe = await new CompactEncrypt(Buffer.from('{"iss":"x"}'))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'at+jwt', kid: 'enc-1' })
      .encrypt(publicKey);
    const two = await runCli(['inspect'], { stdin: jwe });
    expect(two.code).toBe(0);
    expect(two.stdout).toContain('looks like        encrypted\n');
    expect(two.stdout).toContain('header            alg "RSA-OAEP-256", enc "A256GCM", typ "at+jwt", kid "enc-1"\n');
    expect(two.stdout).toContain('OpenIddict encrypts access tokens by default');
    expectNoToken(one, opaque);
    expectNoToken(two, jwe);
  });

  it.each([
    ['text with spaces', 'hello, world: 42 apples', 'not a token: it holds characters no Bearer token has (spaces, quotes, line breaks…)'],
    ['three segments that are not JSON', 'YWJjZGVmZ2hpams.bm90IGpzb24gYXQgYWxs.c2lnbmF0dXJlcw', 'not a token: it has the shape of a JWT, but a segment is not JSON'],
    ['three segments that are not base64url', 'eyJhbGci+/.eyJpc3Mi+/.c2ln', 'not a token: it has the shape of a JWT, but not three non-empty base64url segments'],
    ['five segments without a JSON header', 'bm90IGpzb24.YQ.YQ.YQ.YQ', 'not a token: five segments, but the first is not a base64url JSON header'],
  ])('refuses %s with exit 2, without echoing it', async (_name, input, message) => {
    const run = await runCli(['inspect'], { stdin: input });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`bearer-guard inspect: ${message}\nRun "bearer-guard inspect --help" for its options and an example.\n`);
    expectNoToken(run, input);
  });

  it('answers usage errors with exit 2: no input, two inputs, an unknown option, a bad --at', async () => {
    const token = await issuer.sign();
    const file = join(dir, 'twice');
    writeFileSync(file, token);
    const runs = await Promise.all([
      runCli(['inspect'], { stdin: '  \n' }),
      runCli(['inspect', '--token-file', file, token]),
      runCli(['inspect', '--tokenfile', file]),
      runCli(['inspect', '--at', 'yesterday'], { stdin: token }),
      runCli(['inspect', '--token-file', join(dir, 'missing')]),
    ]);
    expect(runs.map((run) => [run.code, run.stderr.split('\n')[0]])).toEqual([
      [2, 'bearer-guard inspect: no token: the input is empty'],
      [2, 'bearer-guard inspect: give the token one way: --token-file or an argument, not both'],
      [2, 'bearer-guard inspect: unknown option --tokenfile'],
      [2, 'bearer-guard inspect: --at must be an ISO 8601 time, e.g. 2025-01-31T12:00:00Z'],
      [2, `bearer-guard inspect: cannot read --token-file ${JSON.stringify(join(dir, 'missing'))} (ENOENT)`],
    ]);
    for (const run of runs) expectNoToken(run, token);
  });

  it('prints --json that follows docs/cli/inspect-report.schema.json for every kind of token', async () => {
    const tokens = [await issuer.sign({ scope: 'a b' }), await entraV2(), await entraV1({ cnf: { 'x5t#S256': 'abc' } }), 'Zt0qXW3vL9mC2rN8kP4sY7uA1dF6gH5jQ'];
    for (const token of tokens) {
      const { run, json } = await runJson(['inspect'], { stdin: token });
      expect(run.code).toBe(0);
      expect(schemaProblems(json, schema)).toEqual([]);
      expectNoToken(run, token);
    }
    const { json } = await runJson(['inspect'], { stdin: await entraV2() });
    expect(json).toMatchObject({
      format: 'jws',
      looksLike: { family: 'Microsoft Entra ID', variant: 'v2.0', preset: 'entra' },
      identity: { clientId: CALLER, tenantId: TENANT, scopes: [], roles: ['Receipts.Read'], isAppOnly: true, profile: 'entra' },
      binding: { kind: 'none' },
    });
    expect(Object.keys(json)).not.toContain('signature');
  });

  it('prints its help with an example, exit 0', async () => {
    const run = await runCli(['inspect', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Example\n  pbpaste | npx bearer-guard inspect\n');
  });
});

describe('colours', () => {
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  /** Runs the CLI under a pseudo-terminal (util-linux `script`), where standard output is a TTY. */
  const onTerminal = (env: Record<string, string>, file: string): string =>
    execFileSync('script', ['-qec', `"${process.execPath}" "${CLI}" inspect --token-file "${file}"`, '/dev/null'], {
      env: { ...process.env, NO_COLOR: '', ...env },
      encoding: 'utf8',
    });

  it.skipIf(!hasScript)('colours a terminal, and not with NO_COLOR', async () => {
    const file = join(dir, 'tty');
    writeFileSync(file, await issuer.sign());
    expect(onTerminal({}, file)).toContain('\u001b[1mbearer-guard inspect\u001b[0m');
    expect(onTerminal({ NO_COLOR: '1' }, file)).not.toContain('\u001b[');
  });

  it('never colours a pipe', async () => {
    const run = await runCli(['inspect'], { stdin: await issuer.sign(), env: { FORCE_COLOR: '1', TERM: 'xterm-256color' } });
    expect(run.stdout).not.toContain('\u001b[');
  });
});
