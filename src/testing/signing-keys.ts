/**
 * The test issuer's signing keys: generated in memory, published as a JWK Set, rotated on demand.
 */
import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { SUPPORTED_ALGORITHMS } from '../verify/keys/algorithms.js';
import type { SupportedAlgorithm } from '../verify/keys/algorithms.js';

/** The JWS algorithms the test issuer can sign with: every asymmetric algorithm bearer-guard verifies. */
export type TestSigningAlgorithm = SupportedAlgorithm;

/** Every {@link TestSigningAlgorithm}. */
export const TEST_SIGNING_ALGORITHMS: readonly TestSigningAlgorithm[] = SUPPORTED_ALGORITHMS;

/** True when `value` is a {@link TestSigningAlgorithm}. */
export function isTestSigningAlgorithm(value: unknown): value is TestSigningAlgorithm {
  return typeof value === 'string' && (TEST_SIGNING_ALGORITHMS as readonly string[]).includes(value);
}

/** One key pair of the issuer. */
export interface SigningKey {
  readonly kid: string;
  readonly alg: TestSigningAlgorithm;
  readonly privateKey: CryptoKey;
  /** The public JWK as published (`kid`, `alg`, `use: "sig"`). */
  readonly jwk: Readonly<JWK>;
}

/** Generates a key pair for `alg` with the given `kid`. */
export async function generateSigningKey(alg: TestSigningAlgorithm, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = Object.freeze({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' });
  return { kid, alg, privateKey, jwk };
}

/**
 * The published keys and the current signing key. `kid`s are `<prefix>-1`, `<prefix>-2`… in creation
 * order, so they are stable within an issuer and distinct between issuers of one process.
 */
export class SigningKeyRing {
  readonly #prefix: string;
  #created = 0;
  #published: SigningKey[] = [];
  #current!: SigningKey;

  private constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** A ring whose first signing key uses `alg`. */
  static async create(alg: TestSigningAlgorithm, prefix: string): Promise<SigningKeyRing> {
    const ring = new SigningKeyRing(prefix);
    ring.#current = await ring.#generate(alg);
    ring.#published = [ring.#current];
    return ring;
  }

  /** The key that signs issued tokens. */
  get current(): SigningKey {
    return this.#current;
  }

  /** Copies of the published public keys (after a rotation, the new signing key comes first). */
  jwks(): { keys: JWK[] } {
    return { keys: this.#published.map((key) => ({ ...key.jwk })) };
  }

  /** The published key with `kid`, if any. */
  find(kid: string): SigningKey | undefined {
    return this.#published.find((key) => key.kid === kid);
  }

  /**
   * A key for `alg`: the signing key when it uses `alg`, else the newest published key that does, else a
   * new one (published from now on, without becoming the signing key).
   */
  async forAlgorithm(alg: TestSigningAlgorithm): Promise<SigningKey> {
    if (this.#current.alg === alg) return this.#current;
    const existing = this.#published.find((key) => key.alg === alg);
    if (existing !== undefined) return existing;
    const key = await this.#generate(alg);
    this.#published = [...this.#published, key];
    return key;
  }

  /**
   * Makes a new key (of `alg`, default the current one's) the signing key and publishes it first. Keys
   * published before stay published when `keepPrevious`, else they are withdrawn.
   */
  async rotate(keepPrevious: boolean, alg: TestSigningAlgorithm = this.#current.alg): Promise<SigningKey> {
    const key = await this.#generate(alg);
    this.#published = keepPrevious ? [key, ...this.#published] : [key];
    this.#current = key;
    return key;
  }

  #generate(alg: TestSigningAlgorithm): Promise<SigningKey> {
    this.#created += 1;
    return generateSigningKey(alg, `${this.#prefix}-${this.#created}`);
  }
}
