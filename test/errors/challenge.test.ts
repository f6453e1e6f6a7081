/**
 * The `WWW-Authenticate` builder's further auth-params (`resource_metadata` and any later one), and the
 * errors that carry them: order, quoting, and what is left out so that a challenge stays RFC 6750 syntax.
 */
import { describe, expect, it } from 'vitest';
import { isAuthParamName, toChallenge, type AuthParam } from '../../src/errors/challenge.js';
import {
  AuthenticationRequiredError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  KeysUnavailableError,
  MissingTokenError,
} from '../../src/index.js';

const METADATA = 'https://mcp.example.com/.well-known/oauth-protected-resource/mcp';
const RESOURCE_METADATA: AuthParam = ['resource_metadata', METADATA];

describe('toChallenge() auth-params', () => {
  it('writes further auth-params after realm, error, description and scope, in the order given', () => {
    expect(
      toChallenge({
        realm: 'api',
        error: 'insufficient_scope',
        description: 'The access token lacks a required scope',
        scope: ['files:read', 'files:write'],
        authParams: [RESOURCE_METADATA, ['max_age', '300']],
      }),
    ).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", ' +
        `scope="files:read files:write", resource_metadata="${METADATA}", max_age="300"`,
    );
  });

  it('writes a bare challenge with only the realm and the auth-params', () => {
    expect(toChallenge({ realm: 'api', authParams: [RESOURCE_METADATA] })).toBe(`Bearer realm="api", resource_metadata="${METADATA}"`);
  });

  it('writes the challenge as before when there are none', () => {
    expect(toChallenge({ realm: 'api', authParams: [] })).toBe('Bearer realm="api"');
    expect(toChallenge({ realm: 'api', error: 'invalid_token' })).toBe('Bearer realm="api", error="invalid_token"');
  });

  it.each<[string, AuthParam]>([
    ['a name with a space', ['resource metadata', 'x']],
    ['a name with "="', ['a=b', 'x']],
    ['an empty name', ['', 'x']],
    ['a name with a quote', ['a"b', 'x']],
    ['a non-ASCII name', ['métadonnée', 'x']],
    ['the built-in realm', ['realm', 'other']],
    ['the built-in error, in another case', ['ERROR', 'invalid_token']],
    ['the built-in error_description', ['error_description', 'x']],
    ['the built-in scope', ['Scope', 'admin']],
  ])('leaves out %s', (_name, param) => {
    expect(toChallenge({ realm: 'api', authParams: [param, RESOURCE_METADATA] })).toBe(
      `Bearer realm="api", resource_metadata="${METADATA}"`,
    );
  });

  it('keeps the first of two params named alike, whatever their case', () => {
    expect(toChallenge({ realm: 'api', authParams: [RESOURCE_METADATA, ['Resource_Metadata', 'https://evil.example/']] })).toBe(
      `Bearer realm="api", resource_metadata="${METADATA}"`,
    );
  });

  it('leaves out params that are not pairs of strings', () => {
    const odd = [[42, 'x'], ['n', 42], ['resource_metadata']] as unknown as AuthParam[];
    expect(toChallenge({ realm: 'api', authParams: [...odd, ['n', 'v']] })).toBe('Bearer realm="api", n="v"');
  });

  it('strips from values what a quoted string may not hold', () => {
    expect(toChallenge({ realm: 'api', authParams: [['resource_metadata', 'https://x/"a\\b\r\n\u00e9']] })).toBe(
      'Bearer realm="api", resource_metadata="https://x/ab"',
    );
  });

  it.each([
    ['resource_metadata', true],
    ['max_age', true],
    ["a!#$%&'*+.^_`|~-9", true],
    ['realm', false],
    ['Scope', false],
    ['a b', false],
    ['', false],
  ])('isAuthParamName(%j) is %s', (name, expected) => {
    expect(isAuthParamName(name)).toBe(expected);
  });
});

describe('errors with auth-params', () => {
  const authParams = [RESOURCE_METADATA];

  it.each([
    ['MissingTokenError', () => new MissingTokenError('token_missing', { authParams }), `Bearer realm="api", resource_metadata="${METADATA}"`],
    [
      'AuthenticationRequiredError',
      () => new AuthenticationRequiredError({ realm: 'files', authParams }),
      `Bearer realm="files", resource_metadata="${METADATA}"`,
    ],
    [
      'InvalidTokenError',
      () => new InvalidTokenError('token_expired', { authParams }),
      `Bearer realm="api", error="invalid_token", error_description="The access token expired", resource_metadata="${METADATA}"`,
    ],
    [
      'InvalidRequestError',
      () => new InvalidRequestError('token_multiple', { authParams }),
      'Bearer realm="api", error="invalid_request", error_description="The access token was sent in more than one way", ' +
        `resource_metadata="${METADATA}"`,
    ],
    [
      'InsufficientScopeError',
      () => new InsufficientScopeError('scope_missing', { scope: ['files:write'], authParams }),
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", ' +
        `scope="files:write", resource_metadata="${METADATA}"`,
    ],
  ])('%s writes them into its challenge and keeps them, frozen', (_name, make, challenge) => {
    const error = make();
    expect(error.headers['WWW-Authenticate']).toBe(challenge);
    expect(error.authParams).toEqual([RESOURCE_METADATA]);
    expect(Object.isFrozen(error.authParams)).toBe(true);
    expect(Object.isFrozen(error.authParams[0])).toBe(true);
  });

  it('copies the given list, so that changing it afterwards changes nothing', () => {
    const given: [string, string][] = [['resource_metadata', METADATA]];
    const error = new InvalidTokenError('token_expired', { authParams: given });
    given[0]![1] = 'https://evil.example/';
    given.push(['other', 'x']);
    expect(error.authParams).toEqual([RESOURCE_METADATA]);
  });

  it('has none by default', () => {
    expect(new InvalidTokenError('token_expired').authParams).toEqual([]);
    expect(new MissingTokenError().headers['WWW-Authenticate']).toBe('Bearer realm="api"');
  });

  it('answers a 503 without a challenge even with auth-params', () => {
    const error = new KeysUnavailableError('jwks_unavailable', { authParams });
    expect(error.headers).toEqual({ 'Retry-After': '5' });
  });
});
