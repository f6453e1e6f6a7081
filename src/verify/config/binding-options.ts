/**
 * The `dpop` and `mtls` options (sender-constrained tokens, RFC 9449 and RFC 8705), validated once with the
 * option toolkit into plain data. Stateful parts (the default replay store, the nonce source) are built from
 * the result by the assembly.
 */
import type { X509Certificate } from 'node:crypto';
import {
  booleanOption,
  fail,
  functionOption,
  numberOption,
  optionsObject,
} from '../../options/option-checks.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import { normalizeOrigin } from '../binding/request-uri.js';
import { DEFAULT_REPLAY_STORE_ENTRIES, type ReplayStore } from '../binding/replay-store.js';
import { getAlgorithmSpec, isForbiddenAlgorithm, SUPPORTED_ALGORITHMS } from '../keys/algorithms.js';

/** Options of DPoP (RFC 9449): tokens bound to a key the client proves it holds on every request. */
export interface DpopOptions {
  /** Refuse tokens sent without the DPoP scheme (plain Bearer), and send only the DPoP challenge. @default false */
  required?: boolean;
  /** JWS algorithms accepted for proofs (asymmetric only), listed in the challenge's `algs`. @default every supported one */
  algorithms?: readonly string[];
  /** Seconds a proof stays acceptable after its `iat` (and its `jti` is remembered). @default 300 */
  proofMaxAgeSec?: number;
  /**
   * Where proof identifiers are remembered to refuse replays. Share one across a fleet
   * (`createSharedReplayStore(createRedisStore(redis))`).
   * @default a bounded in-memory store per verifier (`createMemoryReplayStore()`)
   */
  replayStore?: ReplayStore;
  /**
   * Require a server nonce in proofs (RFC 9449 §9): a proof without a current one gets 401
   * `use_dpop_nonce` and a `DPoP-Nonce` header. Nonces are an HMAC of a time step: `ttlSec` is the step
   * (each nonce is accepted for `ttlSec` to twice that), and instances sharing `secret` (32 characters or
   * bytes at least) accept each other's nonces. Without `secret`, each process draws its own.
   * @default false
   */
  nonce?: boolean | { ttlSec?: number; secret?: string | Uint8Array };
  /**
   * The origin clients call, such as `https://api.example.com`, when the API runs behind a proxy: proofs'
   * `htu` must name it. When absent the origin is the connection's scheme and the Host header.
   */
  publicOrigin?: string;
}

/** Options of certificate-bound tokens (RFC 8705 §3). */
export interface MtlsOptions {
  /**
   * The client certificate of a request: an `X509Certificate`, DER bytes, or a PEM (also URL-encoded, as
   * proxies forward it in a header). Only for a proxy that terminates TLS and strips the header from
   * clients: anyone else can send it.
   * @default the TLS peer certificate of the connection (`request.certificate`)
   */
  getCertificate?: (request: VerifyRequest) => X509Certificate | Uint8Array | string | undefined;
  /** Refuse tokens that are not bound to a certificate. @default false */
  required?: boolean;
}

/** The `dpop` option, validated. */
export interface DpopConfig {
  readonly required: boolean;
  readonly algorithms: readonly string[];
  readonly proofMaxAgeSec: number;
  readonly replayStore: ReplayStore | undefined;
  readonly nonce: { readonly ttlSec: number; readonly secret: string | Uint8Array | undefined } | undefined;
  /** Normalised, without a trailing slash. */
  readonly publicOrigin: string | undefined;
}

/** The `mtls` option, validated. */
export interface MtlsConfig {
  readonly getCertificate: MtlsOptions['getCertificate'];
  readonly required: boolean;
}

/**
 * Defaults of {@link DpopOptions}: `proofMaxAgeSec` and `nonce.ttlSec` in seconds, and the bound of the
 * default in-memory replay store in entries.
 */
export const DPOP_DEFAULTS = Object.freeze({ proofMaxAgeSec: 300, nonceTtlSec: 300, replayStoreEntries: DEFAULT_REPLAY_STORE_ENTRIES });

const DPOP_OPTIONS = ['required', 'algorithms', 'proofMaxAgeSec', 'replayStore', 'nonce', 'publicOrigin'];

function resolveAlgorithms(value: unknown): readonly string[] {
  if (value === undefined) return SUPPORTED_ALGORITHMS;
  if (!Array.isArray(value) || value.length === 0) fail('dpop.algorithms', 'must be a non-empty array');
  for (const alg of value) {
    if (typeof alg !== 'string' || isForbiddenAlgorithm(alg) || getAlgorithmSpec(alg) === undefined) {
      fail('dpop.algorithms', `must only hold supported asymmetric algorithms (${SUPPORTED_ALGORITHMS.join(', ')})`);
    }
  }
  return Object.freeze([...new Set(value as string[])]);
}

function resolveNonce(value: unknown): DpopConfig['nonce'] {
  if (value === undefined || value === false) return undefined;
  const given = value === true ? {} : optionsObject(value, 'dpop.nonce', ['ttlSec', 'secret'])!;
  const secret = given.secret;
  if (secret !== undefined) {
    const length = typeof secret === 'string' ? secret.length : secret instanceof Uint8Array ? secret.byteLength : -1;
    if (length < 32) fail('dpop.nonce.secret', 'must be a string or bytes of at least 32 characters or bytes');
  }
  const ttlSec = numberOption(given.ttlSec, 'dpop.nonce.ttlSec', { min: 1, max: 86_400, integer: true, unit: 'seconds' });
  return { ttlSec: ttlSec ?? DPOP_DEFAULTS.nonceTtlSec, secret: secret as string | Uint8Array | undefined };
}

function resolveReplayStore(value: unknown): ReplayStore | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || typeof (value as Partial<ReplayStore>).add !== 'function') {
    fail('dpop.replayStore', 'must be an object with an add(jti, expiresAtMs) method');
  }
  return value as ReplayStore;
}

/** Validates the `dpop` option; `undefined` when DPoP is off. */
export function resolveDpopOptions(value: unknown): DpopConfig | undefined {
  if (value === undefined || value === false) return undefined;
  const given = optionsObject(value, 'dpop', DPOP_OPTIONS)!;
  let publicOrigin: string | undefined;
  if (given.publicOrigin !== undefined) {
    publicOrigin = typeof given.publicOrigin === 'string' ? normalizeOrigin(given.publicOrigin) : undefined;
    if (publicOrigin === undefined) fail('dpop.publicOrigin', 'must be an http(s) origin such as "https://api.example.com" (no path)');
  }
  return {
    required: booleanOption(given.required, 'dpop.required') === true,
    algorithms: resolveAlgorithms(given.algorithms),
    proofMaxAgeSec:
      numberOption(given.proofMaxAgeSec, 'dpop.proofMaxAgeSec', { min: 1, max: 3600, unit: 'seconds' }) ?? DPOP_DEFAULTS.proofMaxAgeSec,
    replayStore: resolveReplayStore(given.replayStore),
    nonce: resolveNonce(given.nonce),
    publicOrigin,
  };
}

/** Validates the `mtls` option; `undefined` when certificate binding is off. */
export function resolveMtlsOptions(value: unknown): MtlsConfig | undefined {
  if (value === undefined || value === false) return undefined;
  const given = optionsObject(value, 'mtls', ['getCertificate', 'required'])!;
  return {
    getCertificate: functionOption<NonNullable<MtlsOptions['getCertificate']>>(given.getCertificate, 'mtls.getCertificate'),
    required: booleanOption(given.required, 'mtls.required') === true,
  };
}
