/**
 * The check trace: an optional sink the pipeline reports each check to. Driven through a real verifier's
 * internal entry (the one `authenticate()` calls) against the test issuer on loopback.
 */
import type { JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, entraId, isAuthError, type AuthError, type VerifierOptions } from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { VERIFY_NOW } from '../../src/verifier/create-verifier.js';
import type { CheckTrace } from '../../src/verify/check-trace.js';
import { durationWords, relativeTime } from '../../src/verify/claims/time-words.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken } from '../helpers/keys.js';

interface Heard {
  stage: string;
  passed: boolean;
  reason?: string;
  detail: string | undefined;
}

/** A trace that records what it hears. */
function recorder(): { trace: CheckTrace; heard: Heard[] } {
  const heard: Heard[] = [];
  return {
    heard,
    trace: {
      passed: (stage, detail) => heard.push({ stage, passed: true, detail }),
      refused: (stage, error, detail) => heard.push({ stage, passed: false, reason: error.reason, detail }),
    },
  };
}

/** Verifies `token` with `options` through the internal entry, with a trace; the error on refusal. */
async function traced(options: VerifierOptions, token: string): Promise<{ heard: Heard[]; error: AuthError | undefined }> {
  const { trace, heard } = recorder();
  try {
    await createVerifier(options)[VERIFY_NOW](token, undefined, { trace });
    return { heard, error: undefined };
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return { heard, error };
  }
}

const TENANT = '7f3c9a2e-1b4d-4e8f-9a6b-2c5d8e1f0a3b';
const API = 'c0ffee00-1234-4abc-8def-0123456789ab';
let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts', tenantId: TENANT });
});
afterAll(() => issuer.close());

describe('the check trace', () => {
  it('hears every check of an accepted token as passed, in pipeline order, with what was required and found', async () => {
    const { heard, error } = await traced({ issuer: issuer.url, audience: 'api://receipts', cache: false }, await issuer.sign({ scope: 'a' }));
    expect(error).toBeUndefined();
    expect(heard.map((entry) => [entry.stage, entry.passed])).toEqual([
      ['format', true],
      ['issuer', true],
      ['key', true],
      ['signature', true],
      ['claims', true],
      ['claims', true],
      ['binding', true],
      ['identity', true],
      ['caller', true],
    ]);
    const details = heard.map((entry) => entry.detail);
    expect(details[0]).toMatch(/^a JWS of \d+ characters; alg "RS256" is allowed; typ "at\+jwt" \(absent, JWT or at\+jwt\)$/);
    expect(details[1]).toBe(`iss "${issuer.url}" is a configured issuer`);
    expect(details[2]).toBe(`kid "${issuer.signingKid}" is in the issuer's key set (rsa 2048 bits, fit for RS256)`);
    expect(details[3]).toBe(`the RS256 signature verifies with key "${issuer.signingKid}"`);
    expect(details[4]).toMatch(/^now \d+, exp \d+ \(in (59|60) min\), iat \d+ \((\d+ s ago|now)\), clock tolerance 60 s$/);
    expect(details[5]).toBe('aud "api://receipts" has one of ["api://receipts"]');
    expect(details[6]).toBe('no cnf claim: a plain Bearer token');
    expect(details[7]).toBe('client "test-client", tenant none');
    expect(details[8]).toBe('any client and tenant (no allowedClientIds, no allowedTenants)');
  });

  it('hears the refusal once, with the reason the client gets and the stage\'s expected against actual, debug log off', async () => {
    const { heard, error } = await traced({ issuer: issuer.url, audience: 'api://receipts', cache: false }, await issuer.sign({ aud: 'api://other' }));
    expect(process.env.NODE_DEBUG ?? '').not.toContain('bearer-guard');
    expect(error?.reason).toBe('audience_mismatch');
    expect(heard.at(-1)).toEqual({ stage: 'claims', passed: false, reason: 'audience_mismatch', detail: 'aud "api://other" has none of ["api://receipts"]' });
    expect(heard.filter((entry) => !entry.passed)).toHaveLength(1);
  });

  it("hears the issuer family's sharper reason (a Microsoft Graph token), as the error carries it", async () => {
    const options = { ...entraId({ tenantId: TENANT, clientId: API }), jwksUri: issuer.jwksUri, cache: false as const };
    const token = await issuer.sign(
      { iss: `https://login.microsoftonline.com/${TENANT}/v2.0`, aud: '00000003-0000-0000-c000-000000000000' },
      { preset: 'entra-v2', clientId: 'a11ce000-5678-4abc-8def-0123456789ab' },
    );
    const { heard, error } = await traced(options, token);
    expect(error?.reason).toBe('foreign_resource_token');
    expect(heard.at(-1)).toMatchObject({ stage: 'claims', passed: false, reason: 'foreign_resource_token' });
    expect(heard[1]?.detail).toBe(`iss "https://login.microsoftonline.com/${TENANT}/v2.0" is a configured issuer of tenant "${TENANT}"`);
  });

  it('hears a time refusal with each time in words', async () => {
    const { heard } = await traced({ issuer: issuer.url, audience: 'api://receipts', cache: false }, await issuer.sign({}, { expiresIn: -3 * 3600 }));
    expect(heard.at(-1)).toMatchObject({ stage: 'claims', reason: 'token_expired', detail: expect.stringMatching(/exp \d+ \(3 h ago\)/) });
  });

  it('hears keys that cannot be fetched as the key stage refusing with the 503, naming the URL', async () => {
    const { heard, error } = await traced(
      { issuer: issuer.url, audience: 'api://receipts', jwksUri: 'http://127.0.0.1:1/keys', cache: false },
      await issuer.sign(),
    );
    expect(error?.status).toBe(503);
    expect(heard.at(-1)).toMatchObject({ stage: 'key', passed: false, reason: 'jwks_unavailable', detail: expect.stringContaining('http://127.0.0.1:1/keys') });
  });

  it('hears required claims and a verified-token cache hit', async () => {
    const options = { issuer: issuer.url, audience: 'api://receipts', requiredClaims: { token_use: 'access' } };
    const verifier = createVerifier(options);
    const token = await issuer.sign({ token_use: 'access' });
    const first = recorder();
    await verifier[VERIFY_NOW](token, undefined, { trace: first.trace });
    expect(first.heard.map((entry) => entry.detail)).toContain('token_use "access" as required');
    // The cache admits a token seen again: verify until a hit answers.
    let hit: Heard[] = [];
    for (let i = 0; i < 3 && hit.length !== 1; i++) {
      const again = recorder();
      await verifier[VERIFY_NOW](token, undefined, { trace: again.trace });
      hit = again.heard;
    }
    expect(hit).toEqual([{ stage: 'claims', passed: true, detail: expect.stringMatching(/^verified before \(cache\); now \d+, exp \d+ \(in \d+ min\)/) }]);
  });
});

describe("the signature check's key issuer", () => {
  let server: IssuerServer;
  afterAll(() => server?.close());

  it("says which key issuer vouched for the token's issuer", async () => {
    const key = await createTestKey('RS256');
    server = await startIssuerServer({ keys: [{ ...key.jwk, issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' } as JWK] });
    const iss = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    const token = await signToken(key, { iss, aud: API, azp: 'caller', tid: TENANT });
    const { heard } = await traced({ ...entraId({ tenantId: TENANT, clientId: API }), jwksUri: server.jwksUri, cache: false }, token);
    expect(heard.find((entry) => entry.stage === 'signature')?.detail).toBe(
      `the RS256 signature verifies with key "${key.kid}"; the key's issuer "https://login.microsoftonline.com/{tenantid}/v2.0" vouches for iss "${iss}"`,
    );
  });
});

describe('times in words', () => {
  it.each([
    [0, 'now'],
    [42, 'in 42 s'],
    [-119, '119 s ago'],
    [42 * 60 + 30, 'in 42 min'],
    [-3 * 3600 - 59, '3 h ago'],
    [3 * 86_400, 'in 3 d'],
  ])('says %i s from now as "%s"', (delta, words) => {
    expect(relativeTime(1_700_000_000 + delta, 1_700_000_000)).toBe(words);
  });

  it('rounds durations down to one unit', () => {
    expect([durationWords(119.9), durationWords(7199), durationWords(172_799), durationWords(172_800)]).toEqual(['119 s', '119 min', '47 h', '2 d']);
  });
});
