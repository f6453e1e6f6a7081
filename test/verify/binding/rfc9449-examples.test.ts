/**
 * RFC 9449's own examples, byte for byte: the proof of the token request (§4.1, Figure 4), the JWK
 * thumbprint of its key (§6.1, `cnf.jkt`), and the proof of the protected resource request with its `ath`
 * (§7.1, Figures 13 and 14), judged against that very request at the moment it was made.
 */
import { describe, expect, it } from 'vitest';
import { checkDpop, type DpopPolicy } from '../../../src/verify/binding/check-dpop.js';
import { jwkThumbprint } from '../../../src/verify/binding/thumbprint.js';
import { verifyProof } from '../../../src/verify/binding/verify-proof.js';
import { TokenRejection } from '../../../src/verify/rejection.js';
import type { VerifyRequest } from '../../../src/index.js';

const TOKEN_REQUEST_PROOF =
  'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19' +
  '.eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ' +
  '.2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg';
const RESOURCE_PROOF =
  'eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19' +
  '.eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9' +
  '.2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA';
const ACCESS_TOKEN = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU';
const JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';
const IAT_MS = 1562262618_000;

const policy: DpopPolicy = {
  config: { required: false, algorithms: ['ES256'], proofMaxAgeSec: 300, replayStore: undefined, nonce: undefined, publicOrigin: undefined },
  algorithms: new Set(['ES256']),
  toleranceSec: 60,
  nonces: undefined,
};

/** The request of Figure 13, over TLS. */
const request = (overrides: Partial<VerifyRequest> = {}): VerifyRequest => ({
  method: 'GET',
  url: '/protectedresource',
  headers: { host: 'resource.example.org', authorization: `DPoP ${ACCESS_TOKEN}`, dpop: RESOURCE_PROOF },
  secure: true,
  ...overrides,
});

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('RFC 9449 examples', () => {
  it('verifies the proof of the token request (Figure 4) with its own key', () => {
    const { payload, thumbprint } = verifyProof(TOKEN_REQUEST_PROOF, new Set(['ES256']));
    expect(payload).toEqual({ jti: '-BwC3ESc6acc2lTc', htm: 'POST', htu: 'https://server.example.com/token', iat: 1562262616 });
    expect(thumbprint).toBe(JKT);
  });

  it('computes the jkt of section 6.1 from the example key', () => {
    const jwk = { kty: 'EC', x: 'l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs', y: '9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA', crv: 'P-256' };
    expect(jwkThumbprint(jwk)).toBe(JKT);
    expect(jwkThumbprint({ ...jwk, kid: 'extra', use: 'sig' })).toBe(JKT);
  });

  it('accepts the protected resource request of Figure 13, with its ath, for a token bound to the example key', () => {
    const sighting = checkDpop(ACCESS_TOKEN, JKT, request(), policy, IAT_MS);
    expect(sighting.expiresAtMs).toBe(IAT_MS + 300_000);
    expect(sighting.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each([
    ['another access token', () => checkDpop('another token', JKT, request(), policy, IAT_MS), 'dpop_proof_token_mismatch'],
    ['a token bound to another key', () => checkDpop(ACCESS_TOKEN, 'x'.repeat(43), request(), policy, IAT_MS), 'dpop_key_mismatch'],
    ['a POST', () => checkDpop(ACCESS_TOKEN, JKT, request({ method: 'POST' }), policy, IAT_MS), 'dpop_proof_method'],
    ['another path', () => checkDpop(ACCESS_TOKEN, JKT, request({ url: '/other' }), policy, IAT_MS), 'dpop_proof_uri'],
    ['plain HTTP', () => checkDpop(ACCESS_TOKEN, JKT, request({ secure: false }), policy, IAT_MS), 'dpop_proof_uri'],
    ['301 seconds later', () => checkDpop(ACCESS_TOKEN, JKT, request(), policy, IAT_MS + 301_000), 'dpop_proof_too_old'],
    ['61 seconds earlier', () => checkDpop(ACCESS_TOKEN, JKT, request(), policy, IAT_MS - 61_000), 'dpop_proof_issued_in_future'],
    ['the token request proof', () => checkDpop(ACCESS_TOKEN, JKT, request({ headers: { host: 'resource.example.org', dpop: TOKEN_REQUEST_PROOF } }), policy, IAT_MS), 'dpop_proof_claim_invalid'],
    ['ES256 not allowed', () => checkDpop(ACCESS_TOKEN, JKT, request(), { ...policy, algorithms: new Set(['EdDSA']) }, IAT_MS), 'dpop_proof_algorithm'],
  ])('refuses the example proof for %s', (_name, run, reason) => {
    expect(reasonOf(run)).toBe(reason);
  });

  it('accepts the example request behind a proxy whose public origin is the example host', () => {
    const proxied = request({ secure: false, headers: { host: '10.0.0.7:8080', dpop: RESOURCE_PROOF } });
    const behind = { ...policy, config: { ...policy.config, publicOrigin: 'https://resource.example.org' } };
    expect(reasonOf(() => checkDpop(ACCESS_TOKEN, JKT, proxied, behind, IAT_MS))).toBe('accepted');
    expect(reasonOf(() => checkDpop(ACCESS_TOKEN, JKT, proxied, policy, IAT_MS))).toBe('dpop_proof_uri');
  });
});
