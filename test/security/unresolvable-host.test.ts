/**
 * Catalogue row JF-01, the DNS case: an issuer whose host name cannot be resolved (`ENOTFOUND`), with
 * nothing cached, is a server-side fault: 503 with `Retry-After` and no challenge, within the fetch
 * timeout, never a 401. The name is under `.invalid` (RFC 6761: never resolves) and its first label is 64
 * characters long, one over the DNS limit (RFC 1035 §2.3.4), so the resolver refuses it without sending a
 * query: the test sends nothing off the machine.
 */
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticate, isAuthError, KeyFetchError, type ErrorMiddleware } from '../../src/index.js';
import { FRAMEWORKS } from '../helpers/frameworks.js';
import { AUDIENCE, createKeyRing, nowSeconds, signToken, type KeyRing } from './support.js';

const HOST = `${'x'.repeat(64)}.invalid`;
const TIMEOUT_MS = 2_000;

let ring: KeyRing;
beforeAll(async () => {
  ring = await createKeyRing();
});

let unique = 0;

/** The `code` of the first error in `error`'s cause chain that has one (`ENOTFOUND` for a DNS failure). */
function rootCode(error: unknown): string | undefined {
  for (let at: unknown = error, depth = 0; at instanceof Error && depth < 8; at = at.cause, depth += 1) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E') && !code.startsWith('ERR_')) return code;
  }
  return undefined;
}

describe.each(FRAMEWORKS)('JF-01 unresolvable issuer host on $name', ({ build }) => {
  // Both keep the resolver's error along their cause chain (discovery through its first attempt).
  it.each<[string, (path: string) => { issuer: string; jwksUri?: string }, string, string | undefined]>([
    ['the JWKS URI', (path) => ({ issuer: `https://${HOST}${path}`, jwksUri: `https://${HOST}${path}/jwks` }), 'jwks_unavailable', 'ENOTFOUND'],
    ['the issuer metadata', (path) => ({ issuer: `https://${HOST}${path}` }), 'metadata_unavailable', 'ENOTFOUND'],
  ])('answers 503 with Retry-After and no challenge, within the timeout, when %s is on a host that does not resolve', async (_name, where, reason, code) => {
    const seen: unknown[] = [];
    const record: ErrorMiddleware = (error, _req, _res, next) => {
      seen.push(error);
      next(error);
    };
    const options = { ...where(`/tenant-${process.pid}-${++unique}`), audience: AUDIENCE, keys: { timeoutMs: TIMEOUT_MS } };
    const app = build([{ path: '/r', chain: [authenticate(options)] }], record);
    const now = nowSeconds();
    const token = await signToken(ring.rs256, { iss: options.issuer, aud: AUDIENCE, iat: now, exp: now + 300 });
    const started = performance.now();
    const res = await request(app).get('/r').set('Authorization', `Bearer ${token}`);
    expect(performance.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(res.status).toBe(503);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(res.headers['www-authenticate']).toBeUndefined();
    expect(seen).toHaveLength(1);
    const error = seen[0];
    expect(isAuthError(error) && error.reason).toBe(reason);
    const cause = (error as Error).cause;
    expect(cause instanceof KeyFetchError && cause.kind).toBe('network');
    if (code !== undefined) expect(rootCode(cause)).toBe(code);
  });
});
