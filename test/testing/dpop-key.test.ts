/**
 * The test kit's DPoP client and certificate confirmation: what a proof holds, the headers of a DPoP
 * request, the `cnf` claims of bound tokens, and a supertest run against a DPoP API.
 */
import { createHash } from 'node:crypto';
import express from 'express';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, authErrorHandler } from '../../src/index.js';
import { certificateConfirmation, createDpopKey, createTestIssuer, type TestIssuer } from '../../src/testing/index.js';
import { createTestCa } from '../helpers/certificates.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
});
afterAll(() => issuer.close());

describe('createDpopKey', () => {
  it('makes proofs with typ dpop+jwt, the public jwk, and jti, htm, htu without query or fragment, iat and ath', async () => {
    const key = await createDpopKey();
    const proof = await key.proof({ method: 'POST', url: 'https://api.example.test/receipts?x=1#top', accessToken: 'token' });
    expect(decodeProtectedHeader(proof)).toEqual({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk });
    expect(key.publicJwk).not.toHaveProperty('d');
    const claims = decodeJwt(proof);
    expect(claims).toMatchObject({ htm: 'POST', htu: 'https://api.example.test/receipts', ath: createHash('sha256').update('token').digest('base64url') });
    expect(typeof claims.jti).toBe('string');
    expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(5);
    expect(decodeJwt(await key.proof({ method: 'GET', url: 'https://a.test/' })).jti).not.toBe(claims.jti);
  });

  it('makes deliberately bad proofs on request', async () => {
    const key = await createDpopKey('EdDSA');
    const proof = await key.proof({ method: 'GET', url: 'https://a.test/', iat: 1, jti: 'fixed', nonce: 'n', claims: { htm: undefined, extra: 1 }, header: { typ: 'JWT', crit: ['x'] } });
    expect(decodeProtectedHeader(proof)).toMatchObject({ alg: 'EdDSA', typ: 'JWT', crit: ['x'] });
    expect(decodeJwt(proof)).toEqual({ jti: 'fixed', htu: 'https://a.test/', iat: 1, nonce: 'n', extra: 1 });
  });

  it('gives the cnf of a token bound to the key, and the headers of a DPoP request', async () => {
    const key = await createDpopKey();
    expect(key.cnf).toEqual({ jkt: key.thumbprint });
    expect(key.thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const headers = await key.headers('tok', { method: 'GET', url: 'https://a.test/r' });
    expect(headers.authorization).toBe('DPoP tok');
    expect(decodeJwt(headers.dpop).ath).toBe(createHash('sha256').update('tok').digest('base64url'));
  });

  it('refuses an unknown algorithm and unknown proof options with a TypeError', async () => {
    await expect(createDpopKey('HS256' as never)).rejects.toThrow('bearer-guard: createDpopKey() argument "alg" must be an asymmetric JWS algorithm');
    const key = await createDpopKey();
    await expect(key.proof({ method: 'GET', url: 'https://a.test/', htm: 'GET' } as never)).rejects.toThrow('option "htm" is not a known option');
  });
});

describe('certificateConfirmation', () => {
  it('gives the same x5t#S256 for a certificate as an X509Certificate, DER bytes or PEM', () => {
    const cert = createTestCa().client('payments');
    const expected = { 'x5t#S256': cert.thumbprint };
    expect(certificateConfirmation(cert.x509)).toEqual(expected);
    expect(certificateConfirmation(cert.der)).toEqual(expected);
    expect(certificateConfirmation(cert.pem)).toEqual(expected);
    expect(() => certificateConfirmation('not a certificate')).toThrow(
      'bearer-guard: certificateConfirmation() argument "certificate" must be an X509Certificate, DER bytes or a PEM',
    );
  });
});

describe('testing a DPoP API with supertest', () => {
  it('answers 200 to a bound token with its proof, and 401 invalid_dpop_proof to a replay', async () => {
    const app = express();
    // A fixed public origin makes proofs independent of the port supertest picks.
    const api = 'https://api.example.test';
    app.get('/receipts', authenticate(issuer.verifierOptions({ dpop: { publicOrigin: api } })), (req, res) => {
      res.json({ caller: req.auth?.clientId });
    });
    app.use(authErrorHandler());
    const key = await createDpopKey();
    const token = await issuer.sign({ scope: 'receipts.read', cnf: key.cnf });
    const headers = await key.headers(token, { method: 'GET', url: `${api}/receipts` });
    const ok = await request(app).get('/receipts').set(headers);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ caller: 'test-client' });
    const replay = await request(app).get('/receipts').set(headers);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'The DPoP proof was already used' });
  });
});
