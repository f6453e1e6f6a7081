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
import { authenticate, createVerifier, isAuthError, type Verifier, type VerifierOptions } from '../../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../../src/testing/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { createKeyRing, type KeyRing } from '../support.js';
import { mutate, mutationArb, type Mutation } from './mutations.js';
import { check, recordEscapes, runsOf, timeoutFor, within } from './support.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** One change to an encrypted token. */
type JweMutation =
  | { kind: 'byte'; segment: number; at: number; xor: number }
  | { kind: 'char'; at: number; char: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'header'; key: string; value: unknown; remove: boolean }
  | { kind: 'raw-header'; member: string }
  | { kind: 'segments'; how: string }
  | { kind: 'splice'; from: number; segment: number };

const HEADER_KEYS = ['alg', 'enc', 'zip', 'crit', 'kid', 'epk', 'apu', 'apv', 'p2c', 'p2s', 'iv', 'tag', 'cty', 'typ', 'jku', 'jwk', 'x5u', '__proto__'];
const RAW_MEMBERS = [
  '"alg":"RSA1_5"', '"alg":"PBES2-HS512+A256KW","p2c":2147483647,"p2s":"AAAAAAAAAAA"', '"alg":"dir"', '"alg":"A256GCMKW"',
  '"enc":"A128CBC-HS256"', '"enc":"A256GCM"', '"zip":"DEF"', '"crit":["exp"]', '"crit":[]', '"kid":null', '"kid":"test-encryption-aes"',
  '"epk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}', '"epk":{"kty":"OKP","crv":"X25519","x":"AA","d":"AA"}', '"__proto__":{"alg":"dir"}',
];
const SEGMENT_EDITS = ['drop-first', 'drop-last', 'empty-key', 'empty-iv', 'empty-tag', 'swap-iv-tag', 'swap-key-ciphertext', 'extra-dot', 'pad', 'standard-alphabet', 'whitespace', 'upper-case'];

const jweMutationArb: fc.Arbitrary<JweMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('byte' as const), segment: fc.integer({ min: 0, max: 4 }), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), char: fc.constantFrom(...ALPHABET, '.', '=', '+', '/', ' ', 'é', '\u0000') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('header' as const),
      key: fc.oneof(fc.constantFrom(...HEADER_KEYS), fc.string({ maxLength: 6 })),
      value: fc.jsonValue({ maxDepth: 2 }),
      remove: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('raw-header' as const), member: fc.constantFrom(...RAW_MEMBERS) }),
  fc.record({ kind: fc.constant('segments' as const), how: fc.constantFrom(...SEGMENT_EDITS) }),
  fc.record({ kind: fc.constant('splice' as const), from: fc.nat(), segment: fc.integer({ min: 0, max: 4 }) }),
);

let issuer: TestIssuer;
let ring: KeyRing;
let genuine: string[];
let options: VerifierOptions;
let cached: Verifier;
let uncached: Verifier;
const escapes = recordEscapes();

function decodeHeader(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function applyJwe(token: string, mutation: JweMutation): string {
  const parts = token.split('.');
  switch (mutation.kind) {
    case 'byte': {
      const bytes = Buffer.from(parts[mutation.segment] ?? '', 'base64url');
      if (bytes.length === 0) return token;
      bytes[mutation.at % bytes.length]! ^= mutation.xor;
      parts[mutation.segment] = bytes.toString('base64url');
      return parts.join('.');
    }
    case 'char': {
      const at = mutation.at % token.length;
      return token.slice(0, at) + mutation.char + token.slice(at + 1);
    }
    case 'insert': {
      const at = mutation.at % (token.length + 1);
      return token.slice(0, at) + mutation.text + token.slice(at);
    }
    case 'truncate':
      return token.slice(0, mutation.at % token.length);
    case 'header': {
      const header = decodeHeader(parts[0]!);
      if (header === undefined) return token;
      if (mutation.remove) delete header[mutation.key];
      else Object.defineProperty(header, mutation.key, { value: mutation.value, enumerable: true, configurable: true, writable: true });
      parts[0] = Buffer.from(JSON.stringify(header)).toString('base64url');
      return parts.join('.');
    }
    case 'raw-header': {
      const text = Buffer.from(parts[0]!, 'base64url').toString('utf8');
      parts[0] = Buffer.from(`${text.slice(0, -1)},${mutation.member}}`).toString('base64url');
      return parts.join('.');
    }
    case 'splice':
      if (parts.length <= mutation.segment) return token;
      parts[mutation.segment] = genuine[mutation.from % genuine.length]!.split('.')[mutation.segment]!;
      return parts.join('.');
    case 'segments':
      return editSegments(token, parts, mutation.how);
  }
}

function editSegments(token: string, parts: string[], how: string): string {
  const [header, key, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  switch (how) {
    case 'drop-first':
      return parts.slice(1).join('.');
    case 'drop-last':
      return parts.slice(0, 4).join('.');
    case 'empty-key':
      return [header, '', iv, ciphertext, tag].join('.');
    case 'empty-iv':
      return [header, key, '', ciphertext, tag].join('.');
    case 'empty-tag':
      return [header, key, iv, ciphertext, ''].join('.');
    case 'swap-iv-tag':
      return [header, key, tag, ciphertext, iv].join('.');
    case 'swap-key-ciphertext':
      return [header, ciphertext, iv, key, tag].join('.');
    case 'extra-dot':
      return `${token}.`;
    case 'pad':
      return `${token}==`;
    case 'standard-alphabet':
      return `${token.replace(/-/g, '+').replace(/_/g, '/')}/`;
    case 'whitespace':
      return ` ${token}`;
    default:
      return token.toUpperCase();
  }
}

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

/** `ok`, or `401 <reason>`; asserts the oracles that hold for every answer. */
async function judge(verifier: Verifier, token: string): Promise<string> {
  try {
    const auth = await within(verifier.verify(token), 3000, 'verify');
    expect(auth.token).toBe(token);
    return 'ok';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    expect(error.status).toBe(401);
    for (const segment of token.split('.')) if (segment.length >= 16) expect(error.message.includes(segment)).toBe(false);
    return `${error.status} ${error.reason}`;
  }
}

/** Both verifiers agree; the token is accepted exactly when `accepted`. */
async function sound(token: string, accepted: boolean): Promise<void> {
  const [withCache, withoutCache] = [await judge(cached, token), await judge(uncached, token)];
  expect(withCache).toBe(withoutCache);
  expect(withoutCache === 'ok').toBe(accepted);
}

describe('fuzzed encrypted tokens', () => {
  const mutationRuns = runsOf(500);
  it(
    'accept only unmodified genuine JWEs under byte, character, header, segment and encoding mutations',
    async () => {
      const property = fc.asyncProperty(fc.nat(), fc.array(jweMutationArb, { minLength: 1, maxLength: 3 }), async (pick, mutations) => {
        const token = mutations.reduce((current, mutation) => applyJwe(current, mutation), genuine[pick % genuine.length]!);
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
          const token = mutations.reduce((current, mutation) => applyJwe(current, mutation), genuine[pick % genuine.length]!);
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
