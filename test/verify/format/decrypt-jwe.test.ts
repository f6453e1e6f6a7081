/**
 * The decryption stage on its own: reading a JWE and judging its header before anything is decrypted
 * (`readJwe`), choosing the keys to try (`selectDecryptionKeys`), and decrypting with jose to the JWS inside
 * (`createJweDecryptor`), each refusal with its precise reason. Tokens are encrypted with jose.
 */
import { createSecretKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { CompactEncrypt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createJweDecryptor, MAX_DECRYPTION_ATTEMPTS, selectDecryptionKeys } from '../../../src/verify/format/decrypt-jwe.js';
import { resolveDecryption } from '../../../src/verify/format/decryption-options.js';
import { readJwe } from '../../../src/verify/format/read-jwe.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

const JWS = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2lkLmV4YW1wbGUuY29tLyJ9.c2lnbmF0dXJl';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const aes = createSecretKey(randomBytes(32));
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const decryption = resolveDecryption({
  keys: [
    { ...rsa.privateKey.export({ format: 'jwk' }), kid: 'rsa-current' },
    rsa.privateKey,
    p256.privateKey,
    { ...aes.export({ format: 'jwk' }), kid: 'aes' },
  ],
  keyManagementAlgorithms: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A256KW', 'A256KW', 'dir'],
})!;

async function encrypt(text: string, key: KeyObject, header: Record<string, unknown>): Promise<string> {
  const material = key.type === 'secret' ? key.export() : key;
  return new CompactEncrypt(new TextEncoder().encode(text)).setProtectedHeader(header as { alg: string; enc: string }).encrypt(material);
}

/** The reason a call refuses with; fails when it does not refuse. */
async function reasonOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** `jwe` with its protected header replaced (the content is not re-encrypted). */
function withHeader(jwe: string, header: Record<string, unknown>): string {
  return [b64(header), ...jwe.split('.').slice(1)].join('.');
}

describe('readJwe', () => {
  it('reads alg, enc, kid and the ephemeral key curve of a well-formed JWE', async () => {
    const token = await encrypt(JWS, p256.publicKey, { alg: 'ECDH-ES', enc: 'A256GCM', kid: 'ec' });
    expect(readJwe(token, decryption)).toEqual({ alg: 'ECDH-ES', enc: 'A256GCM', kind: 'ecdh-es', kid: 'ec', epkCurve: 'P-256' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['RSA1_5', { alg: 'RSA1_5', enc: 'A256CBC-HS512' }, 'encryption_algorithm_not_allowed'],
    ['PBES2 with a huge count', { alg: 'PBES2-HS256+A128KW', enc: 'A128GCM', p2c: 2 ** 31 - 1, p2s: 'c2FsdHNhbHQ' }, 'encryption_algorithm_not_allowed'],
    ['A256GCMKW, not listed', { alg: 'A256GCMKW', enc: 'A256GCM', iv: 'AAAAAAAAAAAAAAAA', tag: 'AAAAAAAAAAAAAAAAAAAAAA' }, 'encryption_algorithm_not_allowed'],
    ['alg none', { alg: 'none', enc: 'A256GCM' }, 'encryption_algorithm_not_allowed'],
    ['alg not a string', { alg: ['RSA-OAEP'], enc: 'A256GCM' }, 'encryption_header_invalid'],
    ['enc unknown', { alg: 'RSA-OAEP', enc: 'A256CTR' }, 'content_encryption_not_allowed'],
    ['enc missing', { alg: 'RSA-OAEP' }, 'encryption_header_invalid'],
    ['zip DEF', { alg: 'RSA-OAEP', enc: 'A256GCM', zip: 'DEF' }, 'compression_not_allowed'],
    ['zip of any value', { alg: 'RSA-OAEP', enc: 'A256GCM', zip: null }, 'compression_not_allowed'],
    ['an unknown crit', { alg: 'RSA-OAEP', enc: 'A256GCM', crit: ['exp'], exp: 1 }, 'encryption_header_invalid'],
    ['an empty crit', { alg: 'RSA-OAEP', enc: 'A256GCM', crit: [] }, 'encryption_header_invalid'],
    ['a numeric kid', { alg: 'RSA-OAEP', enc: 'A256GCM', kid: 7 }, 'encryption_header_invalid'],
  ])('refuses %s before decrypting', async (_case, header, reason) => {
    const token = withHeader(await encrypt(JWS, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A256GCM' }), header);
    expect(await reasonOf(() => readJwe(token, decryption))).toBe(reason);
  });

  it.each<[string, Record<string, unknown>]>([
    ['missing', {}],
    ['with a private member', { epk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' } }],
    ['an RSA key', { epk: { kty: 'RSA', n: 'AA', e: 'AQAB' } }],
    ['on an unsupported curve', { epk: { kty: 'EC', crv: 'secp256k1', x: 'AA', y: 'AA' } }],
    ['without y', { epk: { kty: 'EC', crv: 'P-256', x: 'AA' } }],
    ['with apu not a string', { epk: { kty: 'OKP', crv: 'X25519', x: 'AA' }, apu: 1 }],
    ['with key_ops (handed on to WebCrypto by jose)', { epk: { kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', key_ops: 'derive' } }],
    ['with ext', { epk: { kty: 'OKP', crv: 'X25519', x: 'AA', ext: 1 } }],
  ])('refuses an ECDH-ES epk %s as encryption_header_invalid', async (_case, members) => {
    const genuine = await encrypt(JWS, p256.publicKey, { alg: 'ECDH-ES', enc: 'A256GCM' });
    const token = withHeader(genuine, { alg: 'ECDH-ES', enc: 'A256GCM', ...members });
    expect(await reasonOf(() => readJwe(token, decryption))).toBe('encryption_header_invalid');
  });

  it.each<[string, (token: string) => string]>([
    ['six segments', (token) => `${token}.AAAA`],
    ['an empty IV', (token) => token.split('.').map((s, i) => (i === 2 ? '' : s)).join('.')],
    ['a padded segment', (token) => `${token}==`],
    ['a non-canonical tag (stray bits)', (token) => token.replace(/.$/, (c) => (c === 'B' ? 'C' : 'B'))],
    ['a header that is not JSON', (token) => [Buffer.from('{"alg":').toString('base64url'), ...token.split('.').slice(1)].join('.')],
    ['an encrypted key removed', (token) => token.split('.').map((s, i) => (i === 1 ? '' : s)).join('.')],
  ])('refuses %s as token_malformed', async (_case, change) => {
    const token = change(await encrypt(JWS, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A128GCM' }));
    expect(await reasonOf(() => readJwe(token, decryption))).toBe('token_malformed');
  });

  it('refuses an encrypted key where dir or ECDH-ES takes none, as token_malformed', async () => {
    const direct = await encrypt(JWS, aes, { alg: 'dir', enc: 'A256GCM' });
    const parts = direct.split('.');
    parts[1] = 'AAAA';
    expect(await reasonOf(() => readJwe(parts.join('.'), decryption))).toBe('token_malformed');
  });
});

describe('selectDecryptionKeys', () => {
  const read = (alg: string, enc: string, kid?: string, epkCurve?: string) =>
    ({ alg, enc, kind: alg === 'dir' ? 'dir' : alg.startsWith('ECDH') ? 'ecdh-es' : alg.startsWith('RSA') ? 'rsa-oaep' : 'aes-kw', kid, epkCurve }) as const;

  it('takes the key a kid names, else the keys without a kid, else every key of the right kind', () => {
    expect(selectDecryptionKeys(read('RSA-OAEP', 'A256GCM', 'rsa-current'), decryption.keys)).toEqual([decryption.keys[0]]);
    expect(selectDecryptionKeys(read('RSA-OAEP', 'A256GCM', 'rotated-away'), decryption.keys)).toEqual([decryption.keys[1]]);
    expect(selectDecryptionKeys(read('RSA-OAEP', 'A256GCM'), decryption.keys)).toEqual([decryption.keys[0], decryption.keys[1]]);
    expect(selectDecryptionKeys(read('A256KW', 'A256GCM', 'nobody'), decryption.keys)).toEqual([]);
  });

  it('matches an ECDH-ES key by the curve of the ephemeral key, and a dir key by the content key size', () => {
    expect(selectDecryptionKeys(read('ECDH-ES', 'A256GCM', undefined, 'P-256'), decryption.keys)).toEqual([decryption.keys[2]]);
    expect(selectDecryptionKeys(read('ECDH-ES', 'A256GCM', undefined, 'P-384'), decryption.keys)).toEqual([]);
    expect(selectDecryptionKeys(read('dir', 'A256GCM'), decryption.keys)).toEqual([decryption.keys[3]]);
    expect(selectDecryptionKeys(read('dir', 'A256CBC-HS512'), decryption.keys)).toEqual([]);
  });

  it(`tries at most ${MAX_DECRYPTION_ATTEMPTS} keys on one token`, () => {
    const many = resolveDecryption({ keys: Array.from({ length: 6 }, () => rsa.privateKey) })!;
    expect(selectDecryptionKeys(read('RSA-OAEP', 'A256GCM'), many.keys)).toHaveLength(MAX_DECRYPTION_ATTEMPTS);
  });
});

describe('createJweDecryptor', () => {
  const decrypt = createJweDecryptor(decryption);

  it.each([
    ['RSA-OAEP', 'A256CBC-HS512', rsa.publicKey],
    ['RSA-OAEP-256', 'A128GCM', rsa.publicKey],
    ['ECDH-ES', 'A256GCM', p256.publicKey],
    ['ECDH-ES+A256KW', 'A192CBC-HS384', p256.publicKey],
    ['A256KW', 'A256CBC-HS512', aes],
    ['dir', 'A256GCM', aes],
  ] as const)('decrypts %s with %s to the JWS inside', async (alg, enc, key) => {
    expect(await decrypt(await encrypt(JWS, key, { alg, enc }))).toBe(JWS);
  });

  it('falls back from a key that fails to the next one that fits', async () => {
    const rotated = resolveDecryption({ keys: [other.privateKey, rsa.privateKey] })!;
    expect(await createJweDecryptor(rotated)(await encrypt(JWS, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A256GCM' }))).toBe(JWS);
  });

  it('refuses a JWE for another key as decryption_failed, and one no key fits as decryption_key_not_found', async () => {
    expect(await reasonOf(async () => decrypt(await encrypt(JWS, other.publicKey, { alg: 'RSA-OAEP', enc: 'A256GCM' })))).toBe(
      'decryption_failed',
    );
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(await reasonOf(async () => decrypt(await encrypt(JWS, p384.publicKey, { alg: 'ECDH-ES', enc: 'A256GCM' })))).toBe(
      'decryption_key_not_found',
    );
  });

  it.each([1, 2, 3, 4])('refuses a JWE with segment %i tampered as decryption_failed', async (segment) => {
    const parts = (await encrypt(JWS, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A256CBC-HS512' })).split('.');
    const bytes = Buffer.from(parts[segment]!, 'base64url');
    bytes[bytes.length >> 1]! ^= 0x01;
    parts[segment] = bytes.toString('base64url');
    expect(await reasonOf(() => decrypt(parts.join('.')))).toBe('decryption_failed');
  });

  it('refuses a JWE whose ephemeral key is not a point of its curve as a refusal, never a thrown fault', async () => {
    const genuine = await encrypt(JWS, p256.publicKey, { alg: 'ECDH-ES', enc: 'A256GCM' });
    const header = JSON.parse(Buffer.from(genuine.split('.')[0]!, 'base64url').toString()) as { epk: { x: string; y: string } };
    header.epk.y = header.epk.x; // (x, x) is not on P-256
    expect(['decryption_failed', 'token_malformed', 'encryption_header_invalid']).toContain(await reasonOf(() => decrypt(withHeader(genuine, header))));
  });

  it('refuses a JWE whose IV has the wrong length as token_malformed (jose: JWEInvalid)', async () => {
    const parts = (await encrypt(JWS, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A256GCM' })).split('.');
    parts[2] = Buffer.alloc(8).toString('base64url');
    expect(await reasonOf(() => decrypt(parts.join('.')))).toBe('token_malformed');
  });

  it.each<[string, string, string]>([
    ['a JWE', 'nested', 'encrypted_token_nested'],
    ['JSON claims nobody signed', JSON.stringify({ iss: 'https://id.example.com/', aud: 'receipts-api' }), 'encrypted_token_unsigned'],
    ['JSON claims with four dots', JSON.stringify({ iss: 'http://127.0.0.1:8080', scope: 'vault.read' }), 'encrypted_token_unsigned'],
    ['bytes that are not UTF-8', '\ud800', 'encrypted_token_unsigned'],
    ['a two-segment token', 'eyJhbGciOiJub25lIn0.e30', 'encrypted_token_unsigned'],
    ['an unsecured JWS (no signature)', 'eyJhbGciOiJub25lIn0.e30.', 'encrypted_token_unsigned'],
  ])('refuses content that is %s', async (_case, content, reason) => {
    const inner = content === 'nested' ? await encrypt(JWS, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A256GCM' }) : content;
    const token = await encrypt(inner, rsa.publicKey, { alg: 'RSA-OAEP', enc: 'A256GCM' });
    expect(await reasonOf(() => decrypt(token))).toBe(reason);
  });
});
