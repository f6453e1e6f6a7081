/**
 * The `decryption` option: which keys decrypt encrypted access tokens (JWE) and under which algorithms.
 * Validated once, at creation (a `TypeError` naming the option), into plain data with the keys imported.
 */
import { booleanOption, child, fail, optionsObject } from '../../options/option-checks.js';
import { importDecryptionKey, type DecryptionKey, type DecryptionKeyInput } from './decryption-keys.js';
import {
  CONTENT_ENCRYPTION_ALGORITHMS,
  DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS,
  DEFAULT_KEY_MANAGEMENT_ALGORITHMS,
  KEY_MANAGEMENT_ALGORITHMS,
  refusedAlgorithmReason,
} from './jwe-algorithms.js';

/** Options of encrypted-token (JWE) decryption. */
export interface DecryptionOptions {
  /**
   * The keys that decrypt: `KeyObject`s (private or secret), private or `oct` JWKs, or PEM private keys
   * (the private key of OpenIddict's encryption certificate). A JWK's `kid` selects it when a token's
   * header names that `kid`; a JWK's `alg` restricts it to that algorithm. At most 16 keys.
   */
  keys: readonly DecryptionKeyInput[];
  /**
   * Allowed JWE `alg` values. `RSA1_5` and `PBES2-*` are refused with a `TypeError`; `RSA-OAEP-384`,
   * `RSA-OAEP-512`, `A128GCMKW`/`A192GCMKW`/`A256GCMKW` and `dir` may be listed.
   * @default ['RSA-OAEP','RSA-OAEP-256','ECDH-ES','ECDH-ES+A128KW','ECDH-ES+A192KW','ECDH-ES+A256KW','A128KW','A192KW','A256KW']
   */
  keyManagementAlgorithms?: readonly string[];
  /**
   * Allowed JWE `enc` values.
   * @default ['A128CBC-HS256','A192CBC-HS384','A256CBC-HS512','A128GCM','A192GCM','A256GCM']
   */
  contentEncryptionAlgorithms?: readonly string[];
  /**
   * Refuse tokens that are not encrypted (a plain JWS) with `token_not_encrypted`. A policy, not a proof:
   * anyone holding a token can encrypt it to your public key.
   * @default false
   */
  required?: boolean;
}

/** Decryption with every option validated and the keys imported. */
export interface ResolvedDecryption {
  readonly keys: readonly DecryptionKey[];
  readonly keyManagement: ReadonlySet<string>;
  readonly contentEncryption: ReadonlySet<string>;
  readonly required: boolean;
}

/** Most keys `decryption.keys` may hold. */
export const MAX_DECRYPTION_KEYS = 16;
const KNOWN = ['keys', 'keyManagementAlgorithms', 'contentEncryptionAlgorithms', 'required'];

function algorithmList(value: unknown, path: string, known: readonly string[], fallback: readonly string[]): Set<string> {
  if (value === undefined) return new Set(fallback);
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be a non-empty array');
  for (const alg of value) {
    if (typeof alg !== 'string') fail(path, 'must only hold strings');
    const refused = refusedAlgorithmReason(alg);
    if (refused !== undefined) fail(path, `must not contain "${alg}": ${refused}`);
    if (!known.includes(alg)) fail(path, `contains the unsupported "${alg}" (supported: ${known.join(', ')})`);
  }
  return new Set(value as string[]);
}

/** Validates the `decryption` option; `undefined` when it is absent. */
export function resolveDecryption(value: unknown, path = 'decryption'): ResolvedDecryption | undefined {
  const given = optionsObject(value, path, KNOWN);
  if (given === undefined) return undefined;
  const keyManagement = algorithmList(
    given.keyManagementAlgorithms,
    child(path, 'keyManagementAlgorithms'),
    KEY_MANAGEMENT_ALGORITHMS,
    DEFAULT_KEY_MANAGEMENT_ALGORITHMS,
  );
  const contentEncryption = algorithmList(
    given.contentEncryptionAlgorithms,
    child(path, 'contentEncryptionAlgorithms'),
    CONTENT_ENCRYPTION_ALGORITHMS,
    DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS,
  );
  const keysPath = child(path, 'keys');
  const inputs = given.keys;
  if (!Array.isArray(inputs) || inputs.length === 0) fail(keysPath, 'must be a non-empty array of keys');
  if (inputs.length > MAX_DECRYPTION_KEYS) fail(keysPath, `must hold at most ${MAX_DECRYPTION_KEYS} keys`);
  const allowed = { keyManagement, contentEncryption };
  const keys = inputs.map((input, index) => importDecryptionKey(input, `${keysPath}[${index}]`, allowed));
  return Object.freeze({
    keys: Object.freeze(keys),
    keyManagement,
    contentEncryption,
    required: booleanOption(given.required, child(path, 'required')) === true,
  });
}
