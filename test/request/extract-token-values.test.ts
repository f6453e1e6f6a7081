/**
 * `extractToken()` given header values of any type, as a hand-built request of another framework may hold:
 * a 400 `invalid_request`, never a `TypeError`; and the same through `authenticate()` on a request object
 * built by hand.
 */
import { describe, expect, it } from 'vitest';
import { authenticate, extractToken, InvalidRequestError, type AuthRequest, type TokenRequest } from '../../src/index.js';

const VALUES: [string, unknown][] = [
  ['a number', 42],
  ['a boolean', true],
  ['null', null],
  ['an object', { scheme: 'Bearer', token: 'abc' }],
  ['a Buffer', Buffer.from('Bearer abc')],
  ['a function', () => 'Bearer abc'],
];

describe('extractToken: non-string Authorization values', () => {
  it.each(VALUES)('answers 400 authorization_malformed for %s', (_name, value) => {
    const request = { method: 'GET', url: '/', headers: { authorization: value } } as unknown as TokenRequest;
    let thrown: unknown;
    try {
      extractToken(request, { realm: 'receipts' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidRequestError);
    expect((thrown as InvalidRequestError).reason).toBe('authorization_malformed');
    expect((thrown as InvalidRequestError).headers['WWW-Authenticate']).toBe(
      'Bearer realm="receipts", error="invalid_request", error_description="The Authorization header is malformed"',
    );
  });

  it('answers 400 authorization_multiple for an array, as before', () => {
    expect(() => extractToken({ headers: { authorization: ['Bearer a', 'Bearer b'] } })).toThrow(InvalidRequestError);
  });

  it('passes a 400, never a TypeError, through authenticate() for a hand-built request', () => {
    const middleware = authenticate({ issuer: 'https://login.example.com/', audience: 'api://receipts', jwksUri: 'https://login.example.com/jwks' });
    const seen: unknown[] = [];
    const req = { method: 'GET', url: '/', headers: { authorization: 42 }, rawHeaders: [] } as unknown as AuthRequest;
    middleware(req, {} as never, (error) => seen.push(error));
    expect(seen).toHaveLength(1);
    expect((seen[0] as InvalidRequestError).status).toBe(400);
    expect((seen[0] as InvalidRequestError).reason).toBe('authorization_malformed');
  });
});
