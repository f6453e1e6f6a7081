/**
 * The `dpop` and `mtls` options: each invalid one makes createVerifier() throw a TypeError naming it, at
 * creation; valid ones turn the bindings on.
 */
import { describe, expect, it } from 'vitest';
import { createVerifier, type VerifierOptions } from '../../../src/index.js';

const BASE = { issuer: 'https://login.example.com/', audience: 'api://receipts' } as const;
const create = (extra: Record<string, unknown>) => () => createVerifier({ ...BASE, ...extra } as VerifierOptions);

describe('the dpop and mtls options', () => {
  it.each([
    [{ dpop: 'yes' }, 'option "dpop" must be an object'],
    [{ dpop: { requried: true } }, 'option "dpop.requried" is not a known option'],
    [{ dpop: { required: 'yes' } }, 'option "dpop.required" must be a boolean'],
    [{ dpop: { algorithms: [] } }, 'option "dpop.algorithms" must be a non-empty array'],
    [{ dpop: { algorithms: ['HS256'] } }, 'option "dpop.algorithms" must only hold supported asymmetric algorithms'],
    [{ dpop: { algorithms: ['none'] } }, 'option "dpop.algorithms" must only hold supported asymmetric algorithms'],
    [{ dpop: { proofMaxAgeSec: 0 } }, 'option "dpop.proofMaxAgeSec" must be a finite number >= 1 and <= 3600 (seconds)'],
    [{ dpop: { proofMaxAgeSec: 300_000 } }, 'option "dpop.proofMaxAgeSec" must be a finite number >= 1 and <= 3600 (seconds)'],
    [{ dpop: { replayStore: new Map() } }, 'option "dpop.replayStore" must be an object with an add(jti, expiresAtMs) method'],
    [{ dpop: { nonce: 'on' } }, 'option "dpop.nonce" must be an object'],
    [{ dpop: { nonce: { ttlSec: 0.5 } } }, 'option "dpop.nonce.ttlSec" must be an integer >= 1 and <= 86400 (seconds)'],
    [{ dpop: { nonce: { secret: 'too short' } } }, 'option "dpop.nonce.secret" must be a string or bytes of at least 32 characters or bytes'],
    [{ dpop: { nonce: { ttl: 60 } } }, 'option "dpop.nonce.ttl" is not a known option'],
    [{ dpop: { publicOrigin: 'https://api.example.com/v1' } }, 'option "dpop.publicOrigin" must be an http(s) origin'],
    [{ dpop: { publicOrigin: 'api.example.com' } }, 'option "dpop.publicOrigin" must be an http(s) origin'],
    [{ mtls: true }, 'option "mtls" must be an object'],
    [{ mtls: { getCertificate: 'x-client-cert' } }, 'option "mtls.getCertificate" must be a function'],
    [{ mtls: { required: 1 } }, 'option "mtls.required" must be a boolean'],
  ])('refuses %j', (extra, message) => {
    expect(create(extra)).toThrow(TypeError);
    expect(create(extra)).toThrow(`bearer-guard: ${message}`);
  });

  it.each([
    { dpop: {} },
    { dpop: { required: true, algorithms: ['ES256', 'EdDSA'], proofMaxAgeSec: 60, nonce: true, publicOrigin: 'https://API.example.com:443/' } },
    { dpop: { nonce: { ttlSec: 30, secret: Buffer.alloc(32, 7) }, replayStore: { add: () => true } } },
    { dpop: false, mtls: false },
    { mtls: {} },
    { mtls: { required: true, getCertificate: () => undefined } },
  ])('accepts %j', (extra) => {
    expect(create(extra)).not.toThrow();
  });
});
