/**
 * The decryption stage: an encrypted access token (JWE) is read and its header judged (`read-jwe.ts`),
 * the configured keys that fit it are tried (the header's `kid` selects when a key has it; otherwise each
 * key of the right kind, at most {@link MAX_DECRYPTION_ATTEMPTS}), jose's compact decryption runs with
 * allow-lists of exactly the header's `alg` and `enc` and compression refused, and the content must be a
 * JWS, which then goes through every stage a plain JWS goes through. Encrypted claims nobody signed are
 * never accepted.
 *
 * This is the one module that maps jose's decryption errors to refusals; anything else it throws is
 * rethrown, so a bug never hides as a 401. A wrong key and a tampered encrypted key, IV, ciphertext or tag
 * are indistinguishable by design (jose substitutes a random content key when unwrapping fails, so the
 * failure always surfaces at the authentication tag): all are `decryption_failed`.
 */
import { isUtf8 } from 'node:buffer';
import type { errors as JoseErrors } from 'jose';
import { shown } from '../../events/debug-log.js';
import { reject } from '../rejection.js';
import type { DecryptionKey } from './decryption-keys.js';
import type { ResolvedDecryption } from './decryption-options.js';
import { contentKeyBytes } from './jwe-algorithms.js';
import { readJwe, type ReadJwe } from './read-jwe.js';

/** Most keys tried on one token (a token without a `kid` matching a configured key). */
export const MAX_DECRYPTION_ATTEMPTS = 3;

// Three non-empty base64url segments: a signature is present (whether it verifies is for later stages).
const SIGNED = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
// Five base64url segments (the encrypted key may be empty): a JWE, never decrypted in turn.
const ENCRYPTED = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Decrypts an encrypted token; resolves to the JWS inside, or rejects with a refusal. */
export type DecryptJwe = (token: string) => Promise<string>;

/** The keys to try on `jwe`, in the configured order, at most {@link MAX_DECRYPTION_ATTEMPTS}. */
export function selectDecryptionKeys(jwe: ReadJwe, keys: readonly DecryptionKey[]): DecryptionKey[] {
  const cekBytes = contentKeyBytes(jwe.enc);
  const fitting = keys.filter(
    (key) =>
      key.algorithms.has(jwe.alg) &&
      (jwe.kind !== 'dir' || key.bytes === cekBytes) &&
      (jwe.kind !== 'ecdh-es' || key.curve === jwe.epkCurve),
  );
  const named = jwe.kid === undefined ? [] : fitting.filter((key) => key.kid === jwe.kid);
  // A kid no key carries still lets the keys without a kid (PEM, KeyObject) try: issuers name their keys.
  const chosen = named.length > 0 ? named : jwe.kid === undefined ? fitting : fitting.filter((key) => key.kid === undefined);
  return chosen.slice(0, MAX_DECRYPTION_ATTEMPTS);
}

type Jose = typeof import('jose');
let jose: Promise<Jose> | undefined;
/** jose, loaded on the first encrypted token: verifiers that never decrypt never load it. */
const loadJose = (): Promise<Jose> => (jose ??= import('jose'));

/**
 * Refuses what decrypting a token threw. The keys were checked when the verifier was created, so whatever
 * jose, WebCrypto or OpenSSL throw here comes from the token's own bytes: a refusal, never a 500.
 */
function refuseJoseError(error: unknown, errors: typeof JoseErrors): never {
  if (error instanceof errors.JWEInvalid) reject('token_malformed', () => `the JWE is invalid: ${error.message}`);
  if (error instanceof errors.JOSENotSupported) reject('encryption_header_invalid', () => `not supported: ${error.message}`);
  if (error instanceof errors.JOSEAlgNotAllowed) reject('encryption_algorithm_not_allowed', () => error.message);
  return reject('decryption_failed', () => `decryption threw ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`);
}

/** The JWS inside, or a refusal for content that is not one. */
function innerJws(plaintext: Uint8Array): string {
  if (!isUtf8(plaintext)) reject('encrypted_token_unsigned', () => 'the decrypted content is not UTF-8 text');
  const inner = Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString('utf8');
  if (SIGNED.test(inner)) return inner;
  if (ENCRYPTED.test(inner)) reject('encrypted_token_nested', () => 'the decrypted content is another JWE');
  return reject('encrypted_token_unsigned', () => 'the decrypted content is not a JWS (claims nobody signed?)');
}

/** The decryption stage for `decryption`. */
export function createJweDecryptor(decryption: ResolvedDecryption): DecryptJwe {
  return async (token) => {
    const jwe = readJwe(token, decryption);
    const keys = selectDecryptionKeys(jwe, decryption.keys);
    if (keys.length === 0) {
      reject('decryption_key_not_found', () => `no decryption key fits alg ${jwe.alg}, enc ${jwe.enc}, kid ${shown(jwe.kid)}`);
    }
    const { compactDecrypt, errors } = await loadJose();
    const options = {
      keyManagementAlgorithms: [jwe.alg],
      contentEncryptionAlgorithms: [jwe.enc],
      maxDecompressedLength: 0,
    };
    let plaintext: Uint8Array | undefined;
    for (const key of keys) {
      try {
        plaintext = (await compactDecrypt(token, key.key, options)).plaintext;
        break;
      } catch (error) {
        if (!(error instanceof errors.JWEDecryptionFailed)) refuseJoseError(error, errors);
      }
    }
    if (plaintext === undefined) {
      reject('decryption_failed', () => `${keys.length} key(s) tried: a wrong key, or a tampered encrypted key, IV, ciphertext or tag`);
    }
    return innerJws(plaintext);
  };
}
