/**
 * Fixtures of the security suites: a key ring minted at start-up, raw JWS signing (for headers and payloads
 * that a JWT library refuses to produce: duplicate members, `1e400`, odd `alg`/`kid`/`crit`), issuer
 * servers under unique paths, and a verdict helper that turns a verification into `ok` or `<status> <reason>`.
 */
import { constants, createHash, generatePrimeSync, KeyObject, sign as cryptoSign } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { createVerifier, isAuthError, type Verifier, type VerifierOptions } from '../../src/index.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, type TestKey } from '../helpers/keys.js';

export { b64url, rawToken, signToken, type TestKey } from '../helpers/keys.js';

/** The audience every security suite configures. */
export const AUDIENCE = 'api://ledger';

/** The keys of the security suites: the issuer's published keys and an attacker's. */
export interface KeyRing {
  readonly rs256: TestKey;
  readonly ps256: TestKey;
  readonly es256: TestKey;
  readonly es384: TestKey;
  readonly es512: TestKey;
  readonly eddsa: TestKey;
  /** A key nobody publishes. */
  readonly attacker: TestKey;
  /** A second attacker key, EC. */
  readonly attackerEc: TestKey;
}

/** Generates the key ring (a few hundred milliseconds). */
export async function createKeyRing(): Promise<KeyRing> {
  const [rs256, ps256, es256, es384, es512, eddsa, attacker, attackerEc] = await Promise.all([
    createTestKey('RS256'),
    createTestKey('PS256'),
    createTestKey('ES256'),
    createTestKey('ES384'),
    createTestKey('ES512'),
    createTestKey('EdDSA', { crv: 'Ed25519' }),
    createTestKey('RS256'),
    createTestKey('ES256'),
  ]);
  return { rs256, ps256, es256, es384, es512, eddsa, attacker, attackerEc };
}

/** The published (public) keys of a ring, as the issuer's JWK Set lists them. */
export function publishedKeys(ring: KeyRing): TestKey[] {
  return [ring.rs256, ring.ps256, ring.es256, ring.es384, ring.es512, ring.eddsa];
}

/**
 * Registers a suite's hooks: before all tests, a fresh key ring and an issuer publishing its keys, handed to
 * `receive`; after all tests, the issuer closed.
 */
export function useSecurityIssuer(receive: (suite: { ring: KeyRing; issuer: IssuerServer }) => void): void {
  let issuer: IssuerServer | undefined;
  beforeAll(async () => {
    const ring = await createKeyRing();
    issuer = await startSecurityIssuer(publishedKeys(ring));
    receive({ ring, issuer });
  });
  afterAll(async () => issuer?.close());
}

let unique = 0;

/**
 * An issuer server under a path of its own. Key stores are shared process-wide by URL and the OS may reuse
 * a port, so a unique path keeps each suite's stores apart.
 */
export function startSecurityIssuer(keys: readonly TestKey[]): Promise<IssuerServer> {
  return startIssuerServer({ keys: keys.map((key) => key.jwk), path: `/security-${process.pid}-${++unique}` });
}

/** A verifier of `issuer` reading keys straight from its JWKS URI, without the verified-token cache. */
export function verifierOf(issuer: IssuerServer, options: Partial<VerifierOptions> = {}): Verifier {
  return createVerifier({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri, cache: false, ...options });
}

/** `ok`, or `<status> <reason>` for a bearer-guard error. Anything else is a bug and is rethrown. */
export async function verdict(verifier: Verifier, token: string): Promise<string> {
  try {
    await verifier.verify(token);
    return 'ok';
  } catch (error) {
    if (!isAuthError(error)) throw error;
    return `${error.status} ${error.reason}`;
  }
}

/** Seconds since the epoch, now. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** Claims that pass every check of {@link verifierOf} for `issuer` (exp in 5 minutes). */
export function goodClaims(issuer: IssuerServer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = nowSeconds();
  return { iss: issuer.url, aud: AUDIENCE, sub: 'svc-payments', client_id: 'payments', iat: now, exp: now + 300, ...extra };
}

/** base64url of raw text (the exact bytes given, unlike JSON.stringify). */
export function b64text(text: string | Buffer): string {
  return Buffer.from(text).toString('base64url');
}

/** The private key of a test key as a Node `KeyObject`. */
export function privateKeyOf(key: TestKey): KeyObject {
  return KeyObject.from(key.privateKey);
}

const HASHES: Record<string, string | null> = {
  RS256: 'sha256', RS384: 'sha384', RS512: 'sha512',
  PS256: 'sha256', PS384: 'sha384', PS512: 'sha512',
  ES256: 'sha256', ES384: 'sha384', ES512: 'sha512',
  EdDSA: null, Ed25519: null,
};

/** A JWS signature of `input` with `privateKey` under `alg` (raw `r || s` for ECDSA). */
export function jwsSignature(alg: string, privateKey: KeyObject, input: string | Buffer): Buffer {
  const hash = HASHES[alg];
  if (hash === undefined) throw new Error(`cannot sign ${alg}`);
  const data = Buffer.from(input);
  if (alg.startsWith('ES')) return cryptoSign(hash, data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  if (alg.startsWith('PS')) {
    return cryptoSign(hash, data, {
      key: privateKey,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    });
  }
  return cryptoSign(hash, data, privateKey);
}

/**
 * A compact JWS over the exact header and payload texts, signed with `key` under `alg` (default: the key's
 * own). Encoded segments may be passed instead of texts with `{ encoded: true }`.
 */
export function signRaw(
  header: string,
  payload: string,
  key: TestKey,
  options: { alg?: string; encoded?: boolean } = {},
): string {
  const input = options.encoded === true ? `${header}.${payload}` : `${b64text(header)}.${b64text(payload)}`;
  const signature = jwsSignature(options.alg ?? key.alg, privateKeyOf(key), input);
  return `${input}.${signature.toString('base64url')}`;
}

/** {@link signRaw} with JSON values (a header object and a payload object). */
export function signJson(header: Record<string, unknown>, payload: Record<string, unknown>, key: TestKey, alg?: string): string {
  return signRaw(JSON.stringify(header), JSON.stringify(payload), key, alg === undefined ? {} : { alg });
}

/** Listens on a free loopback port and returns the base URL and a closer that also drops kept-alive sockets. */
export async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The substrings of a token that must never leak: the token itself and each of its segments (16 characters or more). */
export function secretsOf(token: string): string[] {
  const segments = token.split('.').filter((segment) => segment.length >= 16);
  return [token, ...segments];
}

/** An RSA public key built from many primes, with a signer: big moduli without a slow key generation. */
export interface HandMadeRsaKey {
  /** The public JWK (no `kid`, no `alg`). */
  readonly jwk: { kty: 'RSA'; n: string; e: string };
  /** Modulus length in bits. */
  readonly bits: number;
  /** An RS256 (RSASSA-PKCS1-v1_5, SHA-256) signature of `input`. */
  signRs256(input: string): Buffer;
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

function modInverse(value: bigint, modulus: bigint): bigint {
  let [r0, r1] = [((value % modulus) + modulus) % modulus, modulus];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('not invertible');
  return ((s0 % modulus) + modulus) % modulus;
}

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [a, b];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function toBytes(value: bigint, length?: number): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return length === undefined || bytes.length >= length ? bytes : Buffer.concat([Buffer.alloc(length - bytes.length), bytes]);
}

/**
 * A multi-prime RSA key of at least `minBits` bits (primes of `primeBits` bits) and public exponent `e`.
 * Fine for verification tests; worthless as a real key.
 */
export function handMadeRsaKey(minBits: number, options: { e?: bigint; primeBits?: number } = {}): HandMadeRsaKey {
  const e = options.e ?? 65537n;
  const primeBits = options.primeBits ?? 520;
  const primes: bigint[] = [];
  let n = 1n;
  while (n.toString(2).length < minBits) {
    const p = generatePrimeSync(primeBits, { bigint: true });
    if (primes.includes(p) || gcd(e, p - 1n) !== 1n) continue;
    primes.push(p);
    n *= p;
  }
  const size = Math.ceil(n.toString(2).length / 8);
  const digestInfo = Buffer.from('3031300d060960864801650304020105000420', 'hex');
  return {
    jwk: { kty: 'RSA', n: toBytes(n).toString('base64url'), e: toBytes(e).toString('base64url') },
    bits: n.toString(2).length,
    signRs256(input) {
      const t = Buffer.concat([digestInfo, createHash('sha256').update(input).digest()]);
      const em = Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(size - t.length - 3, 0xff), Buffer.from([0]), t]);
      const m = BigInt(`0x${em.toString('hex')}`);
      let s = 0n;
      for (const p of primes) {
        const part = modPow(m, modInverse(e, p - 1n), p);
        const rest = n / p;
        s = (s + part * rest * modInverse(rest, p)) % n;
      }
      return toBytes(s, size);
    },
  };
}
