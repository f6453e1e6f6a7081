/**
 * Token extraction (RFC 6750 §2) on plain request shapes: the header grammar, the opt-in query and form-body
 * locations, and every way a request is ambiguous or malformed.
 */
import { describe, expect, it } from 'vitest';
import { extractToken, InvalidRequestError, type ExtractTokenOptions, type TokenRequest } from '../../src/index.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwYXltZW50cyJ9.c2lnbmF0dXJl';
const FORM = 'application/x-www-form-urlencoded';

function req(fields: Partial<TokenRequest> & { authorization?: string | string[]; contentType?: string }): TokenRequest {
  const { authorization, contentType, headers, ...rest } = fields;
  return {
    method: 'GET',
    url: '/receipts',
    ...rest,
    headers: {
      ...headers,
      ...(authorization !== undefined ? { authorization } : {}),
      ...(contentType !== undefined ? { 'content-type': contentType } : {}),
    },
  };
}

/** The InvalidRequestError `fn` throws (fails when it throws anything else or nothing). */
function invalidRequest(fn: () => unknown): InvalidRequestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected an InvalidRequestError');
}

const ALL: ExtractTokenOptions = { query: true, body: true };

describe('extractToken: the Authorization header', () => {
  it('returns the token of a Bearer header', () => {
    expect(extractToken(req({ authorization: `Bearer ${JWT}` }))).toEqual({ token: JWT, location: 'header' });
  });

  it.each(['bearer', 'BEARER', 'BeArEr'])('treats the scheme %s case-insensitively', (scheme) => {
    expect(extractToken(req({ authorization: `${scheme} ${JWT}` }))?.token).toBe(JWT);
  });

  it('accepts several spaces between the scheme and the token', () => {
    expect(extractToken(req({ authorization: `Bearer  ${JWT}` }))?.token).toBe(JWT);
    expect(extractToken(req({ authorization: `Bearer     ${JWT}` }))?.token).toBe(JWT);
  });

  it('accepts every b64token character and trailing "=" padding', () => {
    const token = 'AZaz09-._~+/abc==';
    expect(extractToken(req({ authorization: `Bearer ${token}` }))?.token).toBe(token);
    expect(extractToken(req({ authorization: `Bearer ${JWT}=` }))?.token).toBe(`${JWT}=`);
  });

  it('returns undefined without an Authorization header', () => {
    expect(extractToken(req({}))).toBeUndefined();
  });

  it.each(['Basic cGF5bWVudHM6c2VjcmV0', `Token ${JWT}`, `DPoP ${JWT}`, `Bearer2 ${JWT}`, `Bearerx`, ''])(
    'returns undefined for the non-Bearer value "%s"',
    (authorization) => {
      expect(extractToken(req({ authorization }))).toBeUndefined();
    },
  );

  it('rejects a bare "Bearer" as token_empty', () => {
    const error = invalidRequest(() => extractToken(req({ authorization: 'Bearer' })));
    expect(error.reason).toBe('token_empty');
    expect(error.status).toBe(400);
    expect(error.headers['WWW-Authenticate']).toBe(
      'Bearer realm="api", error="invalid_request", error_description="The Bearer token is empty"',
    );
  });

  it('rejects "Bearer " followed only by spaces as token_empty', () => {
    expect(invalidRequest(() => extractToken(req({ authorization: 'Bearer   ' }))).reason).toBe('token_empty');
  });

  it.each([
    ['a tab after the scheme', `Bearer\t${JWT}`],
    ['a tab after the space', `Bearer \t${JWT}`],
    ['a dollar sign', 'Bearer a$b'],
    ['an inner space', 'Bearer a b'],
    ['a trailing space', `Bearer ${JWT} `],
    ['a comma', 'Bearer abc,def'],
    ['a quote', 'Bearer "abc"'],
    ['leading padding', 'Bearer =abc'],
    ['padding in the middle', 'Bearer ab=cd'],
    ['a non-ASCII letter', 'Bearer abcédef'],
    ['a non-Latin character', 'Bearer abc\u4e2ddef'],
    ['a NUL byte', 'Bearer abc\u0000def'],
    ['a second scheme', `Bearer Bearer ${JWT}`],
  ])('rejects %s as authorization_malformed', (_name, authorization) => {
    const error = invalidRequest(() => extractToken(req({ authorization })));
    expect(error.reason).toBe('authorization_malformed');
  });

  it('rejects an Authorization header given as an array (repeated lines)', () => {
    const error = invalidRequest(() => extractToken(req({ authorization: [`Bearer ${JWT}`, `Bearer ${JWT}`] })));
    expect(error.reason).toBe('authorization_multiple');
  });

  it('rejects repeated Authorization lines seen in rawHeaders, whatever their case', () => {
    const request = req({
      authorization: `Bearer ${JWT}`,
      rawHeaders: ['Host', 'api', 'Authorization', `Bearer ${JWT}`, 'AUTHORIZATION', 'Basic eA=='],
    });
    expect(invalidRequest(() => extractToken(request)).reason).toBe('authorization_multiple');
  });

  it('accepts a single Authorization line in rawHeaders', () => {
    const request = req({ authorization: `Bearer ${JWT}`, rawHeaders: ['authorization', `Bearer ${JWT}`, 'x-authorization', 'y'] });
    expect(extractToken(request)?.token).toBe(JWT);
  });

  it('uses the given realm in the 400 challenge', () => {
    const error = invalidRequest(() => extractToken(req({ authorization: 'Bearer a$b' }), { realm: 'receipts' }));
    expect(error.realm).toBe('receipts');
    expect(error.headers['WWW-Authenticate']).toBe(
      'Bearer realm="receipts", error="invalid_request", error_description="The Authorization header is malformed"',
    );
  });
});

describe('extractToken: the access_token query parameter', () => {
  it('returns a query token only when the query location is enabled', () => {
    const request = req({ url: `/receipts?access_token=${JWT}` });
    expect(extractToken(request)).toBeUndefined();
    expect(extractToken(request, { query: true })).toEqual({ token: JWT, location: 'query' });
  });

  it('decodes a percent-encoded query token', () => {
    const request = req({ url: `/receipts?x=1&access_token=${encodeURIComponent('abc+/=')}` });
    expect(extractToken(request, { query: true })?.token).toBe('abc+/=');
  });

  it('decodes a percent-encoded parameter name', () => {
    expect(extractToken(req({ url: `/receipts?access%5Ftoken=${JWT}` }), { query: true })?.token).toBe(JWT);
    expect(extractToken(req({ url: `/receipts?%61ccess_token=${JWT}` }), { query: true })?.token).toBe(JWT);
  });

  it('counts a percent-encoded parameter name as a second location', () => {
    const request = req({ authorization: `Bearer ${JWT}`, url: `/receipts?access%5Ftoken=${JWT}` });
    expect(invalidRequest(() => extractToken(request)).reason).toBe('token_multiple');
  });

  it('rejects a percent-encoded bracketed name', () => {
    expect(invalidRequest(() => extractToken(req({ url: '/r?access_token%5Bx%5D=y' }), { query: true })).reason).toBe(
      'token_parameter_invalid',
    );
  });

  it('ignores parameters that only resemble access_token', () => {
    expect(extractToken(req({ url: `/receipts?my_access_token=${JWT}&access_tokens=x` }), { query: true })).toBeUndefined();
  });

  it.each([
    ['a repeated parameter', '?access_token=a&access_token=b', 'token_multiple'],
    ['an empty parameter', '?access_token=', 'token_parameter_invalid'],
    ['a bracketed name', '?access_token[x]=y', 'token_parameter_invalid'],
    ['an array name', '?access_token[]=y', 'token_parameter_invalid'],
  ])('rejects %s', (_name, query, reason) => {
    expect(invalidRequest(() => extractToken(req({ url: `/receipts${query}` }), { query: true })).reason).toBe(reason);
  });

  it('rejects a repeated parameter even when the query location is not enabled', () => {
    expect(invalidRequest(() => extractToken(req({ url: '/r?access_token=a&access_token=b' }))).reason).toBe('token_multiple');
  });
});

describe('extractToken: the access_token form-body parameter', () => {
  const form = (body: unknown, extra: Partial<TokenRequest> & { contentType?: string } = {}): TokenRequest =>
    req({ method: 'POST', contentType: FORM, body, ...extra });

  it('returns a form-body token only when the body location is enabled', () => {
    const request = form({ access_token: JWT });
    expect(extractToken(request)).toBeUndefined();
    expect(extractToken(request, { body: true })).toEqual({ token: JWT, location: 'body' });
  });

  it('accepts a form content type with parameters, in any case', () => {
    expect(extractToken(form({ access_token: JWT }, { contentType: 'Application/X-WWW-Form-Urlencoded; charset=UTF-8' }), { body: true })?.token).toBe(JWT);
  });

  it.each(['PUT', 'PATCH', 'DELETE'])('accepts a form-body token on %s', (method) => {
    expect(extractToken(form({ access_token: JWT }, { method }), { body: true })?.token).toBe(JWT);
  });

  it.each(['GET', 'HEAD', 'get'])('does not take a form-body token on %s', (method) => {
    expect(extractToken(form({ access_token: JWT }, { method }), { body: true })).toBeUndefined();
  });

  it('does not take a token from a JSON body', () => {
    const request = form({ access_token: JWT }, { contentType: 'application/json' });
    expect(extractToken(request, { body: true })).toBeUndefined();
  });

  it('does not take a token from a multipart body', () => {
    const request = form({ access_token: JWT }, { contentType: 'multipart/form-data; boundary=x' });
    expect(extractToken(request, { body: true })).toBeUndefined();
  });

  it('does not take a token from a body without a content type', () => {
    const request: TokenRequest = { method: 'POST', url: '/', headers: {}, body: { access_token: JWT } };
    expect(extractToken(request, { body: true })).toBeUndefined();
  });

  it('ignores an access_token inherited from the prototype', () => {
    const body = Object.create({ access_token: JWT }) as object;
    expect(extractToken(form(body), { body: true })).toBeUndefined();
  });

  it('ignores a body that is not an object', () => {
    expect(extractToken(form(`access_token=${JWT}`), { body: true })).toBeUndefined();
    expect(extractToken(form(null), { body: true })).toBeUndefined();
  });

  it.each([
    ['an array (repeated parameter)', [JWT, JWT], 'token_multiple'],
    ['an empty string', '', 'token_parameter_invalid'],
    ['an object', { x: JWT }, 'token_parameter_invalid'],
    ['a number', 42, 'token_parameter_invalid'],
  ])('rejects a form parameter that is %s', (_name, value, reason) => {
    expect(invalidRequest(() => extractToken(form({ access_token: value }), { body: true })).reason).toBe(reason);
  });
});

describe('extractToken: more than one location', () => {
  it.each<[string, Partial<TokenRequest> & { authorization?: string; contentType?: string }]>([
    ['header and query', { authorization: `Bearer ${JWT}`, url: `/r?access_token=${JWT}` }],
    ['header and body', { authorization: `Bearer ${JWT}`, method: 'POST', contentType: FORM, body: { access_token: JWT } }],
    ['query and body', { url: `/r?access_token=${JWT}`, method: 'POST', contentType: FORM, body: { access_token: JWT } }],
  ])('rejects a token in the %s, whether or not those locations are enabled', (_name, fields) => {
    for (const options of [{}, { query: true }, { body: true }, ALL]) {
      expect(invalidRequest(() => extractToken(req(fields), options)).reason).toBe('token_multiple');
    }
  });

  it('rejects a header token plus a query token even when the two differ', () => {
    const request = req({ authorization: `Bearer ${JWT}`, url: '/r?access_token=other' });
    expect(invalidRequest(() => extractToken(request, ALL)).reason).toBe('token_multiple');
  });

  it('counts a non-Bearer header as no location', () => {
    const request = req({ authorization: 'Basic eDp5', url: `/r?access_token=${JWT}` });
    expect(extractToken(request, ALL)).toEqual({ token: JWT, location: 'query' });
  });
});
