/**
 * The CLI's pieces that need no process: `verify`'s flags turned into the preset's own options (each preset
 * through its table line), token input unwrapping, the colour rule, and what `inspect` loads at start.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { auth0, azureAdB2C, cognito, entraId, keycloak, okta, openIddict, rfc9068 } from '../../src/index.js';
import { unwrapToken } from '../../src/cli/read-token.js';
import { Style, wantsColor } from '../../src/cli/style.js';
import { CLI_PRESETS, toFlag } from '../../src/cli/verify/cli-presets.js';
import { parseVerifyArgs } from '../../src/cli/verify/verify-args.js';

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
const CALLER = 'a11ce000-5678-4abc-8def-0123456789ab';

describe('verify flags', () => {
  it.each([
    ['entra', ['--tenant-id', TENANT, '--client-id', API, '--app-id-uri', 'api://receipts', '--accept-v1', 'false', '--allowed-client-ids', CALLER, '--app-signing-keys', 'true'],
      entraId({ tenantId: TENANT, clientId: API, appIdUri: ['api://receipts'], acceptV1: false, allowedClientIds: [CALLER], appSigningKeys: true })],
    ['auth0', ['--domain', 'example.eu.auth0.com', '--audience', 'https://receipts', '--roles-claim', 'https://receipts/roles'],
      auth0({ domain: 'example.eu.auth0.com', audience: ['https://receipts'], rolesClaim: 'https://receipts/roles' })],
    ['okta', ['--issuer', 'https://example.okta.com/oauth2/default', '--audience', 'api://default'], okta({ issuer: 'https://example.okta.com/oauth2/default', audience: ['api://default'] })],
    ['keycloak', ['--url', 'https://sso.example.com', '--realm', 'shop', '--audience', 'receipts', '--client-roles', 'receipts', '--client-roles', 'billing'],
      keycloak({ url: 'https://sso.example.com', realm: 'shop', audience: ['receipts'], clientRoles: ['receipts', 'billing'] })],
    ['cognito', ['--region', 'eu-west-1', '--user-pool-id', 'eu-west-1_AbC', '--client-ids', 'c1'], cognito({ region: 'eu-west-1', userPoolId: 'eu-west-1_AbC', clientIds: ['c1'] })],
    ['rfc9068', ['--issuer', 'https://id.example.com/', '--audience', 'receipts', '--jwks-uri', 'https://id.example.com/keys'],
      rfc9068({ issuer: ['https://id.example.com/'], audience: ['receipts'], jwksUri: 'https://id.example.com/keys' })],
    ['openiddict', ['--issuer', 'https://id.example.com/', '--audience', 'receipts'], openIddict({ issuer: 'https://id.example.com/', audience: ['receipts'] })],
    ['b2c', ['--tenant-name', 'contoso', '--tenant-id', TENANT, '--policy', 'B2C_1A_ClientCredentialsFlow', '--client-id', API, '--allowed-client-ids', CALLER],
      azureAdB2C({ tenantName: 'contoso', tenantId: TENANT, policy: 'B2C_1A_ClientCredentialsFlow', clientId: API, allowedClientIds: [CALLER] })],
  ])('gives --preset %s its own options, exactly as the preset function builds them', (name, flags, expected) => {
    expect(parseVerifyArgs(['--preset', name, ...flags]).options()).toEqual({ ...expected, cache: false });
  });

  it('lets --issuer, --audience and --jwks-uri a preset does not take override its result, and maps the shared options', () => {
    const options = parseVerifyArgs([
      '--preset=entra', '--tenant-id', TENANT, '--client-id', API, '--jwks-uri', 'http://127.0.0.1:1/keys', '--audience', 'api://other',
      '--clock-tolerance', '30', '--challenge-realm', 'receipts',
    ]).options();
    expect(options).toEqual({
      ...entraId({ tenantId: TENANT, clientId: API }),
      jwksUri: 'http://127.0.0.1:1/keys',
      audience: 'api://other',
      clockTolerance: 30,
      realm: 'receipts',
      cache: false,
    });
  });

  it('builds issuer and audience options without a preset, and reads the route requirements', () => {
    const parsed = parseVerifyArgs(['--issuer', 'https://a/', '--issuer', 'https://b/', '--audience', 'x', '--scope', 's1', '--scope', 's2', '--role', 'R', '--any']);
    expect(parsed.options()).toEqual({ issuer: ['https://a/', 'https://b/'], audience: 'x', cache: false });
    expect(parsed.requirements).toEqual({ scopes: ['s1', 's2'], roles: ['R'], any: true });
  });

  it('writes each preset option as a kebab-case flag of a known kind', () => {
    for (const preset of Object.values(CLI_PRESETS)) {
      for (const [name, kind] of Object.entries(preset.options)) {
        expect(toFlag(name)).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        expect(['string', 'list', 'boolean']).toContain(kind);
      }
    }
    expect(toFlag('v1IssuerHost')).toBe('v1-issuer-host');
  });

  it('refuses a --preset given twice and a single-value flag repeated', () => {
    expect(() => parseVerifyArgs(['--issuer', 'https://a/', '--audience', 'x', '--jwks-uri', 'https://a/k', '--jwks-uri', 'https://a/j']).options()).toThrow('--jwks-uri is given more than once');
    expect(() => parseVerifyArgs(['--preset', 'okta', '--preset', 'auth0'])).toThrow('--preset is given more than once');
  });
});

describe('token input', () => {
  it.each([
    ['  abc.def.ghi \n', 'abc.def.ghi'],
    ['Bearer abc', 'abc'],
    ['authorization: Bearer abc', 'abc'],
    ['Authorization:bearer\tabc', 'abc'],
    ['{"access_token":" abc ","token_type":"Bearer"}', 'abc'],
    ['{"not":"a token response"}', '{"not":"a token response"}'],
    ['\uFEFFabc', 'abc'],
  ])('reads %j as %j', (input, token) => {
    expect(unwrapToken(input)).toBe(token);
  });
});

describe('colours', () => {
  it('colour a terminal only, never with NO_COLOR', () => {
    expect(wantsColor({ isTTY: true }, {})).toBe(true);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(wantsColor({ isTTY: false }, {})).toBe(false);
    expect(wantsColor({}, { FORCE_COLOR: '1' })).toBe(false);
    expect([new Style(true).mark(false), new Style(false).mark(true), new Style(false).mark(undefined)]).toEqual(['\u001b[31m✗\u001b[0m', '✓', '·']);
  });
});

describe('what inspect loads', () => {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

  /** The modules `file` (built) reaches through static imports, dynamic `import()` left out. */
  function staticGraph(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) {
      const target = (match[1] ?? match[2])!;
      if (target.startsWith('.')) staticGraph(resolve(dirname(file), target), seen);
      else seen.add(target);
    }
    return seen;
  }

  it('starts inspect without the verifier, key fetching, jose or lru-cache (the built modules)', () => {
    const reached = [...staticGraph(join(root, 'dist/cli/main.js')), ...staticGraph(join(root, 'dist/cli/inspect/inspect-command.js'))].map((file) =>
      file.startsWith('/') ? relative(root, file) : file,
    );
    expect(reached).toContain('dist/cli/inspect/inspect-token.js');
    const heavy = reached.filter((file) => /^(jose|lru-cache)|verifier\/|keys\/key-store|keys\/discovery|http\/fetch-json|verify-token/.test(file));
    expect(heavy).toEqual([]);
  });
});
