/**
 * A DPoP client for tests (RFC 9449): a key pair, the `cnf` claim binding a token to it, and proofs for
 * requests, good by default and bad on request (another method, URI or token, an old `iat`, extra or
 * missing claims and header members). Also the `cnf` claim of a certificate-bound token (RFC 8705 §3.1).
 */
import { constants, createHash, KeyObject, randomUUID, sign, type X509Certificate } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { getAlgorithmSpec } from '../verify/keys/algorithms.js';
import { failArgument, optionsObject } from '../options/option-checks.js';
import { toCertificateDer } from '../verify/binding/read-certificate.js';
import { certificateThumbprint } from '../verify/binding/thumbprint.js';
import { isTestSigningAlgorithm, type TestSigningAlgorithm } from './signing-keys.js';

/** The request a proof is made for, and what to make differently. */
export interface DpopProofRequest {
  /** The HTTP method (`htm`). */
  method: string;
  /** The request URL; its query and fragment are left out of `htu`. */
  url: string | URL;
  /** The access token sent with the proof (`ath`). */
  accessToken?: string;
  /** The server nonce (`nonce`). */
  nonce?: string;
  /** `iat`, in seconds since the epoch. @default now */
  iat?: number;
  /** `jti`. @default a random UUID */
  jti?: string;
  /** Claims applied last; a claim set to `undefined` is left out (`{ ath: undefined }`). */
  claims?: Readonly<Record<string, unknown>>;
  /** Header members applied last (`typ`, `jwk`…); `undefined` leaves one out. `alg` is the key's. */
  header?: Readonly<Record<string, unknown>>;
}

/** A DPoP key pair of a test client. */
export interface TestDpopKey {
  /** The signing algorithm. */
  readonly alg: TestSigningAlgorithm;
  /** The private key (give it to an OAuth client, such as openid-client's `getDPoPHandle`). */
  readonly privateKey: CryptoKey;
  /** The public key, as proofs carry it in their `jwk` header. */
  readonly publicJwk: Readonly<JWK>;
  /** The RFC 7638 thumbprint of the public key. */
  readonly thumbprint: string;
  /** The `cnf` claim of a token bound to this key: `issuer.sign({ cnf: key.cnf })`. */
  readonly cnf: Readonly<{ jkt: string }>;
  /** A proof for `request`. */
  proof(request: DpopProofRequest): Promise<string>;
  /** The headers of a DPoP request: `authorization: DPoP <token>` and a proof for it. */
  headers(accessToken: string, request: Omit<DpopProofRequest, 'accessToken'>): Promise<{ authorization: string; dpop: string }>;
}

const PROOF_REQUEST = ['method', 'url', 'accessToken', 'nonce', 'iat', 'jti', 'claims', 'header'];

/** Sets `name` as an own property, or removes it for `undefined`. */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  if (value === undefined) delete target[name];
  else Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

const segment = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs a compact JWS with `node:crypto`, whatever its header holds (jose refuses, say, an unknown `crit`,
 * which a test may need to send).
 */
function signCompact(alg: TestSigningAlgorithm, key: KeyObject, header: object, payload: object): string {
  const input = `${segment(header)}.${segment(payload)}`;
  const spec = getAlgorithmSpec(alg)!;
  const options =
    spec.kty === 'EC'
      ? { key, dsaEncoding: 'ieee-p1363' as const }
      : spec.pss === true
        ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : key;
  return `${input}.${sign(spec.hash, Buffer.from(input), options).toString('base64url')}`;
}

function htuOf(url: string | URL): string {
  const parsed = new URL(String(url));
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * Generates a DPoP key pair and its proof maker.
 *
 * @example
 * const key = await createDpopKey();
 * const token = await issuer.sign({ cnf: key.cnf });
 * const res = await fetch(url, { headers: await key.headers(token, { method: 'GET', url }) });
 */
export async function createDpopKey(alg: TestSigningAlgorithm = 'ES256'): Promise<TestDpopKey> {
  if (!isTestSigningAlgorithm(alg)) failArgument('alg', 'must be an asymmetric JWS algorithm', 'createDpopKey()');
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = Object.freeze(await exportJWK(publicKey));
  const thumbprint = await calculateJwkThumbprint(publicJwk, 'sha256');
  const signingKey = KeyObject.from(privateKey);
  const proof = async (request: DpopProofRequest): Promise<string> => {
    optionsObject(request, '', PROOF_REQUEST, 'proof()');
    const claims: Record<string, unknown> = {
      jti: request.jti ?? randomUUID(),
      htm: request.method,
      htu: htuOf(request.url),
      iat: request.iat ?? Math.floor(Date.now() / 1000),
    };
    if (request.accessToken !== undefined) claims.ath = createHash('sha256').update(request.accessToken).digest('base64url');
    if (request.nonce !== undefined) claims.nonce = request.nonce;
    for (const [name, value] of Object.entries(request.claims ?? {})) put(claims, name, value);
    const header: Record<string, unknown> = { alg, typ: 'dpop+jwt', jwk: { ...publicJwk } };
    for (const [name, value] of Object.entries(request.header ?? {})) put(header, name, value);
    return signCompact(alg, signingKey, { ...header, alg }, claims);
  };
  return {
    alg,
    privateKey,
    publicJwk,
    thumbprint,
    cnf: Object.freeze({ jkt: thumbprint }),
    proof,
    async headers(accessToken, request) {
      return { authorization: `DPoP ${accessToken}`, dpop: await proof({ ...request, accessToken }) };
    },
  };
}

/**
 * The `cnf` claim of a token bound to a client certificate (`x5t#S256`, RFC 8705 §3.1): give an
 * `X509Certificate`, its DER bytes or its PEM. `issuer.sign({ cnf: certificateConfirmation(cert) })`.
 */
export function certificateConfirmation(certificate: X509Certificate | Uint8Array | string): { 'x5t#S256': string } {
  const der = toCertificateDer(certificate);
  if (der === undefined) failArgument('certificate', 'must be an X509Certificate, DER bytes or a PEM', 'certificateConfirmation()');
  return { 'x5t#S256': certificateThumbprint(der) };
}
