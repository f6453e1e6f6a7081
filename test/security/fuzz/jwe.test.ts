/**
 * Property-based fuzzing of encrypted tokens (JWE): genuine OpenIddict-shaped JWEs (RSA-OAEP, A256KW,
 * ECDH-ES+A256KW) mutated at the byte, character, header, segment and encoding layers, spliced together,
 * and re-encrypted around mutated JWS. Oracles: only an unmodified genuine token is accepted (with and
 * without the verified-token cache); every refusal is a 401 bearer-guard error whose message holds nothing
 * of the token; nothing else is thrown; over HTTP no answer is a 5xx; every answer comes within a time
 * bound; no promise rejection goes unhandled.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { Server } from 'node:http';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createVerifier, type Verifier, type VerifierOptions } from '../../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../../src/testing/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { createKeyRing, type KeyRing } from '../support.js';
import { applyJwe, jweMutationArb } from './jwe-mutations.js';
import { mutate, mutationArb, type Mutation } from './mutations.js';
import { check, recordEscapes, runsOf, timeoutFor, verdictOf, within } from './support.js';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
let issuer: TestIssuer;
let ring: KeyRing;
let genuine: string[];
let options: VerifierOptions;
let cached: Verifier;
let uncached: Verifier;
const escapes = recordEscapes();

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://ledger' });
  ring = await createKeyRing();
  genuine = await Promise.all([
    issuer.signEncrypted({ scope: 'read' }),
    issuer.signEncrypted({ scope: 'read' }, {}, { alg: 'A256KW' }),
    issuer.signEncrypted({ scope: 'read' }, { alg: 'ES256' }, { alg: 'ECDH-ES+A256KW', enc: 'A256GCM', key: ec.publicKey }),
  ]);
  const keys = issuer.decryptionKeys;
  options = issuer.verifierOptions({ decryption: { keys: [keys.rsa.privateKey, keys.aes.jwk, ec.privateKey] } });
  cached = createVerifier({ ...options, cache: { maxEntries: 100 } });
  uncached = createVerifier({ ...options, cache: false });
  for (const token of genuine) expect((await uncached.verify(token)).format).toBe('jwe');
});
afterAll(async () => {
  escapes.uninstall();
  await issuer.close();
});

/** Both verifiers agree; the token is accepted exactly when `accepted`. */
async function sound(token: string, accepted: boolean): Promise<void> {
  const [withCache, withoutCache] = [await verdictOf(cached, token), await verdictOf(uncached, token)];
  expect(withCache).toBe(withoutCache);
  expect(withoutCache === 'ok').toBe(accepted);
}

describe('fuzzed encrypted tokens', () => {
  const mutationRuns = runsOf(500);
  it(
    'accept only unmodified genuine JWEs under byte, character, header, segment and encoding mutations',
    async () => {
      const property = fc.asyncProperty(fc.nat(), fc.array(jweMutationArb, { minLength: 1, maxLength: 3 }), async (pick, mutations) => {
        const token = mutations.reduce((current, mutation) => applyJwe(current, mutation, genuine), genuine[pick % genuine.length]!);
        await sound(token, genuine.includes(token));
      });
      await check('mutated JWEs', property, mutationRuns);
    },
    timeoutFor(mutationRuns, 8),
  );

  const innerRuns = runsOf(150, 0.25);
  it(
    'accept no genuine encryption of a mutated JWS',
    async () => {
      const inner = await issuer.sign({ scope: 'read' });
      const noResign = mutationArb.filter((mutation): mutation is Mutation => mutation.kind !== 'resign');
      const property = fc.asyncProperty(fc.array(noResign, { minLength: 1, maxLength: 2 }), fc.boolean(), async (mutations, rsa) => {
        const mutated = mutations.reduce((current, mutation) => mutate(ring, current, mutation), inner);
        const token = await issuer.encrypt(mutated, { alg: rsa ? 'RSA-OAEP' : 'A256KW' });
        await sound(token, mutated === inner);
      });
      await check('encrypted mutated JWSs', property, innerRuns);
    },
    timeoutFor(innerRuns, 8),
  );

  const httpRuns = runsOf(40, 0.1);
  it.each(FRAMEWORKS)(
    'answer mutated JWEs on $name with 401, never a 5xx',
    async ({ build }) => {
      const server: Server = build([{ path: '/r', chain: [authenticate(options)] }], reasonErrorHandler);
      try {
        const property = fc.asyncProperty(fc.nat(), fc.array(jweMutationArb, { minLength: 1, maxLength: 2 }), async (pick, mutations) => {
          const token = mutations.reduce((current, mutation) => applyJwe(current, mutation, genuine), genuine[pick % genuine.length]!);
          // An HTTP client cannot send control or non-ASCII characters in a header: those cases are for the verifier.
          fc.pre(/^[\x20-\x7e]*$/.test(token));
          const res = await within(Promise.resolve(request(server).get('/r').set('Authorization', `Bearer ${token}`)), 3000, 'request');
          expect(res.status < 500).toBe(true);
          expect([200, 400, 401]).toContain(res.status);
          // `Bearer 1*SP b64token`: spaces before the token are part of the separator.
          expect(res.status === 200).toBe(genuine.includes(token.replace(/^ +/, '')));
        });
        await check('mutated JWEs over HTTP', property, httpRuns);
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    timeoutFor(httpRuns, 20),
  );

  it('leave no unhandled rejection or uncaught exception behind', () => {
    expect(escapes.escapes).toEqual([]);
  });
});
