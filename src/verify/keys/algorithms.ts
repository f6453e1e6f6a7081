/**
 * The asymmetric JWS algorithms (RFC 7518 §3, RFC 8037, RFC 9864) and what each needs from a key.
 */
import { constants } from 'node:crypto';

/** The asymmetric JWS algorithms bearer-guard can verify. */
export type SupportedAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519';

/** What `crypto.verify` needs for one algorithm, and which keys may be used with it. */
export interface AlgorithmSpec {
  /** Digest for `crypto.verify`; `null` for EdDSA. */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null;
  /** JWK `kty` a key must have. */
  readonly kty: 'RSA' | 'EC' | 'OKP';
  /** JWK `crv` values a key may have (EC and OKP only). */
  readonly curves?: readonly string[];
  /** RSASSA-PSS instead of PKCS#1 v1.5. */
  readonly pss?: boolean;
  /** Exact signature length in bytes (ECDSA IEEE P1363 `r || s`, Ed25519); RSA: the modulus length. */
  readonly signatureBytes?: number;
}

const SPECS: Readonly<Record<SupportedAlgorithm, AlgorithmSpec>> = {
  RS256: { hash: 'sha256', kty: 'RSA' },
  RS384: { hash: 'sha384', kty: 'RSA' },
  RS512: { hash: 'sha512', kty: 'RSA' },
  PS256: { hash: 'sha256', kty: 'RSA', pss: true },
  PS384: { hash: 'sha384', kty: 'RSA', pss: true },
  PS512: { hash: 'sha512', kty: 'RSA', pss: true },
  ES256: { hash: 'sha256', kty: 'EC', curves: ['P-256'], signatureBytes: 64 },
  ES384: { hash: 'sha384', kty: 'EC', curves: ['P-384'], signatureBytes: 96 },
  ES512: { hash: 'sha512', kty: 'EC', curves: ['P-521'], signatureBytes: 132 },
  EdDSA: { hash: null, kty: 'OKP', curves: ['Ed25519', 'Ed448'] },
  Ed25519: { hash: null, kty: 'OKP', curves: ['Ed25519'], signatureBytes: 64 },
};

/** Every algorithm bearer-guard supports, which is also the default allow-list. */
export const SUPPORTED_ALGORITHMS: readonly SupportedAlgorithm[] = Object.freeze(
  Object.keys(SPECS) as SupportedAlgorithm[],
);

/** Smallest RSA modulus accepted, in bits (RFC 7518 §3.3). */
export const MIN_RSA_BITS = 2048;
/** Largest RSA modulus accepted, in bits: bigger keys only make every verification slower. */
export const MAX_RSA_BITS = 16384;

/** The spec of a supported algorithm, or `undefined` for anything else (including `none` and `HS*`). */
export function getAlgorithmSpec(alg: string): AlgorithmSpec | undefined {
  return Object.hasOwn(SPECS, alg) ? SPECS[alg as SupportedAlgorithm] : undefined;
}

/** True for algorithms that are symmetric or unsecured, which bearer-guard refuses to be configured with. */
export function isForbiddenAlgorithm(alg: string): boolean {
  return /^(none|HS\d+)$/i.test(alg);
}

/** The `crypto.verify` key options for an RSASSA-PSS algorithm (salt length = digest length). */
export const PSS_OPTIONS = {
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
} as const;
