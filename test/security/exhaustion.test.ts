/**
 * Catalogue family "resource exhaustion" (RX-01 to RX-07, CR-03, JF-06): many dots, deep and wide JSON,
 * literal (never pattern) matching of long issuers, floods of garbage and of unknown kids, and very large
 * key sets. Oracles are outcomes and counts (fetches, parses), never durations.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, type AuthInfo } from '../../src/index.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  b64text,
  b64url,
  goodClaims,
  publishedKeys,
  signRaw,
  signToken,
  startSecurityIssuer,
  useSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
} from './support.js';

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));
afterEach(() => {
  vi.restoreAllMocks();
});

describe('RX-02 many dots', () => {
  it.each<[string, number]>([
    ['the default cap', 16_384],
    ['a raised cap of 1 MB', 1_000_000],
  ])('rejects "a." repeated up to %s as token_malformed without parsing any JSON', async (_name, cap) => {
    const verifier = verifierOf(issuer, { maxTokenLength: cap });
    const parse = vi.spyOn(JSON, 'parse');
    expect(await verdict(verifier, 'a.'.repeat(cap / 2))).toBe('401 token_malformed');
    expect(await verdict(verifier, `${'.'.repeat(cap - 1)}a`)).toBe('401 token_malformed');
    expect(parse).not.toHaveBeenCalled();
  });
});

describe('RX-05 deep and wide JSON', () => {
  const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it.each<[string, () => string]>([
    ['a header nested 10^4 levels deep', () => `${b64text(`{"alg":"RS256","kid":${JSON.stringify(ring.rs256.kid)},"x":${deep(10_000)}}`)}.${b64url(goodClaims(issuer))}.${'A'.repeat(342)}`],
    ['a payload nested 10^4 levels deep', () => `${b64url({ alg: 'RS256', kid: ring.rs256.kid })}.${b64text(`{"x":${deep(10_000)}}`)}.${'A'.repeat(342)}`],
    ['a payload nested 10^5 levels deep', () => `${b64url({ alg: 'RS256', kid: ring.rs256.kid })}.${b64text(`{"x":${deep(100_000)}}`)}.${'A'.repeat(342)}`],
    ['a payload with 10^5 members', () => `${b64url({ alg: 'RS256', kid: ring.rs256.kid })}.${b64text(JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]))))}.${'A'.repeat(342)}`],
  ])('answers a forged token with %s with a 401, never a crash', async (_name, make) => {
    const verifier = verifierOf(issuer, { maxTokenLength: 4_000_000 });
    const outcome = await verdict(verifier, make());
    expect(outcome).toMatch(/^401 /);
  });

  /**
   * A genuine token (the issuer signed it) whose payload nests arrays about 6000 levels deep still fits the
   * default 16 KiB cap. The identity is deep-frozen with an explicit stack, so the nesting cannot overflow the
   * call stack into a 500 (a recursive freeze did).
   */
  it('accepts a genuine token whose payload nests 6000 levels deep within the default cap', async () => {
    const token = signRaw(
      JSON.stringify({ alg: 'ES256', kid: ring.es256.kid }),
      JSON.stringify(goodClaims(issuer)).replace(/}$/, `,"x":${deep(6_000)}}`),
      ring.es256,
    );
    expect(token.length).toBeLessThanOrEqual(16_384);
    let outcome: AuthInfo | unknown;
    try {
      outcome = await verifierOf(issuer).verify(token);
    } catch (error) {
      outcome = error;
    }
    expect(isAuthError(outcome) ? outcome.reason : (outcome as AuthInfo).issuer).toBe(issuer.url);
  });
});

describe('RX-06 issuers are compared as literal strings, never as patterns', () => {
  it('matches a configured issuer holding regular-expression characters only by equality', async () => {
    const verifier = createVerifier({ issuer: [issuer.url, `${issuer.url}/(a+)+$`, 'https://.*'], audience: AUDIENCE, jwksUri: issuer.jwksUri });
    for (const iss of [`${issuer.url}/aaaa`, `${issuer.url}/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!`, 'https://evil.example']) {
      const token = await signToken(ring.rs256, goodClaims(issuer, { iss }));
      expect(await verdict(verifier, token)).toBe('401 issuer_mismatch');
    }
    expect(await verdict(verifier, await signToken(ring.rs256, goodClaims(issuer, { iss: `${issuer.url}/(a+)+$` })))).toBe('ok');
  });

  it('rejects a 100 KB iss against exact and {tenantid} issuers', async () => {
    const options = { audience: AUDIENCE, jwksUri: issuer.jwksUri, maxTokenLength: 1_000_000 };
    const exact = createVerifier({ issuer: issuer.url, ...options });
    const template = createVerifier({ issuer: 'https://login.example/{tenantid}/v2.0', ...options });
    const tenant = 'a'.repeat(100_000);
    const noSuffix = await signToken(ring.rs256, goodClaims(issuer, { iss: `https://login.example/${tenant}!`, tid: tenant }));
    const otherTenant = await signToken(ring.rs256, goodClaims(issuer, { iss: `https://login.example/${tenant}/v2.0`, tid: `${tenant}b` }));
    expect(await verdict(exact, noSuffix)).toBe('401 issuer_mismatch');
    expect(await verdict(template, noSuffix)).toBe('401 issuer_mismatch');
    expect(await verdict(template, otherTenant)).toBe('401 tenant_mismatch');
  });
});

describe('RX-07 and CR-03 floods', () => {
  it('fetches nothing for 2000 garbage tokens, whatever their shape', async () => {
    const cold = await startSecurityIssuer(publishedKeys(ring));
    try {
      const verifier = verifierOf(cold);
      const garbage = Array.from({ length: 2000 }, (_, i) => {
        switch (i % 5) {
          case 0: return `${'x'.repeat(i % 97)}.${i}`;
          case 1: return `${b64url({ alg: 'none' })}.${b64url(goodClaims(cold))}.${b64url(String(i))}`;
          case 2: return `${b64url({ alg: 'HS256', kid: ring.rs256.kid })}.${b64url(goodClaims(cold))}.${b64url(String(i))}`;
          case 3: return `${b64url({ alg: 'RS256', kid: { i } })}.${b64url(goodClaims(cold))}.${b64url(String(i))}`;
          default: return `${b64url({ alg: 'RS256', kid: ring.rs256.kid })}.${b64url(goodClaims(cold, { iss: `https://evil.example/${i}` }))}.${b64url(String(i))}`;
        }
      });
      const outcomes = await Promise.all(garbage.map((token) => verdict(verifier, token)));
      expect(outcomes.every((outcome) => outcome.startsWith('401 '))).toBe(true);
      expect(cold.jwksHits() + cold.discoveryHits()).toBe(0);
    } finally {
      await cold.close();
    }
  });

  it('answers 5000 tokens with distinct unknown kids 401 key_not_found with one fetch in all', async () => {
    const cold = await startSecurityIssuer(publishedKeys(ring));
    try {
      const verifier = verifierOf(cold);
      const tokens = Array.from({ length: 5000 }, (_, i) => signRaw(JSON.stringify({ alg: 'ES256', kid: `unknown-${i}` }), JSON.stringify(goodClaims(cold)), ring.es256));
      const outcomes = await Promise.all(tokens.map((token) => verdict(verifier, token)));
      expect(new Set(outcomes)).toEqual(new Set(['401 key_not_found']));
      expect(cold.jwksHits()).toBe(1);
    } finally {
      await cold.close();
    }
  });
});

describe('JF-06 very large key sets', () => {
  it('answers 503 jwks_unavailable for a 10^4-member set above the response cap', async () => {
    const big = await startSecurityIssuer([]);
    try {
      big.keys = Array.from({ length: 10_000 }, (_, i) => ({ ...ring.es256.jwk, kid: `k${i}` }));
      expect(await verdict(verifierOf(big), await signToken(ring.es256, goodClaims(big), { header: { kid: 'k1' } }))).toBe('503 jwks_unavailable');
    } finally {
      await big.close();
    }
  });

  it('examines only the first 1000 members of a 10^4-member set allowed through a raised cap', async () => {
    const big = await startSecurityIssuer([]);
    try {
      big.keys = Array.from({ length: 10_000 }, (_, i) => ({ ...ring.es256.jwk, kid: `k${i}` }));
      const verifier = verifierOf(big, { keys: { maxResponseBytes: 16 * 1024 * 1024 } });
      expect(await verdict(verifier, await signToken(ring.es256, goodClaims(big), { header: { kid: 'k999' } }))).toBe('ok');
      expect(await verdict(verifier, await signToken(ring.es256, goodClaims(big), { header: { kid: 'k5000' } }))).toBe('401 key_not_found');
    } finally {
      await big.close();
    }
  });
});
