/**
 * Property-based fuzzing of the key set: each run serves a random JWK Set document over real HTTP at a URL
 * of its own (so a fresh key store): random JSON, sets of genuine, mutated, private, symmetric, duplicated
 * and random members, and non-JSON bodies. A genuine token is then verified against it.
 * Oracles: the token is accepted only when the set holds the public parameters of the key that signed it;
 * every other answer is a 401 or a 503 bearer-guard error (never anything else thrown); answers come within
 * a time bound; nothing escapes as an unhandled rejection.
 */
import { createServer } from 'node:http';
import fc from 'fast-check';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError } from '../../../src/index.js';
import { AUDIENCE, createKeyRing, listen, nowSeconds, signToken, type KeyRing, type TestKey } from '../support.js';
import { check, recordEscapes, runsOf, timeoutFor, within } from './support.js';

const ISSUER = 'https://issuer.example';

let ring: KeyRing;
let signers: TestKey[];
let privateJwk: JWK;
let server: { url: string; close: () => Promise<void> };
let body: string = '{}';
let run = 0;
const escapes = recordEscapes();

beforeAll(async () => {
  ring = await createKeyRing();
  signers = [ring.rs256, ring.ps256, ring.es256, ring.es384, ring.es512, ring.eddsa];
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateJwk = { ...(await exportJWK(pair.privateKey)), kid: 'private', alg: 'ES256' };
  server = await listen(
    createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    }),
  );
});
afterAll(async () => {
  escapes.uninstall();
  await server.close();
});

/** True when `member` carries the public parameters of `signer` (its kty and the parameters that kty has). */
function holds(member: unknown, signer: TestKey): boolean {
  if (typeof member !== 'object' || member === null) return false;
  const jwk = member as Record<string, unknown>;
  const own = signer.jwk as Record<string, unknown>;
  const names = own.kty === 'RSA' ? ['kty', 'n', 'e'] : own.kty === 'EC' ? ['kty', 'crv', 'x', 'y'] : ['kty', 'crv', 'x'];
  return names.every((name) => jwk[name] === own[name]);
}

describe('fuzzed key sets', () => {
  const runs = runsOf(150, 0.25);
  it(
    'verify a genuine token only with the key that signed it, answering 401 or 503 otherwise',
    async () => {
      const signerIndex = fc.nat({ max: 5 });
      const member: fc.Arbitrary<unknown> = fc.oneof(
        { weight: 4, arbitrary: signerIndex.map((i) => signers[i]!.jwk) },
        {
          weight: 3,
          arbitrary: fc
            .tuple(signerIndex, fc.constantFrom('kid', 'alg', 'use', 'key_ops', 'kty', 'crv', 'n', 'e', 'x', 'y', 'd', 'k', 'issuer', 'ext'), fc.jsonValue({ maxDepth: 2 }), fc.boolean())
            .map(([i, key, value, remove]) => {
              const copy: Record<string, unknown> = { ...signers[i]!.jwk };
              if (remove) delete copy[key];
              else copy[key] = value;
              return copy;
            }),
        },
        { weight: 1, arbitrary: fc.constant(ring.attacker.jwk) },
        { weight: 1, arbitrary: fc.constant(privateJwk) },
        { weight: 1, arbitrary: fc.constant({ kty: 'oct', k: 'c2VjcmV0', kid: ring.rs256.kid, alg: 'HS256' }) },
        { weight: 1, arbitrary: signerIndex.map((i) => ({ ...ring.attacker.jwk, kid: signers[i]!.kid })) },
        {
          weight: 2,
          arbitrary: fc.record(
            { kty: fc.constantFrom('RSA', 'EC', 'OKP', 'oct', 'AKP', ''), kid: fc.string({ maxLength: 8 }), crv: fc.constantFrom('P-256', 'Ed25519', 'X25519', 'secp256k1'), x: fc.base64String(), y: fc.base64String(), n: fc.base64String(), e: fc.constantFrom('AQAB', 'Aw', '', 'AAAA') },
            { requiredKeys: [] },
          ),
        },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
      );
      const documentText = fc.oneof(
        { weight: 6, arbitrary: fc.array(member, { maxLength: 6 }).map((keys) => JSON.stringify({ keys })) },
        { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.record({ keys: fc.jsonValue({ maxDepth: 2 }) }).map((value) => JSON.stringify(value)) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      );
      const property = fc.asyncProperty(documentText, signerIndex, fc.boolean(), async (text, i, withKid) => {
        body = text;
        const signer = signers[i]!;
        const now = nowSeconds();
        const token = await signToken(signer, { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600 }, withKid ? {} : { noKid: true });
        const verifier = createVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri: `${server.url}/jwks/${++run}`, cache: false, keys: { timeoutMs: 2000 } });
        let outcome: string;
        try {
          await within(verifier.verify(token), 5000, 'verify');
          outcome = 'ok';
        } catch (error) {
          if (!isAuthError(error)) throw error;
          expect([401, 503]).toContain(error.status);
          outcome = `${error.status}`;
        }
        if (outcome === 'ok') {
          const parsed: unknown = JSON.parse(text);
          const keys = (parsed as { keys: unknown[] }).keys;
          expect(keys.some((key) => holds(key, signer))).toBe(true);
        }
      });
      await check('random key sets', property, runs);
    },
    timeoutFor(runs, 15),
  );

  it('leave no unhandled rejection or uncaught exception behind', () => {
    expect(escapes.escapes).toEqual([]);
  });
});
