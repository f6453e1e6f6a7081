/**
 * Stricter edges: an issuer URL with a query or a fragment is refused when the verifier is created (RFC 8414
 * §2); `requiredTokenType: 'at+jwt'` also enforces the claims of RFC 9068 §2.2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, isAuthError } from '../../src/index.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const ISSUER = 'https://login.example.com/';
const AUDIENCE = 'api://receipts';

describe('issuer identifiers', () => {
  it.each([
    ['a query', 'https://login.example.com/?tenant=a'],
    ['an empty query', 'https://login.example.com/?'],
    ['a fragment', 'https://login.example.com/#a'],
    ['a query, with jwksUri given', 'https://login.example.com/oauth?x=1'],
  ])('refuses an issuer URL with %s at creation', (_name, issuer) => {
    expect(() => createVerifier({ issuer, audience: AUDIENCE, jwksUri: 'https://login.example.com/jwks' })).toThrow(
      'bearer-guard: option "issuer" must not hold a query or a fragment (RFC 8414 §2)',
    );
  });

  it('accepts issuer URLs without query or fragment, and identifiers that are not http URLs', () => {
    expect(() => createVerifier({ issuer: [ISSUER, 'https://login.example.com/tenant/v2.0'], audience: AUDIENCE })).not.toThrow();
    expect(() => createVerifier({ issuer: 'urn:example:issuer?x', audience: AUDIENCE, jwksUri: 'https://login.example.com/jwks' })).not.toThrow();
  });
});

describe("requiredTokenType: 'at+jwt' and RFC 9068 §2.2", () => {
  let key: TestKey;
  beforeAll(async () => {
    key = await createTestKey('ES256');
  });
  const complete = { iss: ISSUER, aud: AUDIENCE, sub: 'payments', client_id: 'payments', jti: 'j-1' };
  const verifier = () => createVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk], requiredTokenType: 'at+jwt', cache: false });
  const mint = (claims: Record<string, unknown>) => signToken(key, claims, { header: { typ: 'at+jwt' } });

  async function reasonOf(token: string): Promise<string> {
    try {
      await verifier().verify(token);
      return 'accepted';
    } catch (error) {
      if (!isAuthError(error)) throw error;
      return error.reason;
    }
  }

  it('accepts an access token with every claim RFC 9068 §2.2 requires', async () => {
    expect(await reasonOf(await mint(complete))).toBe('accepted');
  });

  it.each(['sub', 'client_id', 'jti'])('refuses a token without %s as claim_missing', async (name) => {
    const claims: Record<string, unknown> = { ...complete };
    delete claims[name];
    expect(await reasonOf(await mint(claims))).toBe('claim_missing');
  });

  it.each([
    ['sub', 42],
    ['client_id', ['payments']],
    ['jti', null],
  ])('refuses a token whose %s is not a string as claim_invalid', async (name, value) => {
    expect(await reasonOf(await mint({ ...complete, [name]: value }))).toBe('claim_invalid');
  });

  it('refuses a token without iat as claim_missing', async () => {
    const token = await mint({ ...complete, iat: undefined });
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).not.toHaveProperty('iat');
    expect(await reasonOf(token)).toBe('claim_missing');
  });

  it('refuses a token without aud or exp, as every verifier does', async () => {
    const { aud: _aud, ...noAud } = complete;
    expect(await reasonOf(await mint(noAud))).toBe('audience_mismatch');
    expect(await reasonOf(await signToken(key, complete, { header: { typ: 'at+jwt' }, expiresIn: null }))).toBe('claim_missing');
  });

  it('leaves these claims alone without requiredTokenType', async () => {
    const plain = createVerifier({ issuer: ISSUER, audience: AUDIENCE, publicKeys: [key.jwk] });
    await expect(plain.verify(await signToken(key, { iss: ISSUER, aud: AUDIENCE }, { header: { typ: 'at+jwt' } }))).resolves.toBeDefined();
  });

  it('cannot be combined with audienceClaim client_id (RFC 9068 tokens carry aud)', () => {
    expect(() =>
      createVerifier({ issuer: ISSUER, audience: 'client', jwksUri: 'https://login.example.com/jwks', requiredTokenType: 'at+jwt', audienceClaim: 'client_id' }),
    ).toThrow('bearer-guard: option "requiredTokenType" cannot be "at+jwt" with audienceClaim "client_id": RFC 9068 access tokens carry aud');
  });
});
