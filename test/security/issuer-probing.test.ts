/**
 * Catalogue row IL-04: a forged token (signed with an attacker's key) learns nothing from the answer about
 * which issuers or tenants are configured. Checks made before the signature (issuer, tenant, token version,
 * key lookup) and the signature itself all answer with the same public description, so a forged token for a
 * configured issuer or tenant gets byte for byte the answer of a forged token for any other; only the stable
 * `reason`, on the error and in diagnostics events, tells them apart. Two issuers, an Entra-style list of
 * tenant issuers and a multi-tenant `{tenantid}` template with a tenant allow-list, on Express 5, Express 4
 * and Connect, rendered by `authErrorHandler()` and by each framework's production final handler.
 */
import type { Server } from 'node:http';
import type { JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { authenticate, authErrorHandler, entraId, onVerifyEvent, type VerifierOptions } from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { startIssuerServer, type IssuerServer } from '../helpers/issuer-server.js';
import { createTestKey, type TestKey } from '../helpers/keys.js';
import { DEFAULT_HANDLER_FRAMEWORKS, type Route } from './final-handlers.js';
import { AUDIENCE, createKeyRing, goodClaims, nowSeconds, publishedKeys, signToken, startSecurityIssuer, type KeyRing } from './support.js';

const TENANT_A = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const TENANT_B = '2b7e9c41-6d3a-4f8e-a1c2-93d4e5f60718';
const TENANT_C = 'c0ffee00-1234-4abc-8def-0123456789ab';
const API = '0d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const v2Issuer = (tid: string): string => `https://login.microsoftonline.com/${tid}/v2.0`;
const v1Issuer = (tid: string): string => `https://sts.windows.net/${tid}/`;

/** The challenge every forged token below gets. */
const CHALLENGE = 'Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"';

let ring: KeyRing;
/** A second RS256 key published by issuer B, so that a token without kid is ambiguous there. */
let spare: TestKey;
let first: IssuerServer;
let second: IssuerServer;
let entraKeys: IssuerServer;

beforeAll(async () => {
  [ring, spare] = await Promise.all([createKeyRing(), createTestKey('RS256')]);
  [first, second, entraKeys] = await Promise.all([
    startSecurityIssuer(publishedKeys(ring)),
    startSecurityIssuer([...publishedKeys(ring), spare]),
    startIssuerServer({ keys: [ring.rs256.jwk], jwksPath: '/common/discovery/v2.0/keys' }),
  ]);
});
afterAll(async () => Promise.all([first, second, entraKeys].map((server) => server.close())));

/** The verifier options of each route. */
function routeOptions(): Record<string, VerifierOptions> {
  return {
    '/issuers': { issuer: [first.url, second.url], audience: AUDIENCE, cache: false },
    '/tenant-list': { profile: 'entra', issuer: [v2Issuer(TENANT_A), v2Issuer(TENANT_B)], audience: API, jwksUri: entraKeys.jwksUri },
    '/multi-tenant': {
      ...entraId({ tenantId: 'organizations', clientId: API, allowedTenants: [TENANT_A] }),
      jwksUri: entraKeys.jwksUri,
    },
  };
}

function routes(): Route[] {
  return Object.entries(routeOptions()).map(([path, options]) => ({ path, chain: [authenticate(options)] }));
}

/** An Entra-shaped claim set of tenant `tid` whose `iss` is `iss` (which may name another tenant). */
function entraClaims(iss: string, tid: string): JWTPayload {
  const now = nowSeconds();
  const ver = iss.includes('/v2.0') ? '2.0' : '1.0';
  return { iss, tid, aud: API, azp: 'a7b6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d', iat: now, nbf: now, exp: now + 300, ver };
}

/** A token signed with the attacker's key, naming `kid` (the genuine published one by default; `null`: none). */
function forged(claims: JWTPayload, kid: string | null = ring.rs256.kid): Promise<string> {
  return signToken(ring.attacker, claims, kid === null ? { noKid: true } : { header: { kid } });
}

/** One probe: what it forges, the route, the token, and the reason the API's own logs still see. */
type Probe = [name: string, path: string, token: () => Promise<string>, reason: string];

function probes(): Probe[] {
  const near = `${first.url}/`;
  return [
    ['the first configured issuer', '/issuers', () => forged(goodClaims(first)), 'signature_invalid'],
    ['the second configured issuer', '/issuers', () => forged(goodClaims(second)), 'signature_invalid'],
    ['an unconfigured issuer', '/issuers', () => forged(goodClaims(first, { iss: 'https://login.example' })), 'issuer_mismatch'],
    ['a near miss of a configured issuer', '/issuers', () => forged(goodClaims(first, { iss: near })), 'issuer_mismatch'],
    ['no issuer at all', '/issuers', () => forged(goodClaims(first, { iss: undefined })), 'issuer_mismatch'],
    ['a configured issuer, an unpublished kid', '/issuers', () => forged(goodClaims(first), ring.attacker.kid), 'key_not_found'],
    ['a configured issuer, no kid, two fitting keys', '/issuers', () => forged(goodClaims(second), null), 'key_ambiguous'],
    ['a listed tenant', '/tenant-list', () => forged(entraClaims(v2Issuer(TENANT_A), TENANT_A)), 'signature_invalid'],
    ['the other listed tenant', '/tenant-list', () => forged(entraClaims(v2Issuer(TENANT_B), TENANT_B)), 'signature_invalid'],
    ['a tenant not in the list', '/tenant-list', () => forged(entraClaims(v2Issuer(TENANT_C), TENANT_C)), 'tenant_not_allowed'],
    ['a listed tenant, other version', '/tenant-list', () => forged(entraClaims(v1Issuer(TENANT_A), TENANT_A)), 'token_version_mismatch'],
    ['an allowed tenant', '/multi-tenant', () => forged(entraClaims(v2Issuer(TENANT_A), TENANT_A)), 'signature_invalid'],
    ['a tenant not allowed', '/multi-tenant', () => forged(entraClaims(v2Issuer(TENANT_C), TENANT_C)), 'signature_invalid'],
    ['an iss tenant that is not the tid', '/multi-tenant', () => forged(entraClaims(v2Issuer(TENANT_A), TENANT_C)), 'tenant_mismatch'],
  ];
}

let reasons: string[];
let stopEvents: () => void;
beforeEach(() => {
  reasons = [];
  stopEvents = onVerifyEvent((event) => {
    if (event.type === 'rejected') reasons.push(event.reason);
  });
});
afterEach(() => stopEvents());

/** Sends every probe to `app`; returns each answer (status, headers but `date`, body) and the reason logged for it. */
async function probe(app: Server): Promise<{ answers: Map<string, string[]>; seen: string[] }> {
  const answers = new Map<string, string[]>();
  const seen: string[] = [];
  for (const [name, path, token] of probes()) {
    const before = reasons.length;
    const res = await request(app).get(path).set('Authorization', `Bearer ${await token()}`);
    const { date: _date, ...headers } = res.headers as Record<string, string>;
    const answer = JSON.stringify({ status: res.status, headers: Object.entries(headers).sort(), body: res.text });
    answers.set(answer, [...(answers.get(answer) ?? []), name]);
    seen.push(`${name}: ${reasons.slice(before).join(',')}`);
  }
  return { answers, seen };
}

const expectedReasons = (): string[] => probes().map(([name, , , reason]) => `${name}: ${reason}`);

describe.each(FRAMEWORKS)('IL-04 forged tokens on $name with authErrorHandler()', ({ build }) => {
  it('answers a forged token for a configured issuer or tenant byte for byte like one for any other, while logs keep each reason', async () => {
    const { answers, seen } = await probe(build(routes(), authErrorHandler()));
    expect([...answers.values()]).toEqual([probes().map(([name]) => name)]);
    const [answer] = [...answers.keys()];
    const parsed = JSON.parse(answer!) as { status: number; headers: [string, string][]; body: string };
    expect(parsed.status).toBe(401);
    expect(Object.fromEntries(parsed.headers)['www-authenticate']).toBe(CHALLENGE);
    expect(JSON.parse(parsed.body)).toEqual({ error: 'invalid_token', error_description: 'The access token could not be verified' });
    expect(seen).toEqual(expectedReasons());
  });
});

describe.each(DEFAULT_HANDLER_FRAMEWORKS)('IL-04 forged tokens on $name with its production final handler', ({ build }) => {
  it('answers a forged token for a configured issuer or tenant byte for byte like one for any other', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined); // Connect logs every error outside "test"
    const { answers, seen } = await probe(build('production', routes()));
    expect([...answers.values()]).toEqual([probes().map(([name]) => name)]);
    const parsed = JSON.parse([...answers.keys()][0]!) as { status: number; headers: [string, string][] };
    expect(parsed.status).toBe(401);
    expect(Object.fromEntries(parsed.headers)['www-authenticate']).toBe(CHALLENGE);
    expect(seen).toEqual(expectedReasons());
  });
});
