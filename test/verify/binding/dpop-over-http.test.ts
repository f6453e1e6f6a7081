/**
 * DPoP (RFC 9449) over real HTTP on Express 5, Express 4 and Connect: a DPoP-bound token from the test
 * issuer with a proof from the test kit's DPoP key passes; every refusal of the proof and of the binding
 * answers 401 with its stable reason and the exact challenges (`DPoP` beside `Bearer`, or alone when DPoP is
 * required), and never echoes the token or the proof.
 */
import type { OutgoingHttpHeaders, Server } from 'node:http';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, requireScopes } from '../../../src/index.js';
import { createDpopKey, createTestIssuer, type TestDpopKey, type TestIssuer } from '../../../src/testing/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { listen, send, stop } from './support.js';

const ALGS = 'algs="ES256 EdDSA"';
const BOTH_BARE = `Bearer realm="api", DPoP realm="api", ${ALGS}`;
const onDpop = (error: string, description: string): string =>
  `Bearer realm="api", DPoP realm="api", error="${error}", error_description="${description}", ${ALGS}`;
const onBearer = (description: string): string =>
  `Bearer realm="api", error="invalid_token", error_description="${description}", DPoP realm="api", ${ALGS}`;

let issuer: TestIssuer;
let key: TestDpopKey;
let other: TestDpopKey;
let es384: TestDpopKey;
let token: string;
let unbound: string;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  [key, other, es384] = await Promise.all([createDpopKey('ES256'), createDpopKey('ES256'), createDpopKey('ES384')]);
  token = await issuer.sign({ scope: 'receipts.read', cnf: key.cnf });
  unbound = await issuer.sign({ scope: 'receipts.read' });
});
afterAll(() => issuer.close());

/** A proof header made differently from a good one. */
type ProofCase = (url: string) => Promise<OutgoingHttpHeaders>;

const now = (): number => Math.floor(Date.now() / 1000);
const withProof = async (_url: string, proof: string): Promise<OutgoingHttpHeaders> => ({ authorization: `DPoP ${token}`, dpop: proof });
const good = (url: string, extra: Partial<Parameters<TestDpopKey['proof']>[0]> = {}): Promise<string> =>
  key.proof({ method: 'GET', url, accessToken: token, ...extra });
const raw = (header: unknown, payload: unknown, signature = 'c2lnbmF0dXJl'): string =>
  `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;

const PROOF_REFUSALS: [string, ProofCase, string, string][] = [
  ['no DPoP header', async () => ({ authorization: `DPoP ${token}` }), 'dpop_proof_missing', 'The DPoP proof is missing'],
  ['an empty DPoP header', async () => ({ authorization: `DPoP ${token}`, dpop: '' }), 'dpop_proof_missing', 'The DPoP proof is missing'],
  ['two DPoP header lines', async (url) => ({ authorization: `DPoP ${token}`, dpop: [await good(url), await good(url)] }), 'dpop_proof_multiple', 'More than one DPoP proof was sent'],
  ['two proofs joined by a comma', async (url) => withProof(url, `${await good(url)},${await good(url)}`), 'dpop_proof_multiple', 'More than one DPoP proof was sent'],
  ['a proof that is not a JWS', async (url) => withProof(url, 'not-a-jwt'), 'dpop_proof_malformed', 'The DPoP proof is malformed'],
  ['a proof of two segments', async (url) => withProof(url, (await good(url)).split('.').slice(0, 2).join('.')), 'dpop_proof_malformed', 'The DPoP proof is malformed'],
  ['a proof over 8 KiB', async (url) => withProof(url, await good(url, { claims: { pad: 'x'.repeat(9000) } })), 'dpop_proof_malformed', 'The DPoP proof is malformed'],
  ['a proof without typ', async (url) => withProof(url, await good(url, { header: { typ: undefined } })), 'dpop_proof_header_invalid', 'The DPoP proof header is invalid'],
  ['a proof typed JWT', async (url) => withProof(url, await good(url, { header: { typ: 'JWT' } })), 'dpop_proof_header_invalid', 'The DPoP proof header is invalid'],
  ['a proof with crit', async (url) => withProof(url, await good(url, { header: { crit: ['exp'] } })), 'dpop_proof_header_invalid', 'The DPoP proof header is invalid'],
  ['a proof without jwk', async (url) => withProof(url, await good(url, { header: { jwk: undefined } })), 'dpop_proof_header_invalid', 'The DPoP proof header is invalid'],
  ['a proof whose jwk holds the private key', async (url) => withProof(url, await good(url, { header: { jwk: await exportJWK(key.privateKey) } })), 'dpop_proof_header_invalid', 'The DPoP proof header is invalid'],
  ['a proof whose jwk is a symmetric key', async (url) => withProof(url, await good(url, { header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } })), 'dpop_proof_header_invalid', 'The DPoP proof header is invalid'],
  ['alg none', async (url) => withProof(url, raw({ typ: 'dpop+jwt', alg: 'none', jwk: key.publicJwk }, { jti: 'a', htm: 'GET', htu: url, iat: now(), ath: 'x' })), 'dpop_proof_algorithm', 'The DPoP proof signing algorithm is not allowed'],
  ['alg HS256', async (url) => withProof(url, raw({ typ: 'dpop+jwt', alg: 'HS256', jwk: key.publicJwk }, { jti: 'a', htm: 'GET', htu: url, iat: now() })), 'dpop_proof_algorithm', 'The DPoP proof signing algorithm is not allowed'],
  ['an ES384 proof where ES256 and EdDSA are allowed', async (url) => withProof(url, await es384.proof({ method: 'GET', url, accessToken: token })), 'dpop_proof_algorithm', 'The DPoP proof signing algorithm is not allowed'],
  ['a proof signed by another key than its jwk', async (url) => withProof(url, await other.proof({ method: 'GET', url, accessToken: token, header: { jwk: key.publicJwk } })), 'dpop_proof_signature', 'The DPoP proof signature is invalid'],
  ['a proof without jti', async (url) => withProof(url, await good(url, { claims: { jti: undefined } })), 'dpop_proof_claim_invalid', 'The DPoP proof lacks a required claim or has an invalid one'],
  ['a proof without ath', async (url) => withProof(url, await good(url, { claims: { ath: undefined } })), 'dpop_proof_claim_invalid', 'The DPoP proof lacks a required claim or has an invalid one'],
  ['a proof whose iat is a string', async (url) => withProof(url, await good(url, { claims: { iat: String(now()) } })), 'dpop_proof_claim_invalid', 'The DPoP proof lacks a required claim or has an invalid one'],
  ['htm POST for a GET', async (url) => withProof(url, await good(url, { method: 'POST' })), 'dpop_proof_method', 'The DPoP proof is for another HTTP method'],
  ['htm in lower case', async (url) => withProof(url, await good(url, { method: 'get' })), 'dpop_proof_method', 'The DPoP proof is for another HTTP method'],
  ['htu of another path', async (url) => withProof(url, await good(url.replace('/receipts', '/payroll'))), 'dpop_proof_uri', 'The DPoP proof is for another URI'],
  ['htu of another port', async (url) => withProof(url, await good(url.replace(/:\d+\//, ':1/'))), 'dpop_proof_uri', 'The DPoP proof is for another URI'],
  ['htu of another host', async (url) => withProof(url, await good(url.replace('127.0.0.1', 'localhost'))), 'dpop_proof_uri', 'The DPoP proof is for another URI'],
  ['htu with https for an http request', async (url) => withProof(url, await good(url.replace('http:', 'https:'))), 'dpop_proof_uri', 'The DPoP proof is for another URI'],
  ['htu that is not a URL', async (url) => withProof(url, await good(url, { claims: { htu: '/receipts' } })), 'dpop_proof_uri', 'The DPoP proof is for another URI'],
  ['iat 301 seconds ago', async (url) => withProof(url, await good(url, { iat: now() - 301 })), 'dpop_proof_too_old', 'The DPoP proof is too old'],
  ['iat 61 seconds ahead', async (url) => withProof(url, await good(url, { iat: now() + 61 })), 'dpop_proof_issued_in_future', 'The DPoP proof was issued in the future'],
  ['ath of another token', async (url) => withProof(url, await good(url, { accessToken: unbound })), 'dpop_proof_token_mismatch', 'The DPoP proof is for another access token'],
];

describe.each(FRAMEWORKS)('DPoP over HTTP on $name', ({ build }) => {
  let server: Server;
  let origin: string;
  const url = (path = '/receipts'): string => `${origin}${path}`;

  beforeAll(async () => {
    const options = issuer.verifierOptions({ dpop: { algorithms: ['ES256', 'EdDSA'] } });
    server = build(
      [
        { path: '/receipts', chain: [authenticate(options)] },
        { method: 'POST', path: '/receipts', chain: [authenticate(options)] },
        { path: '/required', chain: [authenticate(issuer.verifierOptions({ dpop: { algorithms: ['ES256', 'EdDSA'], required: true } }))] },
        { path: '/bearer-only', chain: [authenticate(issuer.verifierOptions())] },
        { path: '/write', chain: [authenticate(options), requireScopes('receipts.write')] },
        { path: '/optional', chain: [authenticate(options, { optional: true }), requireScopes('receipts.read')] },
      ],
      reasonErrorHandler,
    );
    origin = await listen(server);
  });
  afterAll(() => stop(server));

  it('answers 200 to a DPoP-bound token with a proof of its key', async () => {
    const res = await send(origin, '/receipts', await key.headers(token, { method: 'GET', url: url() }));
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('test-client');
  });

  it('answers 200 to a POST with a proof for POST and the query and fragment left out of htu', async () => {
    const headers = await key.headers(token, { method: 'POST', url: `${url()}?draft=1#top` });
    const res = await send(origin, '/receipts?draft=1', headers, 'POST');
    expect(res.status).toBe(200);
  });

  it.each(['dpop', 'DPOP', 'dPoP'])('accepts the scheme spelled %s', async (scheme) => {
    const headers = await key.headers(token, { method: 'GET', url: url() });
    const res = await send(origin, '/receipts', { ...headers, authorization: `${scheme} ${token}` });
    expect(res.status).toBe(200);
  });

  it('accepts an htu that differs only in ways RFC 3986 normalises away', async () => {
    const port = new URL(origin).port;
    const res = await send(origin, '/receipts', await key.headers(token, { method: 'GET', url: `HTTP://127.0.0.1:${port}/a/../%72eceipts` }));
    expect(res.status).toBe(200);
  });

  it('answers 401 with the Bearer and DPoP challenges when no credentials are sent', async () => {
    const res = await send(origin, '/receipts', {});
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('token_missing');
    expect(res.headers['www-authenticate']).toBe(BOTH_BARE);
  });

  it('answers 401 token_sender_constrained to a DPoP-bound token sent as a Bearer token (no downgrade)', async () => {
    const res = await send(origin, '/receipts', { authorization: `Bearer ${token}`, dpop: await good(url()) });
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('token_sender_constrained');
    expect(res.headers['www-authenticate']).toBe(onBearer('The access token is bound to a key and cannot be used as a Bearer token'));
  });

  it('answers 401 token_not_bound to a token without cnf sent with the DPoP scheme', async () => {
    const res = await send(origin, '/receipts', await key.headers(unbound, { method: 'GET', url: url() }));
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('token_not_bound');
    expect(res.headers['www-authenticate']).toBe(onDpop('invalid_token', 'The access token is not bound to the proof of possession presented'));
  });

  it('accepts a token without cnf sent as a Bearer token where DPoP is not required', async () => {
    const res = await send(origin, '/receipts', { authorization: `Bearer ${unbound}` });
    expect(res.status).toBe(200);
  });

  it('answers 401 dpop_key_mismatch when the token is bound to another key than the proof', async () => {
    const boundElsewhere = await issuer.sign({ cnf: other.cnf });
    const res = await send(origin, '/receipts', await key.headers(boundElsewhere, { method: 'GET', url: url() }));
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('dpop_key_mismatch');
    expect(res.headers['www-authenticate']).toBe(onDpop('invalid_token', 'The access token is not bound to the DPoP proof key'));
  });

  it('answers 401 invalid_token in the DPoP challenge to an expired DPoP-bound token', async () => {
    const expired = await issuer.sign({ cnf: key.cnf }, { expiresIn: -300 });
    const res = await send(origin, '/receipts', await key.headers(expired, { method: 'GET', url: url() }));
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('token_expired');
    expect(res.headers['www-authenticate']).toBe(onDpop('invalid_token', 'The access token expired'));
  });

  it.each(PROOF_REFUSALS)('answers 401 invalid_dpop_proof to %s', async (_name, make, reason, description) => {
    const headers = await make(url());
    const res = await send(origin, '/receipts', headers);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe(reason);
    expect(res.headers['www-authenticate']).toBe(onDpop('invalid_dpop_proof', description));
    expect(res.headers['dpop-nonce']).toBeUndefined();
    for (const value of [token, ...[headers.dpop ?? []].flat().map(String).filter((p) => p.length > 20)]) {
      expect(res.text).not.toContain(value);
      expect(JSON.stringify(res.headers)).not.toContain(value);
    }
  });

  it('answers 401 dpop_proof_replayed to a proof sent a second time', async () => {
    const headers = await key.headers(token, { method: 'GET', url: url() });
    expect((await send(origin, '/receipts', headers)).status).toBe(200);
    const again = await send(origin, '/receipts', headers);
    expect(again.status).toBe(401);
    expect(again.body.reason).toBe('dpop_proof_replayed');
    expect(again.headers['www-authenticate']).toBe(onDpop('invalid_dpop_proof', 'The DPoP proof was already used'));
  });

  it('answers 401 with the DPoP challenge alone, and no error, when DPoP is required and no credentials are sent', async () => {
    const res = await send(origin, '/required', {});
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(`DPoP realm="api", ${ALGS}`);
  });

  it('answers 401 dpop_required to a plain Bearer token where DPoP is required', async () => {
    const res = await send(origin, '/required', { authorization: `Bearer ${unbound}` });
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('dpop_required');
    expect(res.headers['www-authenticate']).toBe(
      `DPoP realm="api", error="invalid_token", error_description="The access token must be sent with a DPoP proof", ${ALGS}`,
    );
  });

  it('answers a proof refusal with the DPoP challenge alone where DPoP is required', async () => {
    const res = await send(origin, '/required', await key.headers(token, { method: 'GET', url: url('/elsewhere') }));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      `DPoP realm="api", error="invalid_dpop_proof", error_description="The DPoP proof is for another URI", ${ALGS}`,
    );
    const ok = await send(origin, '/required', await key.headers(token, { method: 'GET', url: url('/required') }));
    expect(ok.status).toBe(200);
  });

  it('treats the DPoP scheme as no credentials where DPoP is not configured, and refuses the bound token as Bearer', async () => {
    const dpop = await send(origin, '/bearer-only', await key.headers(token, { method: 'GET', url: url('/bearer-only') }));
    expect(dpop.status).toBe(401);
    expect(dpop.body.reason).toBe('token_missing');
    expect(dpop.headers['www-authenticate']).toBe('Bearer realm="api"');
    const bearer = await send(origin, '/bearer-only', { authorization: `Bearer ${token}` });
    expect(bearer.body.reason).toBe('token_sender_constrained');
  });

  it("answers a guard's 403 with the error in the challenge of the scheme the token came with (RFC 9449 §7.1)", async () => {
    const description = 'error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.write"';
    const bound = await send(origin, '/write', await key.headers(token, { method: 'GET', url: url('/write') }));
    expect(bound.status).toBe(403);
    expect(bound.headers['www-authenticate']).toBe(`Bearer realm="api", DPoP realm="api", ${description}, ${ALGS}`);
    const bearer = await send(origin, '/write', { authorization: `Bearer ${unbound}` });
    expect(bearer.status).toBe(403);
    expect(bearer.headers['www-authenticate']).toBe(`Bearer realm="api", ${description}, DPoP realm="api", ${ALGS}`);
  });

  it("answers a guard's 401 after optional authentication with the Bearer and DPoP challenges", async () => {
    const res = await send(origin, '/optional', {});
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(BOTH_BARE);
  });

  it('answers 400 invalid_request to a DPoP scheme whose token breaks the token68 grammar', async () => {
    const res = await send(origin, '/receipts', { authorization: 'DPoP a"b', dpop: await good(url()) });
    expect(res.status).toBe(400);
    expect(res.body.reason).toBe('authorization_malformed');
  });
});

describe('DPoP proofs signed with other algorithms', () => {
  it.each(['EdDSA', 'PS256', 'RS256'] as const)('accepts an %s proof where that algorithm is allowed', async (alg) => {
    const own = await createDpopKey(alg);
    const bound = await issuer.sign({ cnf: own.cnf });
    const server = FRAMEWORKS[0]!.build([{ path: '/r', chain: [authenticate(issuer.verifierOptions({ dpop: {} }))] }], reasonErrorHandler);
    const origin = await listen(server);
    try {
      const res = await send(origin, '/r', await own.headers(bound, { method: 'GET', url: `${origin}/r` }));
      expect(res.status).toBe(200);
      const refused = await send(origin, '/r', { authorization: `DPoP ${bound}` });
      expect(refused.headers['www-authenticate']).toBe(
        'Bearer realm="api", DPoP realm="api", error="invalid_dpop_proof", error_description="The DPoP proof is missing", ' +
          'algs="RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 EdDSA Ed25519"',
      );
    } finally {
      await stop(server);
    }
  });

  it('refuses a proof signed with an RSA key of 1024 bits', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const jwk = weak.publicKey.export({ format: 'jwk' });
    const { calculateJwkThumbprint } = await import('jose');
    const bound = await issuer.sign({ cnf: { jkt: await calculateJwkThumbprint(jwk as never) } });
    const server = FRAMEWORKS[0]!.build([{ path: '/r', chain: [authenticate(issuer.verifierOptions({ dpop: {} }))] }], reasonErrorHandler);
    const origin = await listen(server);
    try {
      const { createHash, randomUUID, sign } = await import('node:crypto');
      const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
      const input = `${part({ alg: 'RS256', typ: 'dpop+jwt', jwk })}.${part({
        jti: randomUUID(),
        htm: 'GET',
        htu: `${origin}/r`,
        iat: now(),
        ath: createHash('sha256').update(bound).digest('base64url'),
      })}`;
      const proof = `${input}.${sign('sha256', Buffer.from(input), weak.privateKey).toString('base64url')}`;
      const res = await send(origin, '/r', { authorization: `DPoP ${bound}`, dpop: proof });
      expect(res.status).toBe(401);
      expect(res.body.reason).toBe('dpop_proof_header_invalid');
    } finally {
      await stop(server);
    }
  });
});
