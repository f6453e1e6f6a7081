/**
 * Differential test against jose, the reference implementation: the catalogue corpus and a fuzzed corpus
 * (random signed headers and payloads, mutated genuine tokens) go through bearer-guard (`createVerifier`,
 * keys from a local JWKS server) and through `jose.jwtVerify` (`createLocalJWKSet` over the same keys,
 * equivalent options), in the default mode and with `at+jwt` required. Verdicts (accept or reject) must be
 * identical, except in the classes listed in STRICTER, where bearer-guard rejects on purpose what jose
 * accepts; each class must be seen at least once. The clock is frozen on a whole second.
 */
import { generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { createServer } from 'node:http';
import fc from 'fast-check';
import { createLocalJWKSet, jwtVerify, type JWTVerifyOptions } from 'jose';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, DEFAULTS, isAuthError, type Verifier } from '../../src/index.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import { catalogueCorpus, type CorpusEntry } from './corpus.js';
import { FUZZ_SEED, runsOf } from './fuzz/support.js';
import { mutate, mutationArb } from './fuzz/mutations.js';
import {
  AUDIENCE,
  b64text,
  createKeyRing,
  handMadeRsaKey,
  jwsSignature,
  listen,
  privateKeyOf,
  publishedKeys,
  startSecurityIssuer,
  type KeyRing,
  type TestKey,
} from './support.js';

/** The frozen "now", in whole seconds. */
const NOW = 1_900_000_000;
const TOLERANCE = 60;
const MAX_TOKEN_LENGTH = 16_384;

type Mode = 'default' | 'at+jwt';

/** Forgiving decoding (what jose's base64url decoder accepts), for classifying tokens. */
function loose(segment: string | undefined): Buffer | undefined {
  if (segment === undefined) return undefined;
  return Buffer.from(segment.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''), 'base64');
}

function looseJson(segment: string | undefined): Record<string, unknown> | undefined {
  const bytes = loose(segment);
  if (bytes === undefined) return undefined;
  try {
    const text = bytes.toString('utf8');
    const value: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where bearer-guard is stricter than jose on purpose. A split verdict is explained only by one of these,
 * and only in the direction "bearer-guard rejects, jose accepts".
 */
const STRICTER: readonly { readonly name: string; readonly applies: (token: string, mode: Mode) => boolean }[] = [
  {
    name: 'non-canonical base64url (padding, whitespace, non-zero unused bits)',
    applies: (token) => {
      const parts = token.split('.');
      return parts.length === 3 && parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part) || loose(part)!.toString('base64url') !== part);
    },
  },
  {
    name: 'non-finite NumericDate (exp, nbf or iat written as 1e400)',
    applies: (token) => {
      const payload = looseJson(token.split('.')[1]);
      return ['exp', 'nbf', 'iat'].some((name) => typeof payload?.[name] === 'number' && !Number.isFinite(payload[name]));
    },
  },
  {
    name: 'iat in the future beyond the clock tolerance',
    applies: (token) => {
      const iat = looseJson(token.split('.')[1])?.iat;
      return typeof iat === 'number' && iat > NOW + TOLERANCE;
    },
  },
  {
    name: 'typ other than JWT or at+jwt when at+jwt is not required',
    applies: (token, mode) => {
      if (mode !== 'default') return false;
      const typ = looseJson(token.split('.')[0])?.typ;
      if (typ === undefined) return false;
      if (typeof typ !== 'string') return true;
      const lower = typ.toLowerCase();
      const type = lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
      return type !== 'jwt' && type !== 'at+jwt';
    },
  },
  {
    name: 'sender-constrained token (cnf claim) presented as a Bearer token',
    applies: (token) => {
      const payload = looseJson(token.split('.')[1]);
      return payload !== undefined && Object.hasOwn(payload, 'cnf');
    },
  },
  {
    name: 'RSA signature shorter than the modulus (a leading zero byte dropped)',
    applies: (token) => {
      const [header, , signature] = token.split('.');
      const alg = looseJson(header)?.alg;
      return typeof alg === 'string' && /^(RS|PS)/.test(alg) && (loose(signature)?.length ?? 0) < 256;
    },
  },
  {
    name: 'token longer than maxTokenLength',
    applies: (token) => token.length > MAX_TOKEN_LENGTH,
  },
  {
    name: 'byte order mark before the header or payload JSON',
    applies: (token) => token.split('.').slice(0, 2).some((part) => loose(part)?.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) === true),
  },
];

let ring: KeyRing;
let issuer: IssuerServer;
const verifiers = {} as Record<Mode, Verifier>;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  ring = await createKeyRing();
  issuer = await startSecurityIssuer(publishedKeys(ring));
  jwks = createLocalJWKSet({ keys: publishedKeys(ring).map((key) => key.jwk) });
});
afterAll(async () => issuer.close());
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
  const options = { issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, clockTolerance: TOLERANCE, cache: false as const };
  verifiers.default = createVerifier(options);
  verifiers['at+jwt'] = createVerifier({ ...options, requiredTokenType: 'at+jwt' });
});
afterEach(() => {
  vi.useRealTimers();
});

function joseOptions(mode: Mode): JWTVerifyOptions {
  return {
    issuer: issuer.url,
    audience: AUDIENCE,
    algorithms: [...DEFAULTS.algorithms],
    clockTolerance: TOLERANCE,
    // at+jwt: RFC 9068 §2.2's claims too (bearer-guard also wants sub, client_id and jti to be strings).
    ...(mode === 'at+jwt' ? { typ: 'at+jwt', requiredClaims: ['exp', 'sub', 'client_id', 'iat', 'jti'] } : { requiredClaims: ['exp'] }),
  };
}

async function bearerGuardAccepts(mode: Mode, token: string): Promise<boolean> {
  try {
    await verifiers[mode].verify(token);
    return true;
  } catch (error) {
    if (!isAuthError(error) || error.status !== 401) throw error;
    return false;
  }
}

async function joseAccepts(mode: Mode, token: string, keySet = jwks): Promise<boolean> {
  try {
    await jwtVerify(token, keySet, joseOptions(mode));
    return true;
  } catch {
    return false;
  }
}

interface Split {
  readonly name: string;
  readonly mode: Mode;
  readonly bearerGuard: boolean;
  readonly jose: boolean;
}

/** Runs `entries` through both; returns the unexplained splits and the stricter classes seen. */
async function compare(
  entries: readonly CorpusEntry[],
): Promise<{ unexplained: Split[]; seen: Set<string>; explained: string[]; agreed: number }> {
  const unexplained: Split[] = [];
  const seen = new Set<string>();
  const explained: string[] = [];
  let agreed = 0;
  for (const { name, token } of entries) {
    for (const mode of ['default', 'at+jwt'] as const) {
      const [mine, theirs] = [await bearerGuardAccepts(mode, token), await joseAccepts(mode, token)];
      if (mine === theirs) {
        agreed += 1;
        continue;
      }
      const stricter = !mine && theirs ? STRICTER.find((entry) => entry.applies(token, mode)) : undefined;
      if (stricter === undefined) unexplained.push({ name, mode, bearerGuard: mine, jose: theirs });
      else {
        seen.add(stricter.name);
        explained.push(`${mode}: ${name}`);
      }
    }
  }
  return { unexplained, seen, explained, agreed };
}

/** Random signed tokens: headers and claims of every shape, signed by a published key over their exact text. */
function signedCorpus(count: number): CorpusEntry[] {
  const published = publishedKeys(ring);
  const time = fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: -200, max: 200 }).map((delta) => `${NOW + delta}`) },
    { weight: 1, arbitrary: fc.double({ min: -90, max: 90, noNaN: true }).map((delta) => `${NOW + delta}`) },
    { weight: 1, arbitrary: fc.constantFrom('1e400', '-1e400', '"1900000000"', 'null', 'true', '[]', '{}', '0', '-1', '1e300', `${NOW + 86_400}`) },
  );
  const future = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 3600 }).map((delta) => `${NOW + delta}`) }, { weight: 2, arbitrary: time });
  /** `arb` one time in `odds`, otherwise undefined. */
  const sometimes = <T>(arb: fc.Arbitrary<T>, odds: number): fc.Arbitrary<T | undefined> =>
    fc.oneof({ weight: odds - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
  const recipe = fc.record({
    key: fc.nat({ max: published.length - 1 }),
    alg: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.constantFrom(...DEFAULTS.algorithms, 'none', 'HS256', 'RS256 ', 'Ed448') }),
    kid: fc.oneof({ weight: 6, arbitrary: fc.constant('own') }, { weight: 2, arbitrary: fc.constantFrom('absent', 'other', 'unknown') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }),
    typ: sometimes(fc.oneof({ weight: 4, arbitrary: fc.constantFrom('JWT', 'jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt', 'application/jwt', 'dpop+jwt', 'x') }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) }), 2),
    crit: sometimes(fc.oneof(fc.constant(['b64']), fc.constant([]), fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 }), fc.jsonValue({ maxDepth: 1 })), 10),
    b64: sometimes(fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 0 })), 8),
    exp: fc.oneof({ weight: 12, arbitrary: future }, { weight: 1, arbitrary: fc.constant(undefined) }),
    nbf: sometimes(time, 4),
    iat: sometimes(time, 3),
    iss: fc.oneof({ weight: 6, arbitrary: fc.constant('good') }, { weight: 2, arbitrary: fc.constantFrom('slash', 'upper', 'array', 'number', 'missing') }),
    aud: fc.oneof({ weight: 6, arbitrary: fc.constant('good') }, { weight: 2, arbitrary: fc.constantFrom('array-with', 'array-without', 'empty-array', 'other', 'missing', 'null', 'nested') }),
    extra: sometimes(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }), 2),
    duplicate: sometimes(fc.constantFrom('alg none last', 'exp past last', 'aud other last', 'iss evil first', 'kid unknown last'), 8),
  });
  const fits = (key: TestKey, alg: string): boolean => {
    if (key.jwk.kty === 'RSA') return /^(RS|PS)\d{3}$/.test(alg);
    if (key.jwk.kty === 'EC') return { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[key.jwk.crv ?? ''] === alg;
    return alg === 'EdDSA' || alg === 'Ed25519';
  };
  return fc.sample(recipe, { seed: FUZZ_SEED, numRuns: count }).map((r, index) => {
    const key = published[r.key]!;
    const alg = r.alg ?? key.alg;
    const header: Record<string, unknown> = { alg };
    if (r.kid === 'own') header.kid = key.kid;
    else if (r.kid === 'other') header.kid = published[(r.key + 1) % published.length]!.kid;
    else if (r.kid === 'unknown') header.kid = `unknown-${index}`;
    else if (r.kid !== 'absent') header.kid = r.kid;
    if (r.typ !== undefined) header.typ = r.typ;
    if (r.crit !== undefined) header.crit = r.crit;
    if (r.b64 !== undefined) header.b64 = r.b64;
    let headerText = JSON.stringify(header);
    const members: string[] = [];
    const iss = { good: issuer.url, slash: `${issuer.url}/`, upper: issuer.url.toUpperCase(), array: [issuer.url], number: 7, missing: undefined }[r.iss];
    if (iss !== undefined) members.push(`"iss":${JSON.stringify(iss)}`);
    const aud = {
      good: AUDIENCE, 'array-with': ['x', AUDIENCE], 'array-without': ['x'], 'empty-array': [], other: 'api://other', missing: undefined, null: null, nested: [[AUDIENCE]],
    }[r.aud];
    if (aud !== undefined) members.push(`"aud":${JSON.stringify(aud)}`);
    if (r.exp !== undefined) members.push(`"exp":${r.exp}`);
    if (r.nbf !== undefined) members.push(`"nbf":${r.nbf}`);
    if (r.iat !== undefined) members.push(`"iat":${r.iat}`);
    for (const [name, value] of Object.entries(r.extra ?? {})) members.push(`${JSON.stringify(name)}:${JSON.stringify(value)}`);
    switch (r.duplicate) {
      case 'alg none last': headerText = `${headerText.slice(0, -1)},"alg":"none"}`; break;
      case 'kid unknown last': headerText = `${headerText.slice(0, -1)},"kid":"nobody"}`; break;
      case 'exp past last': members.push(`"exp":${NOW - 3600}`); break;
      case 'aud other last': members.push('"aud":"api://other"'); break;
      case 'iss evil first': members.unshift('"iss":"https://evil.example"'); break;
      default: break;
    }
    const input = `${b64text(headerText)}.${b64text(`{${members.join(',')}}`)}`;
    const signAlg = typeof alg === 'string' && fits(key, alg) ? alg : key.alg;
    const token = `${input}.${jwsSignature(signAlg, privateKeyOf(key), input).toString('base64url')}`;
    return { name: `signed #${index} ${JSON.stringify(r)}`, token };
  });
}

/** Mutations of genuine tokens (most are garbage to both; some stay genuine). */
function mutatedCorpus(count: number, seedTokens: readonly string[]): CorpusEntry[] {
  const arb = fc.tuple(fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 2 }));
  return fc.sample(arb, { seed: FUZZ_SEED + 1, numRuns: count }).map(([pick, mutations], index) => ({
    name: `mutated #${index} ${JSON.stringify(mutations)}`,
    token: mutations.reduce((token, mutation) => mutate(ring, token, mutation), seedTokens[pick % seedTokens.length]!),
  }));
}

describe('bearer-guard and jose', () => {
  it('agree on every catalogue token outside the classes where bearer-guard is stricter on purpose', async () => {
    const corpus = catalogueCorpus(issuer, ring, NOW);
    const { unexplained, seen, explained, agreed } = await compare(corpus);
    expect(unexplained).toEqual([]);
    expect(agreed).toBeGreaterThan(corpus.length);
    // Every stricter class is demonstrated by the catalogue itself, by exactly these rows.
    expect([...seen].sort()).toEqual(STRICTER.map((entry) => entry.name).sort());
    expect(explained.sort()).toEqual([
      'default: CL exp 1e400',
      'default: CL iat 1e400',
      'default: CL iat now + 61',
      'default: CL iat now + 86400',
      'default: HD-06 typ 1',
      'default: HD-06 typ application/application/at+jwt',
      'default: HD-06 typ dpop+jwt',
      'default: HD-06 typ logout+jwt',
      'default: RX-01 genuine token over 16384 characters',
      'default: SC-01 cnf.jkt',
      'default: SC-06 cnf.x5t#S256',
      'default: SG-03 PS256 signature without its leading zero byte',
      'default: SG-05 "=" padding on the signature',
      'default: SG-05 space inside the signature',
      'default: SG-05 unused bits set in the signature',
      'default: strict JSON: BOM before the header',
      'default: strict JSON: BOM before the payload',
    ]);
  });

  it('agree on a fuzzed corpus of signed random tokens and mutated genuine tokens', async () => {
    const genuineTokens = catalogueCorpus(issuer, ring, NOW).filter((entry) => entry.name.startsWith('genuine ')).map((entry) => entry.token);
    const corpus = [...signedCorpus(runsOf(400, 0.1)), ...mutatedCorpus(runsOf(200, 0.05), genuineTokens)];
    const { unexplained, agreed } = await compare(corpus);
    expect(unexplained).toEqual([]);
    expect(agreed).toBeGreaterThan(corpus.length);
  }, 60_000);

  it('agree on the same genuine tokens whatever the mode, except for typ', async () => {
    for (const key of publishedKeys(ring)) {
      const token = catalogueCorpus(issuer, ring, NOW).find((entry) => entry.name === `genuine ${key.alg}`)!.token;
      expect([await bearerGuardAccepts('default', token), await joseAccepts('default', token)]).toEqual([true, true]);
      expect([await bearerGuardAccepts('at+jwt', token), await joseAccepts('at+jwt', token)]).toEqual([false, false]);
    }
  });
});

describe('known splits outside the stricter classes (bearer-guard accepts, jose rejects)', () => {
  it('accepts an EdDSA token signed with an Ed448 key, an algorithm jose 6 does not implement', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed448');
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'ed448', alg: 'EdDSA', use: 'sig' };
    const server = await startSecurityIssuer([]);
    try {
      server.keys = [jwk];
      const input = `${b64text(JSON.stringify({ alg: 'EdDSA', kid: 'ed448' }))}.${b64text(JSON.stringify(claimsAt(server.url)))}`;
      const token = `${input}.${cryptoSign(null, Buffer.from(input), privateKey).toString('base64url')}`;
      const verifier = createVerifier({ issuer: server.url, audience: AUDIENCE, jwksUri: server.jwksUri });
      expect(await verifier.verify(token)).toBeDefined();
      const theirs = await jwtVerify(token, createLocalJWKSet({ keys: [jwk] }), { issuer: server.url, audience: AUDIENCE }).then(
        () => 'accepted',
        (error: unknown) => (error as { code?: string }).code,
      );
      expect(theirs).toBe('ERR_JWKS_NO_MATCHING_KEY');
    } finally {
      await server.close();
    }
  });

  it('judges fractional NumericDates against the millisecond clock, where jose truncates "now" to the second', async () => {
    vi.setSystemTime(NOW * 1000 + 500);
    const strictClock = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, clockTolerance: 0, cache: false });
    const theirs = (token: string): Promise<boolean> =>
      jwtVerify(token, jwks, { issuer: issuer.url, audience: AUDIENCE, clockTolerance: 0 }).then(() => true, () => false);
    const mine = (token: string): Promise<boolean> => strictClock.verify(token).then(() => true, () => false);
    const nbfPassed = signed(ring.es256, issuer.url, { nbf: NOW + 0.3 });
    const expPassed = signed(ring.es256, issuer.url, { exp: NOW + 0.3 });
    expect([await mine(nbfPassed), await theirs(nbfPassed)]).toEqual([true, false]);
    expect([await mine(expPassed), await theirs(expPassed)]).toEqual([false, true]);
  });
});

describe('key sets', () => {
  let documents: Map<string, string>;
  let server: { url: string; close: () => Promise<void> };
  beforeAll(async () => {
    documents = new Map();
    server = await listen(createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(documents.get(req.url ?? '') ?? '{}');
    }));
  });
  afterAll(async () => server.close());

  /** Both verdicts for one JWK Set and one token. */
  async function both(name: string, keys: unknown[], token: string): Promise<{ name: string; bearerGuard: string; jose: boolean }> {
    const path = `/jwks/${documents.size}`;
    documents.set(path, JSON.stringify({ keys }));
    const verifier = createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: `${server.url}${path}`, clockTolerance: TOLERANCE, cache: false });
    const mine = await verifier.verify(token).then(
      () => 'ok',
      (error: unknown) => (isAuthError(error) ? `${error.status}` : 'thrown'),
    );
    let theirs: boolean;
    try {
      theirs = await joseAccepts('default', token, createLocalJWKSet({ keys } as never));
    } catch {
      theirs = false; // jose refuses the whole set when it is created
    }
    return { name, bearerGuard: mine, jose: theirs };
  }

  it('agree on the catalogue key sets, apart from the documented differences', async () => {
    const token = signed(ring.rs256, issuer.url);
    const noKid = signed(ring.rs256, issuer.url, {}, false);
    const big = handMadeRsaKey(16_400);
    const bigInput = `${b64text(JSON.stringify({ alg: 'RS256', kid: 'huge' }))}.${b64text(JSON.stringify(claimsAt(issuer.url)))}`;
    const { kid: _kid, ...withoutKid } = ring.rs256.jwk;
    const results = await Promise.all([
      both('the key itself', [ring.rs256.jwk], token),
      both('use enc', [{ ...ring.rs256.jwk, use: 'enc' }], token),
      both('key_ops encrypt', [{ ...ring.rs256.jwk, key_ops: ['encrypt'] }], token),
      both('key_ops verify and encrypt', [{ ...ring.rs256.jwk, key_ops: ['verify', 'encrypt'] }], token),
      both('key_ops sign and verify', [{ ...ring.rs256.jwk, key_ops: ['sign', 'verify'] }], token),
      both('key_ops verify', [{ ...ring.rs256.jwk, key_ops: ['verify'] }], token),
      both('alg PS256 on the key', [{ ...ring.rs256.jwk, alg: 'PS256' }], token),
      both('no alg on the key', [{ ...ring.rs256.jwk, alg: undefined }], token),
      both('duplicate kid, different keys', [ring.rs256.jwk, { ...ring.attacker.jwk, kid: ring.rs256.kid }], token),
      both('token without kid, two fitting keys', [ring.rs256.jwk, ring.attacker.jwk], noKid),
      both('key without kid, token with kid', [withoutKid], token),
      both('key without kid, token without kid', [withoutKid], noKid),
      both('oct member under the kid', [{ kty: 'oct', k: 'c2VjcmV0', kid: ring.rs256.kid }], token),
      both('RSA key above 16384 bits', [{ ...big.jwk, kid: 'huge', alg: 'RS256' }], `${bigInput}.${big.signRs256(bigInput).toString('base64url')}`),
    ]);
    const differences = results.filter((result) => (result.bearerGuard === 'ok') !== result.jose);
    expect(differences).toEqual([]);
  });

  it('differ where bearer-guard is more tolerant of set quirks or validates a key issuer, as documented', async () => {
    const token = signed(ring.rs256, issuer.url);
    const noKid = signed(ring.rs256, issuer.url, {}, false);
    const results = await Promise.all([
      both('the same member listed twice', [ring.rs256.jwk, ring.rs256.jwk], token),
      both('a member that is not an object', [null, ring.rs256.jwk], token),
      both('key_ops with a repeated value', [{ ...ring.rs256.jwk, key_ops: ['verify', 'verify'] }], token),
      both('ext that is not a boolean', [{ ...ring.rs256.jwk, ext: 'yes' }], token),
      both('a member kid that is not a string', [{ ...ring.rs256.jwk, kid: 7 }], noKid),
      both('a key issuer other than the token issuer', [{ ...ring.rs256.jwk, issuer: 'https://other.example' }], token),
    ]);
    expect(results.map((result) => `${result.name}: bearer-guard ${result.bearerGuard}, jose ${result.jose ? 'ok' : 'rejects'}`)).toEqual([
      'the same member listed twice: bearer-guard ok, jose rejects',
      'a member that is not an object: bearer-guard ok, jose rejects',
      'key_ops with a repeated value: bearer-guard ok, jose rejects',
      'ext that is not a boolean: bearer-guard ok, jose rejects',
      'a member kid that is not a string: bearer-guard 503, jose ok',
      'a key issuer other than the token issuer: bearer-guard 401, jose ok',
    ]);
  });
});

function claimsAt(iss: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { iss, aud: AUDIENCE, sub: 'svc', iat: NOW, exp: NOW + 300, ...extra };
}

/** A genuine token of `key` for `iss` at {@link NOW}, with or without its kid. */
function signed(key: TestKey, iss: string, extra: Record<string, unknown> = {}, withKid = true): string {
  const header = { alg: key.alg, ...(withKid ? { kid: key.kid } : {}) };
  const input = `${b64text(JSON.stringify(header))}.${b64text(JSON.stringify(claimsAt(iss, extra)))}`;
  return `${input}.${jwsSignature(key.alg, privateKeyOf(key), input).toString('base64url')}`;
}
