/**
 * Catalogue family "claims" (CL-01 to CL-13, PV-06, PV-09, HD-06): time claims of every JSON type, issuer
 * and audience look-alikes, scope and role claims of unexpected shapes, prototype keys in the payload, ID
 * tokens and encrypted tokens presented as access tokens. The signature is always genuine, so only the claim
 * rule under test can reject. The clock is frozen with a fake `Date`.
 */
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate, requireRoles, requireScopes, rfc9068 } from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  b64url,
  signRaw,
  signToken,
  useSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
} from './support.js';

/** The frozen "now", in seconds. */
const NOW = 1_900_000_000;

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

/** The JSON members (without braces) of a valid payload, minus those named in `without`. */
function members(without: string[] = []): string {
  const base: Record<string, unknown> = { iss: issuer.url, aud: AUDIENCE, sub: 'svc', iat: NOW, exp: NOW + 300 };
  for (const name of without) delete base[name];
  return JSON.stringify(base).slice(1, -1);
}

/** A genuine RS256 token over the exact payload text `{<members>,<extra>}`. */
function tokenWith(extra: string, without: string[] = []): string {
  const body = [members(without), extra].filter((part) => part !== '').join(',');
  return signRaw(JSON.stringify({ alg: 'RS256', kid: ring.rs256.kid }), `{${body}}`, ring.rs256);
}

describe('CL-01, CL-04 and CL-05 time claims', () => {
  it.each<[string, string, string[], string]>([
    ['exp missing', '', ['exp'], '401 claim_missing'],
    ['exp as a numeric string', '"exp":"9999999999"', ['exp'], '401 claim_invalid'],
    ['exp true', '"exp":true', ['exp'], '401 claim_invalid'],
    ['exp null', '"exp":null', ['exp'], '401 claim_invalid'],
    ['exp an array', `"exp":[${NOW + 300}]`, ['exp'], '401 claim_invalid'],
    ['exp an object', `"exp":{"value":${NOW + 300}}`, ['exp'], '401 claim_invalid'],
    ['exp 1e400 (Infinity once parsed)', '"exp":1e400', ['exp'], '401 claim_invalid'],
    ['exp -1e400', '"exp":-1e400', ['exp'], '401 claim_invalid'],
    ['exp negative', '"exp":-1', ['exp'], '401 token_expired'],
    ['exp 0', '"exp":0', ['exp'], '401 token_expired'],
    ['exp fractional, in the future', `"exp":${NOW + 0.5}`, ['exp'], 'ok'],
    ['exp fractional, past the tolerance', `"exp":${NOW - 60.5}`, ['exp'], '401 token_expired'],
    ['exp huge but finite', '"exp":1e300', ['exp'], 'ok'],
    ['nbf as a string', `"nbf":"${NOW}"`, [], '401 claim_invalid'],
    ['nbf 1e400', '"nbf":1e400', [], '401 claim_invalid'],
    ['nbf -1e400', '"nbf":-1e400', [], '401 claim_invalid'],
    ['nbf beyond the tolerance', `"nbf":${NOW + 61}`, [], '401 token_not_yet_valid'],
    ['nbf within the tolerance', `"nbf":${NOW + 60}`, [], 'ok'],
    ['iat as a string', `"iat":"${NOW}"`, ['iat'], '401 claim_invalid'],
    ['iat 1e400', '"iat":1e400', ['iat'], '401 claim_invalid'],
    ['iat far in the future', `"iat":${NOW + 86_400}`, ['iat'], '401 token_issued_in_future'],
    ['iat beyond the tolerance', `"iat":${NOW + 61}`, ['iat'], '401 token_issued_in_future'],
    ['iat negative', '"iat":-1', ['iat'], 'ok'],
    ['iat missing', '', ['iat'], 'ok'],
  ])('judges a token with %s: %s', async (_name, extra, without, expected) => {
    expect(await verdict(verifierOf(issuer), tokenWith(extra, without))).toBe(expected);
  });

  it('requires iat and rejects old tokens once maxTokenAge is set', async () => {
    const verifier = verifierOf(issuer, { maxTokenAge: 600 });
    expect(await verdict(verifier, tokenWith('', ['iat']))).toBe('401 claim_missing');
    expect(await verdict(verifier, tokenWith(`"iat":${NOW - 661}`, ['iat']))).toBe('401 token_too_old');
    expect(await verdict(verifier, tokenWith(`"iat":${NOW - 600}`, ['iat']))).toBe('ok');
  });
});

describe('CL-06 and CL-07 issuer exactness and type', () => {
  const variants = (): [string, string][] => {
    const url = new URL(issuer.url);
    return [
      ['with a trailing slash', `${issuer.url}/`],
      ['upper-cased', issuer.url.toUpperCase()],
      ['upper-cased path only', `${url.origin}${url.pathname.toUpperCase()}`],
      ['over https', issuer.url.replace('http:', 'https:')],
      ['with an extra path segment', `${issuer.url}/extra`],
      ['as a prefix of a longer host', issuer.url.replace('127.0.0.1', '127.0.0.1.evil.example')],
      ['truncated (a substring)', issuer.url.slice(0, -1)],
      ['with a fragment', `${issuer.url}#`],
      ['with a query', `${issuer.url}?`],
      ['with a trailing space', `${issuer.url} `],
      ['with a percent-encoded path', issuer.url.replace('/security', '/%73ecurity')],
      ['with a Cyrillic look-alike letter', issuer.url.replace('security', 'ѕecurity')],
      ['as localhost instead of 127.0.0.1', issuer.url.replace('127.0.0.1', 'localhost')],
    ];
  };

  it('rejects every near miss of the configured issuer as issuer_mismatch', async () => {
    for (const [name, iss] of variants()) {
      const token = await signToken(ring.rs256, { iss, aud: AUDIENCE }, { now: NOW });
      expect(`${name}: ${await verdict(verifierOf(issuer), token)}`).toBe(`${name}: 401 issuer_mismatch`);
    }
  });

  it.each<[string, string]>([
    ['an array holding an evil and the good issuer', '"iss":["https://evil.example","<good>"]'],
    ['an array holding only the good issuer', '"iss":["<good>"]'],
    ['a number', '"iss":1'],
    ['null', '"iss":null'],
    ['an object', '"iss":{"value":"<good>"}'],
    ['missing', ''],
  ])('rejects an iss that is %s as issuer_mismatch', async (_name, extra) => {
    const token = tokenWith(extra.replaceAll('<good>', issuer.url), ['iss']);
    expect(await verdict(verifierOf(issuer), token)).toBe('401 issuer_mismatch');
  });
});

describe('CL-08 audience', () => {
  it.each<[string, string, string]>([
    ['the configured string', `"aud":"${AUDIENCE}"`, 'ok'],
    ['an array that contains it among others', `"aud":["api://other","${AUDIENCE}",7]`, 'ok'],
    ['an array without it', '"aud":["api://other"]', '401 audience_mismatch'],
    ['an empty array', '"aud":[]', '401 audience_mismatch'],
    ['an array of an empty string', '"aud":[""]', '401 audience_mismatch'],
    ['an array of odd values', '"aud":[123,{},null,true]', '401 audience_mismatch'],
    ['an array nesting it', `"aud":[["${AUDIENCE}"]]`, '401 audience_mismatch'],
    ['an object holding it', `"aud":{"0":"${AUDIENCE}","length":1}`, '401 audience_mismatch'],
    ['an empty string', '"aud":""', '401 audience_mismatch'],
    ['null', '"aud":null', '401 audience_mismatch'],
    ['missing', '', '401 audience_mismatch'],
    ['a prefix of it', `"aud":"${AUDIENCE.slice(0, -1)}"`, '401 audience_mismatch'],
    ['it with a suffix', `"aud":"${AUDIENCE}/"`, '401 audience_mismatch'],
    ['it upper-cased', `"aud":"${AUDIENCE.toUpperCase()}"`, '401 audience_mismatch'],
  ])('judges an aud that is %s', async (_name, extra, expected) => {
    expect(await verdict(verifierOf(issuer), tokenWith(extra, ['aud']))).toBe(expected);
  });

  it('cannot be probed with a forged token: a bad signature is reported before a wrong audience', async () => {
    const forged = await signToken(ring.attacker, { iss: issuer.url, aud: 'api://guessed' }, { now: NOW, header: { kid: ring.rs256.kid } });
    expect(await verdict(verifierOf(issuer), forged)).toBe('401 signature_invalid');
  });
});

describe('CL-09 RFC 9068 claims', () => {
  it('requires typ at+jwt and the claims of RFC 9068 §2.2 (sub, client_id, jti as strings; iat) under the rfc9068 preset', async () => {
    const verifier = verifierOf(issuer, { ...rfc9068({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri }), cache: false });
    const bare = { iss: issuer.url, aud: AUDIENCE };
    const complete = { ...bare, sub: 'payments', client_id: 'payments', jti: 'j-1' };
    expect(await verdict(verifier, await signToken(ring.rs256, complete, { now: NOW, header: { typ: 'at+jwt' } }))).toBe('ok');
    expect(await verdict(verifier, await signToken(ring.rs256, bare, { now: NOW, header: { typ: 'at+jwt' } }))).toBe('401 claim_missing');
    expect(await verdict(verifier, await signToken(ring.rs256, { ...complete, jti: 7 as unknown as string }, { now: NOW, header: { typ: 'at+jwt' } }))).toBe('401 claim_invalid');
    expect(await verdict(verifier, await signToken(ring.rs256, complete, { now: NOW }))).toBe('401 token_type_invalid');
    expect(await verdict(verifier, await signToken(ring.rs256, complete, { now: NOW, header: { typ: 'JWT' } }))).toBe('401 token_type_invalid');
  });
});

describe('PV-06 an ID token presented as an access token', () => {
  const idToken = (header: Record<string, unknown> = {}): Promise<string> =>
    signToken(ring.rs256, { iss: issuer.url, aud: AUDIENCE, sub: 'user-1', nonce: 'n-0S6_WzA2Mj', auth_time: NOW }, { now: NOW, header });

  it('rejects it as token_type_invalid when at+jwt is required', async () => {
    const verifier = verifierOf(issuer, { requiredTokenType: 'at+jwt' });
    expect(await verdict(verifier, await idToken())).toBe('401 token_type_invalid');
    expect(await verdict(verifier, await idToken({ typ: 'JWT' }))).toBe('401 token_type_invalid');
  });

  it('rejects it as audience_mismatch when its aud is the client, as OpenID Connect requires', async () => {
    const token = await signToken(ring.rs256, { iss: issuer.url, aud: 'client-app', sub: 'user-1', nonce: 'n' }, { now: NOW });
    expect(await verdict(verifierOf(issuer), token)).toBe('401 audience_mismatch');
  });

  it('accepts it in the default mode when its aud is the API, but with no scope and no role, so guards answer 403', async () => {
    const auth = await verifierOf(issuer).verify(await idToken());
    expect(auth.scopes).toEqual([]);
    expect(auth.roles).toEqual([]);
  });
});

describe('PV-09 and RX-03, RX-04 encrypted tokens', () => {
  it.each<[string, Record<string, unknown>]>([
    ['RSA-OAEP-256 with A256GCM', { alg: 'RSA-OAEP-256', enc: 'A256GCM', typ: 'at+jwt' }],
    ['PBES2 with 2^31 - 1 iterations', { alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_147_483_647, p2s: 'c2FsdHNhbHQ' }],
    ['a DEFLATE-compressed payload', { alg: 'dir', enc: 'A256GCM', zip: 'DEF' }],
  ])('rejects a five-segment JWE (%s) as token_encrypted without decrypting anything', async (_name, header) => {
    const token = `${b64url(header)}.${b64url('k'.repeat(40))}.${b64url('iv-iv-iv-iv')}.${b64url('c'.repeat(3000))}.${b64url('tag')}`;
    expect(await verdict(verifierOf(issuer), token)).toBe('401 token_encrypted');
  });
});

describe.each(FRAMEWORKS)('CL-10 to CL-13 scopes, roles and prototype keys on $name', ({ build }) => {
  const routes = () => {
    const guard = authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    return build([
      { path: '/read', chain: [guard, requireScopes('read')] },
      { path: '/admin', chain: [guard, requireRoles('admin')] },
    ]);
  };
  const forbidden = (scope: string) =>
    `Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required ${scope === 'read' ? 'scope' : 'role'}", scope="${scope}"`;

  it.each<[string, string, string, number]>([
    ['scope "read write"', '"scope":"read write"', '/read', 200],
    ['scope "read  write" (two spaces)', '"scope":"read  write"', '/read', 200],
    ['scope "Read"', '"scope":"Read"', '/read', 403],
    ['scope "read:all"', '"scope":"read:all"', '/read', 403],
    ['scope with a tab "read\\twrite"', '"scope":"read\\twrite"', '/read', 403],
    ['scp ["read"]', '"scp":["read"]', '/read', 200],
    ['scp ["read write"] (a space inside one array item)', '"scp":["read write"]', '/read', 403],
    ['scp [["read"]] (a nested array)', '"scp":[["read"]]', '/read', 403],
    ['scope 7', '"scope":7', '/read', 403],
    ['scope {} ', '"scope":{}', '/read', 403],
    ['scp {"includes":1}', '"scp":{"includes":1}', '/read', 403],
    ['scope {"0":"read","length":1}', '"scope":{"0":"read","length":1}', '/read', 403],
    ['roles "admin" (one string)', '"roles":"admin"', '/admin', 200],
    ['roles ["Admin"]', '"roles":["Admin"]', '/admin', 403],
    ['roles [1,null,{}]', '"roles":[1,null,{}]', '/admin', 403],
    ['roles {"length":1,"0":"admin"}', '"roles":{"length":1,"0":"admin"}', '/admin', 403],
    ['realm_access.roles ["admin"] (not mapped by default)', '"realm_access":{"roles":["admin"]}', '/admin', 403],
    ['__proto__ {"roles":["admin"]}', '"__proto__":{"roles":["admin"],"scope":"read"}', '/admin', 403],
    ['__proto__ {"scope":"read"}', '"__proto__":{"roles":["admin"],"scope":"read"}', '/read', 403],
    ['constructor.prototype.roles', '"constructor":{"prototype":{"roles":["admin"]}}', '/admin', 403],
  ])('answers a token with %s', async (_name, extra, path, status) => {
    const token = tokenWith(extra);
    const res = await request(routes()).get(path).set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(status);
    if (status === 403) expect(res.headers['www-authenticate']).toBe(forbidden(path === '/read' ? 'read' : 'admin'));
    expect(Object.prototype).not.toHaveProperty('roles');
    expect(Object.prototype).not.toHaveProperty('scope');
    expect(({} as Record<string, unknown>).roles).toBeUndefined();
  });

  it('exposes __proto__ members as plain data on req.auth, without touching any prototype', async () => {
    let seen: { payload: Record<string, unknown>; roles: readonly string[] } | undefined;
    const guard = authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri });
    const app = build([
      {
        path: '/peek',
        chain: [
          guard,
          (req, _res, next) => {
            seen = req.auth === undefined ? undefined : { payload: req.auth.payload, roles: req.auth.roles };
            next();
          },
        ],
      },
    ]);
    const token = tokenWith('"__proto__":{"roles":["admin"],"isAdmin":true}');
    expect((await request(app).get('/peek').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    expect(seen).toBeDefined();
    expect(Object.getPrototypeOf(seen!.payload)).toBe(Object.prototype);
    expect(Object.hasOwn(seen!.payload, '__proto__')).toBe(true);
    expect((seen!.payload as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(seen!.roles).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });
});

describe('HD-06 and prototype keys in the header', () => {
  it('rejects a header whose only alg hides under __proto__ as header_invalid', async () => {
    const token = signRaw(`{"__proto__":{"alg":"RS256"},"kid":${JSON.stringify(ring.rs256.kid)}}`, `{${members()}}`, ring.rs256);
    expect(await verdict(verifierOf(issuer), token)).toBe('401 header_invalid');
  });

  it('rejects typ values that name other kinds of token as token_type_invalid', async () => {
    for (const typ of ['dpop+jwt', 'logout+jwt', 'secevent+jwt', 'id_token+jwt', 'JWE', 1, null, ['JWT']]) {
      const token = await signToken(ring.rs256, { iss: issuer.url, aud: AUDIENCE }, { now: NOW, header: { typ } });
      expect(`${JSON.stringify(typ)}: ${await verdict(verifierOf(issuer), token)}`).toBe(`${JSON.stringify(typ)}: 401 token_type_invalid`);
    }
  });
});

describe('SC-01, SC-06 and SC-08 sender-constrained tokens where no binding is configured (refused)', () => {
  it('refuses a DPoP-bound or certificate-bound token presented as a plain Bearer token', async () => {
    for (const cnf of [
      { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' },
      { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' },
      {},
    ]) {
      const token = await signToken(ring.rs256, { iss: issuer.url, aud: AUDIENCE, cnf }, { now: NOW });
      expect(await verdict(verifierOf(issuer), token)).toBe('401 token_sender_constrained');
    }
  });

  it('never reads a client-certificate header a client may forge', async () => {
    const app = FRAMEWORKS[0]!.build([{ path: '/r', chain: [authenticate({ issuer: issuer.url, audience: AUDIENCE, jwksUri: issuer.jwksUri })] }]);
    const res = await request(app).get('/r').set('X-Forwarded-Client-Cert', 'Hash=abc;Subject="CN=admin"').set('X-SSL-Client-Cert', 'forged');
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="api"');
  });
});
