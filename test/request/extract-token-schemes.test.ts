/**
 * The `DPoP` (RFC 9449 §7.1) and `MTLS_POP` schemes in token extraction: accepted, in any case, only where the
 * verifier checks them (otherwise another scheme: no credentials), with the Bearer grammar, and never beside
 * a token in another place.
 */
import { describe, expect, it } from 'vitest';
import { extractToken, InvalidRequestError, type TokenRequest } from '../../src/index.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXltZW50cyJ9.c2lnbmF0dXJl';
const req = (authorization: string, url = '/receipts'): TokenRequest => ({ method: 'GET', url, headers: { authorization } });

describe('extractToken: proof-of-possession schemes', () => {
  it.each(['DPoP', 'dpop', 'DPOP'])('returns the token of the %s scheme where DPoP is accepted, naming the scheme', (scheme) => {
    expect(extractToken(req(`${scheme} ${JWT}`), { dpop: true })).toEqual({ token: JWT, location: 'header', scheme: 'DPoP' });
  });

  it.each(['MTLS_POP', 'mtls_pop'])('returns the token of the %s scheme where certificate binding is accepted', (scheme) => {
    expect(extractToken(req(`${scheme} ${JWT}`), { mtlsPop: true })).toEqual({ token: JWT, location: 'header', scheme: 'MTLS_POP' });
  });

  it('leaves the scheme out for Bearer tokens, wherever they come from', () => {
    expect(extractToken(req(`Bearer ${JWT}`), { dpop: true, mtlsPop: true })).toEqual({ token: JWT, location: 'header' });
    expect(extractToken({ url: `/r?access_token=${JWT}`, headers: {} }, { query: true, dpop: true })).toEqual({ token: JWT, location: 'query' });
  });

  it('counts DPoP and MTLS_POP as no credentials where they are not accepted', () => {
    expect(extractToken(req(`DPoP ${JWT}`))).toBeUndefined();
    expect(extractToken(req(`MTLS_POP ${JWT}`), { dpop: true })).toBeUndefined();
    expect(extractToken(req(`DPoP ${JWT}`), { mtlsPop: true })).toBeUndefined();
  });

  it.each([
    ['DPoP', 'token_empty'],
    ['DPoP   ', 'token_empty'],
    [`DPoP\t${JWT}`, 'authorization_malformed'],
    [`DPoP ${JWT}"`, 'authorization_malformed'],
    [`MTLS_POP a,b`, 'authorization_malformed'],
  ])('answers 400 invalid_request to %j', (value, reason) => {
    let error: unknown;
    try {
      extractToken(req(value), { dpop: true, mtlsPop: true });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).reason).toBe(reason);
  });

  it('answers 400 token_multiple to a DPoP token beside a query token', () => {
    expect(() => extractToken(req(`DPoP ${JWT}`, `/r?access_token=${JWT}`), { dpop: true })).toThrow(InvalidRequestError);
  });
});
