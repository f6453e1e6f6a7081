/**
 * Property-based fuzzing of createVerifier with genuine tokens of every published key type, mutated at the
 * byte, character, JSON and encoding layers, spliced together, or rebuilt from random headers and payloads.
 * Oracles: only an unmodified genuine token is accepted (with and without the verified-token cache);
 * every rejection is a 401 bearer-guard error whose message holds nothing of the token; nothing else is
 * thrown; no promise rejection goes unhandled; every answer comes within a time bound.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verifier } from '../../../src/index.js';
import type { IssuerServer } from '../../helpers/issuer-server.js';
import {
  b64text,
  createKeyRing,
  goodClaims,
  jwsSignature,
  privateKeyOf,
  publishedKeys,
  signToken,
  startSecurityIssuer,
  verifierOf,
  type KeyRing,
} from '../support.js';
import { ENCODINGS, mutate, mutationArb } from './mutations.js';
import { check, recordEscapes, runsOf, timeoutFor, verdictOf } from './support.js';

let ring: KeyRing;
let issuer: IssuerServer;
let genuine: string[];
let cached: Verifier;
let uncached: Verifier;
const escapes = recordEscapes();

beforeAll(async () => {
  ring = await createKeyRing();
  issuer = await startSecurityIssuer(publishedKeys(ring));
  const claims = (): Record<string, unknown> => goodClaims(issuer, { exp: Math.floor(Date.now() / 1000) + 3600, scope: 'read write' });
  genuine = await Promise.all([
    ...publishedKeys(ring).map((key) => signToken(key, claims())),
    signToken(ring.rs256, claims(), { noKid: true }),
    signToken(ring.es256, claims(), { header: { typ: 'at+jwt' } }),
  ]);
  cached = verifierOf(issuer, { cache: { maxEntries: 100 } });
  uncached = verifierOf(issuer);
  for (const token of genuine) expect(await uncached.verify(token)).toBeDefined();
});
afterAll(async () => {
  escapes.uninstall();
  await issuer.close();
});

/** Both verifiers agree; the token is accepted exactly when it is one of the genuine tokens. */
async function sound(token: string): Promise<void> {
  const [withCache, withoutCache] = [await verdictOf(cached, token, issuer.url), await verdictOf(uncached, token, issuer.url)];
  expect(withCache).toBe(withoutCache);
  expect(withoutCache === 'ok').toBe(genuine.includes(token));
}

describe('fuzzed tokens', () => {
  const mutationRuns = runsOf(600);
  it(
    'accept only unmodified genuine tokens under byte, character, JSON and encoding mutations',
    async () => {
      const property = fc.asyncProperty(
        fc.nat(),
        fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
        async (pick, mutations) => {
          const original = genuine[pick % genuine.length]!;
          const token = mutations.reduce((current, mutation) => mutate(ring, current, mutation), original);
          await sound(token);
        },
      );
      await check('mutated genuine tokens', property, mutationRuns);
    },
    timeoutFor(mutationRuns, 4),
  );

  it('accept no re-encoding of any genuine token (every encoding, every token)', async () => {
    for (const original of genuine) {
      for (const how of ENCODINGS) await sound(mutate(ring, original, { kind: 'encoding', how }));
    }
  });

  const spliceRuns = runsOf(150, 0.25);
  it(
    'accept no token spliced from the segments of different genuine tokens',
    async () => {
      const property = fc.asyncProperty(fc.nat(), fc.nat(), fc.nat(), async (a, b, c) => {
        const pieces = [a, b, c].map((index, segment) => genuine[index % genuine.length]!.split('.')[segment]);
        await sound(pieces.join('.'));
      });
      await check('spliced tokens', property, spliceRuns);
    },
    timeoutFor(spliceRuns, 4),
  );

  const structuredRuns = runsOf(250, 0.5);
  it(
    'accept no token built from random headers and payloads, whatever signature it carries',
    async () => {
      const header = fc.record(
        {
          alg: fc.oneof(fc.constantFrom('RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519', 'none', 'HS256', 'RS256 '), fc.jsonValue({ maxDepth: 1 })),
          kid: fc.oneof(fc.constantFrom(...publishedKeys(ring).map((key) => key.kid)), fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 1 })),
          typ: fc.oneof(fc.constantFrom('JWT', 'at+jwt', 'application/at+jwt', 'dpop+jwt'), fc.jsonValue({ maxDepth: 1 })),
          crit: fc.oneof(fc.constant(['b64']), fc.array(fc.string({ maxLength: 5 }), { maxLength: 2 }), fc.jsonValue({ maxDepth: 1 })),
          b64: fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 })),
        },
        { requiredKeys: ['alg'] },
      );
      const payload = fc.record(
        {
          iss: fc.oneof(fc.constant(issuer.url), fc.jsonValue({ maxDepth: 1 })),
          aud: fc.oneof(fc.constantFrom('api://ledger', ['api://ledger']), fc.jsonValue({ maxDepth: 2 })),
          exp: fc.oneof(fc.integer(), fc.double(), fc.jsonValue({ maxDepth: 1 })),
          nbf: fc.oneof(fc.integer(), fc.jsonValue({ maxDepth: 1 })),
          iat: fc.oneof(fc.integer(), fc.jsonValue({ maxDepth: 1 })),
          scope: fc.jsonValue({ maxDepth: 2 }),
          extra: fc.jsonValue({ maxDepth: 4 }),
        },
        { requiredKeys: [] },
      );
      const signature = fc.oneof(
        fc.constant('attacker' as const),
        fc.constant('borrowed' as const),
        fc.uint8Array({ minLength: 0, maxLength: 600 }),
      );
      const property = fc.asyncProperty(header, payload, signature, fc.nat(), async (h, p, s, pick) => {
        const input = `${b64text(JSON.stringify(h))}.${b64text(JSON.stringify(p))}`;
        let token: string;
        if (s === 'attacker') token = `${input}.${jwsSignature('ES256', privateKeyOf(ring.attackerEc), input).toString('base64url')}`;
        else if (s === 'borrowed') token = `${input}.${genuine[pick % genuine.length]!.split('.')[2]}`;
        else token = `${input}.${Buffer.from(s).toString('base64url')}`;
        await sound(token);
      });
      await check('random headers and payloads', property, structuredRuns);
    },
    timeoutFor(structuredRuns, 4),
  );

  it('leave no unhandled rejection or uncaught exception behind', () => {
    expect(escapes.escapes).toEqual([]);
  });
});
