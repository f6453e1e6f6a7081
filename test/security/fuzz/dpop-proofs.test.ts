/**
 * Property-based fuzzing of DPoP proofs against a verifier with DPoP on, for a genuine DPoP-bound token:
 * random `DPoP` header values (strings, Unicode, lists, JSON-ish and JWS-shaped text) and genuine proofs
 * with one character changed. Oracles: never accepted; always a 401 `AuthError` (never another throw, never a
 * 5xx); the untouched proof is still accepted after its mutant was refused; nothing escapes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError, type BearerVerifier } from '../../../src/index.js';
import { createDpopKey, createTestIssuer, type TestDpopKey, type TestIssuer } from '../../../src/testing/index.js';
import { check, recordEscapes, runsOf, timeoutFor } from './support.js';

const ORIGIN = 'https://api.example.test';
let issuer: TestIssuer;
let key: TestDpopKey;
let token: string;
let verifier: BearerVerifier;
const escapes = recordEscapes();

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  key = await createDpopKey();
  token = await issuer.sign({ cnf: key.cnf });
  verifier = createVerifier(issuer.verifierOptions({ dpop: { publicOrigin: ORIGIN } }));
});
afterAll(async () => {
  escapes.uninstall();
  await issuer.close();
});

const request = (dpop: string | string[]) => ({ method: 'GET', url: '/receipts', headers: { authorization: `DPoP ${token}`, dpop } });

/** `accepted`, or the status of the AuthError; anything else thrown fails the property. */
async function outcome(dpop: string | string[]): Promise<string> {
  try {
    await verifier.verify(token, request(dpop));
    return 'accepted';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return String(error.status);
  }
}

const segment = fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/);
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.tuple(segment, segment, segment).map((parts) => parts.join('.')),
  fc.json().map((json) => `${Buffer.from(json).toString('base64url')}.${Buffer.from(json).toString('base64url')}.c2ln`),
  fc.array(fc.string(), { minLength: 2, maxLength: 3 }),
);

describe('DPoP proofs under fuzzing', () => {
  const runs = runsOf(300, 0.1);

  it('refuses every random DPoP header value with a 401, never anything else', async () => {
    await check(
      'random DPoP header values',
      fc.asyncProperty(headerValue, async (value) => {
        expect(await outcome(value)).toBe('401');
      }),
      runs,
    );
    expect(escapes.escapes).toEqual([]);
  }, timeoutFor(runs, 20));

  it('refuses a genuine proof with any one character changed, and still accepts the proof itself', async () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=,~ ';
    await check(
      'mutated genuine proofs',
      fc.asyncProperty(fc.nat(), fc.constantFrom(...alphabet), async (at, char) => {
        const proof = await key.proof({ method: 'GET', url: `${ORIGIN}/receipts`, accessToken: token });
        const index = at % proof.length;
        if (proof[index] === char) return;
        const mutant = `${proof.slice(0, index)}${char}${proof.slice(index + 1)}`;
        expect(await outcome(mutant)).toBe('401');
        expect(await outcome(proof)).toBe('accepted');
      }),
      runs,
    );
    expect(escapes.escapes).toEqual([]);
  }, timeoutFor(runs, 40));
});
