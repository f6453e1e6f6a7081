/**
 * `bearer-guard discover`, the built CLI as a child process against real metadata and key servers on
 * loopback: every location and its answer, the issuer match, the key set and why a key is not used; exit 0
 * usable, 1 refused by bearer-guard's rules, 2 usage error, 3 nothing answered; `--json` against its schema.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { JWK } from 'jose';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { readSchema, schemaProblems } from '../helpers/json-schema.js';
import { createTestKey } from '../helpers/keys.js';
import { runCli, runJson } from './support.js';

const schema = readSchema('discover-report.schema.json');
let issuer: TestIssuer;
let server: IssuerServer | undefined;
beforeAll(async () => {
  issuer = await createTestIssuer();
});
afterAll(() => issuer.close());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('bearer-guard discover', () => {
  it('shows each metadata location, the issuer match, the jwks_uri and each key, exit 0', async () => {
    const run = await runCli(['discover', issuer.url]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')).toEqual([
      `bearer-guard discover ${issuer.url}: metadata and usable keys found`,
      '',
      'metadata',
      `  ✓ ${issuer.url}/.well-known/openid-configuration`,
      '      usable: "issuer" equals the issuer, "jwks_uri" may be fetched',
      `      issuer    "${issuer.url}" equals the issuer`,
      `      jwks_uri  ${issuer.jwksUri}`,
      `  ✓ ${issuer.url}/.well-known/oauth-authorization-server`,
      '      usable: "issuer" equals the issuer, "jwks_uri" may be fetched',
      `      issuer    "${issuer.url}" equals the issuer`,
      `      jwks_uri  ${issuer.jwksUri}`,
      '',
      `jwks_uri  ${issuer.jwksUri}`,
      'keys      1 key, 1 usable to verify signatures',
      `  ✓ kid "${issuer.signingKid}", RSA 2048 bits, alg RS256, use sig`,
      '      verifies RS256',
      '',
    ]);
  });

  it('says when the metadata names another issuer, exit 1', async () => {
    server = await startIssuerServer({ path: '/tenant' });
    server.metadataIssuer = `${server.url}/`;
    server.openidDiscovery = false;
    const run = await runCli(['discover', server.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`bearer-guard discover ${server.url}: answers bearer-guard would refuse\n`);
    expect(run.stdout).toContain(`  ✗ ${server.url}/.well-known/openid-configuration\n      HTTP 404\n`);
    expect(run.stdout).toContain('      the metadata "issuer" differs from the configured issuer\n');
    expect(run.stdout).toContain(`      issuer    "${server.url}/" is not the issuer exactly\n`);
    expect(run.stdout).toContain('jwks_uri  none: no usable metadata\n');
  });

  it('lists the keys bearer-guard does not use, and why, exit 1 when none is usable', async () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }) as JWK;
    const encryption = await createTestKey('RS256');
    server = await startIssuerServer({
      keys: [
        { ...small, kid: 'small' },
        { ...encryption.jwk, kid: 'enc', use: 'enc' },
        { kty: 'oct', kid: 'shared', k: 'c2VjcmV0' } as JWK,
        { ...encryption.jwk, kid: 'private', d: 'AAAA' } as JWK,
      ],
    });
    const { run, json } = await runJson(['discover', server.url]);
    expect(run.code).toBe(1);
    expect(json.verdict).toBe('unusable');
    expect((json.jwks as { keys: { kid: string; size: string | null; unusable: string | null }[] }).keys.map(({ kid, size, unusable }) => ({ kid, size, unusable }))).toEqual([
      { kid: 'small', size: '1024 bits', unusable: 'an RSA modulus of 1024 bits (2048 to 16384 accepted)' },
      { kid: 'enc', size: '2048 bits', unusable: 'use is not "sig"' },
      { kid: 'shared', size: null, unusable: 'kty is not RSA, EC or OKP' },
      { kid: 'private', size: '2048 bits', unusable: 'it holds private key members' },
    ]);
    expect(schemaProblems(json, schema)).toEqual([]);
  });

  it('shows an EC key with its curve and its own issuer member', async () => {
    const key = await createTestKey('ES256');
    server = await startIssuerServer({ keys: [{ ...key.jwk, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' } as JWK] });
    const run = await runCli(['discover', server.url]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`  ✓ kid "${key.kid}", EC P-256, alg ES256, use sig, issuer "https://login.microsoftonline.com/{tenantid}/v2.0"\n      verifies ES256\n`);
  });

  it('exits 3 when nothing answers, or when the key set cannot be fetched', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const { run, json } = await runJson(['discover', `http://127.0.0.1:${port}/realms/shop`, '--timeout', '2000']);
    expect(run.code).toBe(3);
    expect(json).toMatchObject({ verdict: 'unavailable', jwksUri: null, jwks: null });
    expect((json.metadata as { url: string; answer: string }[]).map((attempt) => attempt.url)).toEqual([
      `http://127.0.0.1:${port}/realms/shop/.well-known/openid-configuration`,
      `http://127.0.0.1:${port}/.well-known/oauth-authorization-server/realms/shop`,
      `http://127.0.0.1:${port}/realms/shop/.well-known/oauth-authorization-server`,
    ]);
    expect(schemaProblems(json, schema)).toEqual([]);
    server = await startIssuerServer();
    server.jwks = { kind: 'status', status: 500 };
    const keys = await runJson(['discover', server.url]);
    expect(keys.run.code).toBe(3);
    expect(keys.json).toMatchObject({ verdict: 'unavailable', jwksUri: server.jwksUri, jwks: { answer: 'HTTP 500', keys: [] } });
  });

  it.each([
    [[], 'bearer-guard discover: give the issuer, exactly as in the tokens\' iss: bearer-guard discover https://login.example.com/'],
    [['login.example.com'], 'bearer-guard discover: the issuer is not an absolute URL'],
    [['http://login.example.com/'], 'bearer-guard discover: the issuer must use https (plain http is allowed on loopback hosts only)'],
    [['https://login.example.com/', '--timeout', 'soon'], 'bearer-guard discover: --timeout must be a number of milliseconds from 1 to 999999'],
  ])('answers %j with exit 2', async (args, message) => {
    const run = await runCli(['discover', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
  });
});

describe('bearer-guard, the command line', () => {
  it('prints the help of each command with an example, and the version', async () => {
    const [main, help, discover, version] = await Promise.all([runCli(['--help']), runCli(['help', 'verify']), runCli(['discover', '-h']), runCli(['--version'])]);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain('bearer-guard inspect  [--token-file F] [--json]');
    expect(main.stdout).toContain('Exit codes: 0 accepted, 1 refused (400, 401, 403), 2 usage error or not a token, 3 keys unavailable (503).');
    expect(help.stdout).toContain('bearer-guard verify: run your API\'s checks on a token, exactly as the middleware does');
    expect(discover.stdout).toContain('Example\n  npx bearer-guard discover https://login.microsoftonline.com/<tenant>/v2.0\n');
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('answers no command and an unknown command with exit 2', async () => {
    const none = await runCli([]);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(none.stderr).toContain('Usage');
    const unknown = await runCli(['check']);
    expect([unknown.code, unknown.stderr]).toEqual([2, 'bearer-guard: the command "check" does not exist; the commands are inspect, verify and discover\nRun "bearer-guard --help" for help.\n']);
  });
});
