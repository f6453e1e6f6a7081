/**
 * The binding stage through `verifier.verify(token, request)`: the shapes of `cnf`, which scheme each kind of
 * token needs, both bindings at once, the typed errors it answers with, and what the replay store's answers
 * (late, odd, failing, full) become.
 */
import type { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMemoryReplayStore,
  createVerifier,
  InvalidDpopProofError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  type ReplayStore,
  type VerifierOptions,
  type VerifyRequest,
} from '../../../src/index.js';
import { certificateConfirmation, createDpopKey, createTestIssuer, type TestDpopKey, type TestIssuer } from '../../../src/testing/index.js';
import { createTestCa, type TestCertificate } from '../../helpers/certificates.js';

const URL_ = 'https://api.example.test/receipts';

let issuer: TestIssuer;
let key: TestDpopKey;
let certificate: TestCertificate;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  key = await createDpopKey();
  certificate = createTestCa().client('payments');
});
afterAll(() => issuer.close());

const options = (extra: Partial<VerifierOptions> = {}): VerifierOptions =>
  issuer.verifierOptions({ dpop: { publicOrigin: 'https://api.example.test' }, ...extra });

/** The request of a DPoP call for `token` (and a client certificate when given). */
async function dpopRequest(token: string, cert?: X509Certificate): Promise<VerifyRequest> {
  const headers = await key.headers(token, { method: 'GET', url: URL_ });
  return { method: 'GET', url: '/receipts', headers, ...(cert === undefined ? {} : { certificate: cert }) };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    if (isAuthError(error)) return `${error.status} ${error.reason}`;
    throw error;
  }
}

describe('the binding stage', () => {
  it.each([
    ['a string', 'abc', '401 claim_invalid'],
    ['an array', [{ jkt: 'x' }], '401 claim_invalid'],
    ['an empty jkt', { jkt: '' }, '401 claim_invalid'],
    ['a numeric x5t#S256', { 'x5t#S256': 7 }, '401 claim_invalid'],
    ['a jwk confirmation', { jwk: { kty: 'EC' } }, '401 token_sender_constrained'],
    ['a kid confirmation beside jkt', { jkt: 'x', kid: 'k' }, '401 token_sender_constrained'],
  ])('refuses a cnf that is %s', async (_name, cnf, expected) => {
    const token = await issuer.sign({ cnf });
    const verifier = createVerifier(options({ mtls: {} }));
    expect(await outcome(verifier.verify(token, await dpopRequest(token)))).toBe(expected);
  });

  it('refuses a DPoP-bound token verified without its request, which holds no proof', async () => {
    const token = await issuer.sign({ cnf: key.cnf });
    expect(await outcome(createVerifier(options()).verify(token))).toBe('401 token_sender_constrained');
    expect(await outcome(createVerifier(options()).verify(token, await dpopRequest(token)))).toBe('accepted');
  });

  it('refuses a certificate-bound token where only DPoP is configured, and a DPoP-bound one where only mTLS is', async () => {
    const certBound = await issuer.sign({ cnf: certificateConfirmation(certificate.der) });
    expect(await outcome(createVerifier(options()).verify(certBound, { certificate: certificate.x509 }))).toBe('401 token_sender_constrained');
    const dpopBound = await issuer.sign({ cnf: key.cnf });
    const mtlsOnly = createVerifier(issuer.verifierOptions({ mtls: {} }));
    expect(await outcome(mtlsOnly.verify(dpopBound, await dpopRequest(dpopBound)))).toBe('401 token_sender_constrained');
  });

  it('needs both proofs for a token bound both to a DPoP key and to a certificate', async () => {
    const token = await issuer.sign({ cnf: { ...key.cnf, ...certificateConfirmation(certificate.pem) } });
    const verifier = createVerifier(options({ mtls: {} }));
    expect(await outcome(verifier.verify(token, await dpopRequest(token, certificate.x509)))).toBe('accepted');
    expect(await outcome(verifier.verify(token, await dpopRequest(token)))).toBe('401 certificate_missing');
  });

  it('answers dpop_required and certificate_binding_required where a binding is required', async () => {
    const unbound = await issuer.sign({});
    expect(await outcome(createVerifier(options({ dpop: { required: true } })).verify(unbound))).toBe('401 dpop_required');
    const dpopBound = await issuer.sign({ cnf: key.cnf });
    const both = createVerifier(options({ mtls: { required: true } }));
    expect(await outcome(both.verify(dpopBound, await dpopRequest(dpopBound)))).toBe('401 certificate_binding_required');
  });

  it('answers with InvalidDpopProofError for the proof and InvalidTokenError for the token, each with its challenges', async () => {
    const token = await issuer.sign({ cnf: key.cnf });
    const verifier = createVerifier(options({ dpop: { algorithms: ['ES256'], publicOrigin: 'https://api.example.test' } }));
    const missing = await verifier.verify(token, { method: 'GET', url: '/receipts', headers: { authorization: `DPoP ${token}` } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidDpopProofError);
    expect(missing).toMatchObject({ status: 401, code: 'ERR_INVALID_DPOP_PROOF', error: 'invalid_dpop_proof', reason: 'dpop_proof_missing', expose: true });
    expect((missing as InvalidDpopProofError).headers).toEqual({
      'WWW-Authenticate': 'Bearer realm="api", DPoP realm="api", error="invalid_dpop_proof", error_description="The DPoP proof is missing", algs="ES256"',
    });
    const asBearer = await verifier.verify(token, { headers: { authorization: `Bearer ${token}` } }).catch((e: unknown) => e);
    expect(asBearer).toBeInstanceOf(InvalidTokenError);
    expect((asBearer as InvalidTokenError).headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is bound to a key and cannot be used as a Bearer token", DPoP realm="api", algs="ES256"',
    );
  });

  it('answers use_dpop_nonce with a DPoP-Nonce header and an error a client can recognise', async () => {
    const token = await issuer.sign({ cnf: key.cnf });
    const verifier = createVerifier(options({ dpop: { publicOrigin: 'https://api.example.test', nonce: true, algorithms: ['ES256'] } }));
    const error = (await verifier.verify(token, await dpopRequest(token)).catch((e: unknown) => e)) as InvalidDpopProofError;
    expect(error.error).toBe('use_dpop_nonce');
    expect(error.headers['DPoP-Nonce']).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const headers = await key.headers(token, { method: 'GET', url: URL_, nonce: error.headers['DPoP-Nonce']! });
    expect(await outcome(verifier.verify(token, { method: 'GET', url: '/receipts', headers }))).toBe('accepted');
  });
});

describe('the replay store answers', () => {
  const withStore = async (replayStore: ReplayStore): Promise<string> => {
    const token = await issuer.sign({ cnf: key.cnf });
    return outcome(createVerifier(options({ dpop: { publicOrigin: 'https://api.example.test', replayStore } })).verify(token, await dpopRequest(token)));
  };

  it('waits for a store that answers later, and refuses what it calls a replay', async () => {
    expect(await withStore({ add: async () => true })).toBe('accepted');
    expect(await withStore({ add: async () => false })).toBe('401 dpop_proof_replayed');
    expect(await withStore({ add: () => false })).toBe('401 dpop_proof_replayed');
  });

  it.each([
    ['throws', { add: (): boolean => { throw new Error('down'); } }],
    ['rejects', { add: async (): Promise<boolean> => { throw new Error('down'); } }],
    ['answers neither true nor false', { add: async () => 'OK' as unknown as boolean }],
    ['is full', (() => { const store = createMemoryReplayStore({ maxEntries: 1 }); store.add('other', Date.now() + 600_000); return store; })()],
  ])('answers 503 replay_store_unavailable when the store %s', async (_name, store) => {
    expect(await withStore(store as ReplayStore)).toBe('503 replay_store_unavailable');
  });

  it('passes the fault on as the cause of the 503, for logs', async () => {
    const fault = new Error('ECONNREFUSED');
    const token = await issuer.sign({ cnf: key.cnf });
    const verifier = createVerifier(options({ dpop: { publicOrigin: 'https://api.example.test', replayStore: { add: async () => { throw fault; } } } }));
    const error = await verifier.verify(token, await dpopRequest(token)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeysUnavailableError);
    expect((error as KeysUnavailableError).cause).toBe(fault);
  });
});

describe('mtls.getCertificate', () => {
  it('is asked only for certificate-bound tokens, and a fault of its own is not disguised as a 401', async () => {
    let asked = 0;
    const fault = new Error('getCertificate failed');
    const verifier = createVerifier(issuer.verifierOptions({ mtls: { getCertificate: () => { asked += 1; throw fault; } } }));
    expect(await outcome(verifier.verify(await issuer.sign({}), { headers: {} }))).toBe('accepted');
    expect(asked).toBe(0);
    const bound = await issuer.sign({ cnf: certificateConfirmation(certificate.x509) });
    await expect(verifier.verify(bound, { headers: {} })).rejects.toBe(fault);
    expect(asked).toBe(1);
  });
});
