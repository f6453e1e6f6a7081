/**
 * Claim rules of createVerifier: time claims and their tolerance, issuer and audience exactness, the shapes
 * of scope, role, client and tenant claims, and the `typ` header. The clock is frozen with fake `Date`.
 */
import { CompactSign } from 'jose';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  authenticate,
  createVerifier,
  InvalidTokenError,
  requireRoles,
  requireScopes,
  type AuthInfo,
  type VerifierOptions,
} from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';

const AUDIENCE = 'api://receipts';
/** The frozen "now", in seconds since the epoch. */
const NOW = 1_900_000_000;

let server: IssuerServer;
let key: TestKey;

beforeAll(async () => {
  key = await createTestKey('RS256');
  server = await startIssuerServer({ keys: [key.jwk] });
});
afterAll(async () => server.close());

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW * 1000);
});
afterEach(() => {
  vi.useRealTimers();
});

function verifier(options: Partial<VerifierOptions> = {}) {
  return createVerifier({ issuer: server.url, audience: AUDIENCE, jwksUri: server.jwksUri, ...options });
}

/** A token signed at {@link NOW} with `claims` over a valid base (exp now+300). */
function mint(claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}): Promise<string> {
  return signToken(key, { iss: server.url, aud: AUDIENCE, ...claims }, { now: NOW, header });
}

/** A token whose payload is the exact JSON text given (for values JSON.stringify cannot produce). */
function mintRaw(payloadJson: string): Promise<string> {
  return new CompactSign(new TextEncoder().encode(payloadJson))
    .setProtectedHeader({ alg: key.alg, kid: key.kid })
    .sign(key.privateKey);
}

/** The reason `promise` rejects with, failing unless it is an InvalidTokenError. */
async function rejectionReason(promise: Promise<AuthInfo>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTokenError);
    const invalid = error as InvalidTokenError;
    expect(invalid.status).toBe(401);
    return invalid.reason;
  }
  throw new Error('the token was accepted');
}

describe('exp', () => {
  const lenient = () => verifier(); // default tolerance: 60 s
  const strict = () => verifier({ clockTolerance: 0 });

  it('rejects a token that expired long ago as token_expired', async () => {
    expect(await rejectionReason(lenient().verify(await mint({ exp: NOW - 3600 })))).toBe('token_expired');
  });

  it('rejects exp = now - tolerance - 1 as token_expired', async () => {
    expect(await rejectionReason(lenient().verify(await mint({ exp: NOW - 61 })))).toBe('token_expired');
  });

  it('rejects exp = now - tolerance as token_expired', async () => {
    expect(await rejectionReason(lenient().verify(await mint({ exp: NOW - 60 })))).toBe('token_expired');
  });

  it('accepts exp = now - tolerance + 1', async () => {
    const auth = await lenient().verify(await mint({ exp: NOW - 59 }));
    expect(auth.expiresAt.getTime()).toBe((NOW - 59) * 1000);
  });

  it('rejects exp = now with no tolerance as token_expired', async () => {
    expect(await rejectionReason(strict().verify(await mint({ exp: NOW })))).toBe('token_expired');
  });

  it('accepts exp = now + 1 with no tolerance', async () => {
    await expect(strict().verify(await mint({ exp: NOW + 1 }))).resolves.toMatchObject({ issuer: server.url });
  });

  it('honours a custom tolerance in seconds', async () => {
    const v = verifier({ clockTolerance: 5 });
    expect(await rejectionReason(v.verify(await mint({ exp: NOW - 5 })))).toBe('token_expired');
    await expect(v.verify(await mint({ exp: NOW - 4 }))).resolves.toBeDefined();
  });

  it('judges a fractional exp by its value', async () => {
    const auth = await strict().verify(await mint({ exp: NOW + 0.5 }));
    expect(auth.expiresAt.getTime()).toBe((NOW + 0.5) * 1000);
    expect(await rejectionReason(strict().verify(await mint({ exp: NOW - 0.5 })))).toBe('token_expired');
  });

  it('rejects a token without exp as claim_missing', async () => {
    const token = await signToken(key, { iss: server.url, aud: AUDIENCE }, { now: NOW, expiresIn: null });
    expect(await rejectionReason(lenient().verify(token))).toBe('claim_missing');
  });

  it.each([
    ['a numeric string', '"1900000300"'],
    ['null', 'null'],
    ['a boolean', 'true'],
    ['an array', '[1900000300]'],
    ['an object', '{"value":1900000300}'],
    ['1e400 (Infinity once parsed)', '1e400'],
    ['-1e400 (-Infinity once parsed)', '-1e400'],
  ])('rejects exp as %s as claim_invalid', async (_name, json) => {
    const token = await mintRaw(`{"iss":${JSON.stringify(server.url)},"aud":"${AUDIENCE}","exp":${json}}`);
    expect(await rejectionReason(lenient().verify(token))).toBe('claim_invalid');
  });

  it('expires a cached token when the clock passes its exp', async () => {
    const v = strict();
    const token = await mint({ exp: NOW + 10 });
    await expect(v.verify(token)).resolves.toBeDefined();
    vi.setSystemTime((NOW + 10) * 1000);
    expect(await rejectionReason(v.verify(token))).toBe('token_expired');
  });
});

describe('nbf and iat', () => {
  it('rejects nbf beyond the tolerance as token_not_yet_valid', async () => {
    expect(await rejectionReason(verifier().verify(await mint({ nbf: NOW + 61 })))).toBe('token_not_yet_valid');
  });

  it('accepts nbf within the tolerance', async () => {
    await expect(verifier().verify(await mint({ nbf: NOW + 60 }))).resolves.toBeDefined();
    await expect(verifier().verify(await mint({ nbf: NOW + 1 }))).resolves.toBeDefined();
  });

  it('accepts nbf = now with no tolerance and rejects nbf = now + 1', async () => {
    const v = verifier({ clockTolerance: 0 });
    await expect(v.verify(await mint({ nbf: NOW }))).resolves.toBeDefined();
    expect(await rejectionReason(v.verify(await mint({ nbf: NOW + 1 })))).toBe('token_not_yet_valid');
  });

  it('rejects iat beyond the tolerance as token_issued_in_future', async () => {
    expect(await rejectionReason(verifier().verify(await mint({ iat: NOW + 61 })))).toBe('token_issued_in_future');
  });

  it('accepts iat within the tolerance', async () => {
    await expect(verifier().verify(await mint({ iat: NOW + 60 }))).resolves.toBeDefined();
  });

  it.each([
    ['nbf', '"soon"'],
    ['nbf', '1e400'],
    ['iat', 'null'],
    ['iat', '1e400'],
  ])('rejects %s = %s as claim_invalid', async (name, json) => {
    const token = await mintRaw(`{"iss":${JSON.stringify(server.url)},"aud":"${AUDIENCE}","exp":${NOW + 300},"${name}":${json}}`);
    expect(await rejectionReason(verifier().verify(token))).toBe('claim_invalid');
  });

  it('accepts a token without iat when no maximum age is set', async () => {
    const token = await mintRaw(`{"iss":${JSON.stringify(server.url)},"aud":"${AUDIENCE}","exp":${NOW + 300}}`);
    await expect(verifier().verify(token)).resolves.toBeDefined();
  });
});

describe('maxTokenAge', () => {
  it('rejects a token older than maxTokenAge as token_too_old', async () => {
    const v = verifier({ maxTokenAge: 300, clockTolerance: 0 });
    expect(await rejectionReason(v.verify(await mint({ iat: NOW - 301, exp: NOW + 300 })))).toBe('token_too_old');
  });

  it('accepts a token exactly maxTokenAge old', async () => {
    const v = verifier({ maxTokenAge: 300, clockTolerance: 0 });
    await expect(v.verify(await mint({ iat: NOW - 300, exp: NOW + 300 }))).resolves.toBeDefined();
  });

  it('adds the clock tolerance to maxTokenAge', async () => {
    const v = verifier({ maxTokenAge: 300 });
    await expect(v.verify(await mint({ iat: NOW - 360, exp: NOW + 300 }))).resolves.toBeDefined();
    expect(await rejectionReason(v.verify(await mint({ iat: NOW - 361, exp: NOW + 300 })))).toBe('token_too_old');
  });

  it('requires iat when maxTokenAge is set', async () => {
    const token = await mintRaw(`{"iss":${JSON.stringify(server.url)},"aud":"${AUDIENCE}","exp":${NOW + 300}}`);
    expect(await rejectionReason(verifier({ maxTokenAge: 300 }).verify(token))).toBe('claim_missing');
  });

  it('enforces maxTokenAge 0', async () => {
    const v = verifier({ maxTokenAge: 0, clockTolerance: 0 });
    await expect(v.verify(await mint({ iat: NOW }))).resolves.toBeDefined();
    expect(await rejectionReason(v.verify(await mint({ iat: NOW - 1 })))).toBe('token_too_old');
  });
});

describe('iss', () => {
  it('accepts the configured issuer and exposes it', async () => {
    expect((await verifier().verify(await mint())).issuer).toBe(server.url);
  });

  it('accepts any of several configured issuers', async () => {
    const v = verifier({ issuer: ['https://login.example.com/', server.url] });
    expect((await v.verify(await mint())).issuer).toBe(server.url);
    expect((await v.verify(await mint({ iss: 'https://login.example.com/' }))).issuer).toBe('https://login.example.com/');
  });

  it.each([
    ['another issuer', 'https://login.example.com/'],
    ['a trailing slash added', 'TRAILING'],
    ['an upper-case scheme and host', 'UPPER'],
    ['a prefix of the issuer', 'PREFIX'],
    ['an extra path segment', 'EXTRA'],
    ['an array holding the issuer', 'ARRAY'],
    ['a number', 7],
    ['an empty string', ''],
  ])('rejects iss as %s as issuer_mismatch', async (_name, variant) => {
    const url = server.url;
    const iss =
      variant === 'TRAILING' ? `${url}/`
      : variant === 'UPPER' ? url.toUpperCase()
      : variant === 'PREFIX' ? url.slice(0, -1)
      : variant === 'EXTRA' ? `${url}/tenant`
      : variant === 'ARRAY' ? [url]
      : variant;
    expect(await rejectionReason(verifier().verify(await mint({ iss })))).toBe('issuer_mismatch');
  });

  it('rejects a token without iss as issuer_mismatch', async () => {
    const token = await signToken(key, { aud: AUDIENCE }, { now: NOW });
    expect(await rejectionReason(verifier().verify(token))).toBe('issuer_mismatch');
  });

  it('rejects a token without the trailing slash the configured issuer has', async () => {
    const v = verifier({ issuer: `${server.url}/` });
    expect(await rejectionReason(v.verify(await mint()))).toBe('issuer_mismatch');
    await expect(v.verify(await mint({ iss: `${server.url}/` }))).resolves.toBeDefined();
  });
});

describe('aud', () => {
  it('accepts a string audience and exposes it as an array', async () => {
    expect((await verifier().verify(await mint())).audience).toEqual([AUDIENCE]);
  });

  it('accepts an array audience that contains the API', async () => {
    const auth = await verifier().verify(await mint({ aud: ['https://login.example.com/userinfo', AUDIENCE] }));
    expect(auth.audience).toEqual(['https://login.example.com/userinfo', AUDIENCE]);
  });

  it('accepts a token for any of several configured audiences', async () => {
    const v = verifier({ audience: ['api://payroll', AUDIENCE] });
    await expect(v.verify(await mint())).resolves.toBeDefined();
    await expect(v.verify(await mint({ aud: 'api://payroll' }))).resolves.toBeDefined();
  });

  it('keeps only the string members of an array audience', async () => {
    expect((await verifier().verify(await mint({ aud: [123, AUDIENCE, null] }))).audience).toEqual([AUDIENCE]);
  });

  it.each<[string, unknown]>([
    ['another API', 'api://payroll'],
    ['a prefix of the API', 'api://receipt'],
    ['the API with a trailing slash', `${AUDIENCE}/`],
    ['the API in upper case', AUDIENCE.toUpperCase()],
    ['an array without the API', ['api://payroll']],
    ['an empty array', []],
    ['an array holding an empty string', ['']],
    ['an array of non-strings', [123, {}]],
    ['a number', 123],
    ['an object', { [AUDIENCE]: true }],
  ])('rejects aud as %s as audience_mismatch', async (_name, aud) => {
    expect(await rejectionReason(verifier().verify(await mint({ aud })))).toBe('audience_mismatch');
  });

  it('rejects a token without aud as audience_mismatch', async () => {
    const token = await signToken(key, { iss: server.url }, { now: NOW });
    expect(await rejectionReason(verifier().verify(token))).toBe('audience_mismatch');
  });
});

describe('scopes and roles', () => {
  const scopesOf = async (claims: Record<string, unknown>) => (await verifier().verify(await mint(claims))).scopes;
  const rolesOf = async (claims: Record<string, unknown>) => (await verifier().verify(await mint(claims))).roles;

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a space-delimited scope', { scope: 'receipts.read receipts.write' }, ['receipts.read', 'receipts.write']],
    ['a scope with repeated spaces', { scope: ' receipts.read   receipts.write ' }, ['receipts.read', 'receipts.write']],
    ['a space-delimited scp', { scp: 'receipts.read receipts.write' }, ['receipts.read', 'receipts.write']],
    ['an scp array', { scp: ['receipts.read', 'receipts.write'] }, ['receipts.read', 'receipts.write']],
    ['scope and scp together', { scope: 'a b', scp: ['b', 'c'] }, ['a', 'b', 'c']],
    ['an scp array with non-strings', { scp: ['a', 1, null, {}, ''] }, ['a']],
    ['a numeric scope', { scope: 7 }, []],
    ['an object scope', { scope: { 'receipts.read': true } }, []],
    ['an object scp', { scp: { length: 1, 0: 'receipts.read' } }, []],
    ['an empty scope', { scope: '' }, []],
    ['no scope claim', {}, []],
  ])('reads %s', async (_name, claims, expected) => {
    expect(await scopesOf(claims)).toEqual(expected);
  });

  it('keeps scope values case-sensitive and whole', async () => {
    expect(await scopesOf({ scope: 'Receipts.Read receipts.read:all' })).toEqual(['Receipts.Read', 'receipts.read:all']);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['a roles array', { roles: ['Receipts.Admin', 'Receipts.Audit'] }, ['Receipts.Admin', 'Receipts.Audit']],
    ['a single role string', { roles: 'Receipts.Admin' }, ['Receipts.Admin']],
    ['a role string with a space as one role', { roles: 'Receipts Admin' }, ['Receipts Admin']],
    ['a roles array with non-strings', { roles: [1, null, 'Receipts.Admin', { name: 'x' }, ''] }, ['Receipts.Admin']],
    ['an object roles claim', { roles: { length: 1, 0: 'Receipts.Admin' } }, []],
    ['a numeric roles claim', { roles: 1 }, []],
    ['no roles claim', {}, []],
  ])('reads %s', async (_name, claims, expected) => {
    expect(await rolesOf(claims)).toEqual(expected);
  });

  it('does not treat scope values as roles or roles as scopes', async () => {
    const auth = await verifier().verify(await mint({ scope: 'Receipts.Admin', roles: ['receipts.read'] }));
    expect(auth.scopes).toEqual(['Receipts.Admin']);
    expect(auth.roles).toEqual(['receipts.read']);
  });
});

describe('client and tenant', () => {
  it.each<[string, Record<string, unknown>, string | undefined]>([
    ['client_id', { client_id: 'payments' }, 'payments'],
    ['azp', { azp: 'payments-azp' }, 'payments-azp'],
    ['appid', { appid: 'payments-appid' }, 'payments-appid'],
    ['client_id before azp and appid', { appid: 'c', azp: 'b', client_id: 'a' }, 'a'],
    ['azp before appid', { appid: 'c', azp: 'b' }, 'b'],
    ['nothing when no client claim is present', { sub: 'payments' }, undefined],
    ['nothing when client_id is present but not a string', { client_id: 42, azp: 'b' }, undefined],
    ['nothing when client_id is present but empty', { client_id: '', azp: 'b', appid: 'c' }, undefined],
    ['nothing when client_id is present but null', { client_id: null, azp: 'b' }, undefined],
    ['nothing when azp is present but not a string', { azp: ['b'], appid: 'c' }, undefined],
  ])('takes the client id from %s', async (_name, claims, expected) => {
    const auth = await verifier().verify(await mint(claims));
    expect(auth.clientId).toBe(expected);
    expect(Object.hasOwn(auth, 'clientId')).toBe(expected !== undefined);
  });

  it.each<[string, Record<string, unknown>]>([
    ['client_id is not a string', { client_id: 42, azp: 'payments' }],
    ['client_id is empty', { client_id: '', azp: 'payments', appid: 'payments' }],
    ['azp is not a string', { azp: { id: 'payments' }, appid: 'payments' }],
  ])('refuses a token whose %s, even when a later claim names an allowed client', async (_name, claims) => {
    const strict = verifier({ allowedClientIds: ['payments'] });
    await expect(rejectionReason(strict.verify(await mint(claims)))).resolves.toBe('client_not_allowed');
    await expect(strict.verify(await mint({ client_id: 'payments' }))).resolves.toMatchObject({ clientId: 'payments' });
  });

  it('refuses a token whose first tenant location is not a string, even when a later one is allowed', async () => {
    const strict = verifier({ allowedTenants: ['contoso'], claims: { tenantId: ['org_id', 'tid'] } });
    await expect(rejectionReason(strict.verify(await mint({ org_id: 7, tid: 'contoso' })))).resolves.toBe('tenant_not_allowed');
    await expect(strict.verify(await mint({ tid: 'contoso' }))).resolves.toMatchObject({ tenantId: 'contoso' });
  });

  it('takes the tenant from tid', async () => {
    expect((await verifier().verify(await mint({ tid: '72f988bf-86f1-41af-91ab-2d7cd011db47' }))).tenantId).toBe(
      '72f988bf-86f1-41af-91ab-2d7cd011db47',
    );
  });

  it('has no tenant when tid is absent or not a string', async () => {
    expect((await verifier().verify(await mint())).tenantId).toBeUndefined();
    expect((await verifier().verify(await mint({ tid: 7 }))).tenantId).toBeUndefined();
  });

  it('exposes sub, the raw token, the header and the payload, frozen', async () => {
    const token = await mint({ sub: 'payments', client_id: 'payments', scope: 'a' });
    const auth = await verifier().verify(token);
    expect(auth.subject).toBe('payments');
    expect(auth.token).toBe(token);
    expect(auth.header).toMatchObject({ alg: 'RS256', kid: key.kid });
    expect(auth.payload).toMatchObject({ sub: 'payments', scope: 'a', iat: NOW, exp: NOW + 300 });
    expect(Object.isFrozen(auth)).toBe(true);
    expect(Object.isFrozen(auth.scopes)).toBe(true);
    expect(Object.isFrozen(auth.payload)).toBe(true);
  });

  it('has no subject when sub is not a string', async () => {
    const auth = await verifier().verify(await mint({ sub: 12 }));
    expect(auth.subject).toBeUndefined();
  });
});

describe('typ', () => {
  it.each([['JWT'], ['jwt'], ['at+jwt'], ['application/at+jwt'], ['AT+JWT'], [undefined]])(
    'accepts typ %s by default',
    async (typ) => {
      const header = typ === undefined ? {} : { typ };
      await expect(verifier().verify(await mint({}, header))).resolves.toBeDefined();
    },
  );

  it.each([['dpop+jwt'], ['logout+jwt'], ['application/jwt+foo'], [1], [null]])('refuses typ %s as token_type_invalid', async (typ) => {
    expect(await rejectionReason(verifier().verify(await mint({}, { typ })))).toBe('token_type_invalid');
  });

  it.each([['at+jwt'], ['application/at+jwt'], ['AT+JWT'], ['Application/AT+JWT']])(
    'accepts typ %s when at+jwt is required',
    async (typ) => {
      const claims = { sub: 'payments', client_id: 'payments', jti: 'j-1' }; // RFC 9068 §2.2
      await expect(verifier({ requiredTokenType: 'at+jwt' }).verify(await mint(claims, { typ }))).resolves.toBeDefined();
    },
  );

  it.each([['JWT'], ['dpop+jwt'], [undefined]])('refuses typ %s when at+jwt is required', async (typ) => {
    const header = typ === undefined ? {} : { typ };
    const v = verifier({ requiredTokenType: 'at+jwt' });
    expect(await rejectionReason(v.verify(await mint({}, header)))).toBe('token_type_invalid');
  });
});

describe.each(FRAMEWORKS)('claims over HTTP on $name', ({ build }) => {
  const app = () => {
    const guard = authenticate({ issuer: server.url, audience: AUDIENCE });
    return build([
      { path: '/read', chain: [guard, requireScopes('receipts.read')] },
      { path: '/admin', chain: [guard, requireRoles('Receipts.Admin')] },
    ]);
  };

  it('answers 401 token_expired one second past exp plus tolerance, and 200 one second before', async () => {
    const server1 = app();
    const late = await mint({ exp: NOW - 61, scope: 'receipts.read' });
    const res = await request(server1).get('/read').set('Authorization', `Bearer ${late}`);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token expired"',
    );
    const inTime = await mint({ exp: NOW - 59, scope: 'receipts.read' });
    expect((await request(server1).get('/read').set('Authorization', `Bearer ${inTime}`)).status).toBe(200);
  });

  it('exposes client, tenant, scopes and roles of an accepted token', async () => {
    const token = await mint({ aud: ['other', AUDIENCE], azp: 'payments', tid: 'contoso', scp: ['receipts.read'], roles: 'Receipts.Admin' });
    const res = await request(app()).get('/admin').set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ clientId: 'payments', tenantId: 'contoso', scopes: ['receipts.read'], roles: ['Receipts.Admin'] });
  });

  it('answers 403 when the scope and roles claims have odd types', async () => {
    const token = await mint({ scope: { 'receipts.read': true }, roles: { 0: 'Receipts.Admin', length: 1 } });
    const read = await request(app()).get('/read').set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(403);
    expect(read.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="insufficient_scope", error_description="The access token lacks a required scope", scope="receipts.read"',
    );
    const admin = await request(app()).get('/admin').set('Authorization', `Bearer ${token}`);
    expect(admin.status).toBe(403);
  });
});
