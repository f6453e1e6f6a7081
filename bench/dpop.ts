/**
 * DPoP for the benchmark: a client key (ES256), a token bound to it (`cnf.jkt`), and pools of fresh proofs
 * for `GET <origin>/receipts/42`, signed with node:crypto so that large pools are made quickly. Each proof is
 * sent once: the verifier's real replay store sees every one.
 */
import { createHash, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';

/** The origin proofs name; the benchmarked verifier is configured with it as `dpop.publicOrigin`. */
export const DPOP_ORIGIN = 'https://api.bench.test';

/** A DPoP client key. */
export interface BenchDpopKey {
  readonly privateKey: KeyObject;
  readonly jwk: Record<string, unknown>;
  /** RFC 7638 thumbprint, for `cnf.jkt`. */
  readonly thumbprint: string;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Generates the client's ES256 key. */
export function createBenchDpopKey(): BenchDpopKey {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { crv, kty, x, y } = pair.publicKey.export({ format: 'jwk' });
  const thumbprint = createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url');
  return { privateKey: pair.privateKey, jwk: { kty, crv, x, y }, thumbprint };
}

/** `size` distinct proofs of `key` for `GET /receipts/42` with `token`, issued now. */
export function signProofs(key: BenchDpopKey, token: string, size: number): string[] {
  const header = b64({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk });
  const ath = createHash('sha256').update(token).digest('base64url');
  const iat = Math.floor(Date.now() / 1000);
  return Array.from({ length: size }, () => {
    const input = `${header}.${b64({ jti: randomUUID(), htm: 'GET', htu: `${DPOP_ORIGIN}/receipts/42`, iat, ath })}`;
    const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
    return `${input}.${signature.toString('base64url')}`;
  });
}
