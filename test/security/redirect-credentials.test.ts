/**
 * Catalogue row JF-11: a redirect whose `Location` carries credentials (`http://user:secret@host/…`). The
 * redirect is refused, and the credentials reach nothing bearer-guard reports: not the `KeyFetchError`
 * (message, `url`, inspected form), not the 503's cause, not key events (`refresh_failed`, `served_stale`,
 * then `fetched` and `rotated` after recovery), not `verifier.status()`, not `ready()`'s `AggregateError`,
 * not the `NODE_DEBUG=bearer-guard` log (a child process). Over HTTP on 127.0.0.1, for a fixed `jwksUri` and
 * for discovery.
 */
import { inspect } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createVerifier, isAuthError, KeyFetchError, onKeyEvent, type KeyEvent, type VerifierOptions } from '../../src/index.js';
import { REDIRECT_SECRET, REDIRECT_USER, startCredentialRedirectIssuer, type CredentialRedirectIssuer } from '../helpers/credential-redirects.js';
import { createTestKey, signToken, type TestKey } from '../helpers/keys.js';
import { runNode } from '../helpers/run-node.js';

const AUDIENCE = 'api://ledger';
const T0 = Date.parse('2030-01-01T00:00:00Z');

let key: TestKey;
let rotated: TestKey;
let issuer: CredentialRedirectIssuer;
let events: KeyEvent[];
let stopEvents: () => void;

beforeAll(async () => {
  [key, rotated] = await Promise.all([createTestKey('ES256'), createTestKey('ES256')]);
});
beforeEach(async () => {
  issuer = await startCredentialRedirectIssuer([key.jwk]);
  events = [];
  stopEvents = onKeyEvent((event) => {
    if (event.url.startsWith(issuer.issuer.slice(0, issuer.issuer.lastIndexOf('/')))) events.push(event);
  });
});
afterEach(async () => {
  stopEvents();
  vi.useRealTimers();
  await issuer.close();
});

/** Fails when `value`, in any form, holds the redirect's credentials. */
function expectNoCredentials(value: unknown): void {
  const forms = [typeof value === 'string' ? value : JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })];
  for (const form of forms) {
    expect(form).not.toContain(REDIRECT_SECRET);
    expect(form).not.toContain(`${REDIRECT_USER}:`);
    expect(form).not.toContain(`${REDIRECT_USER}@`);
  }
}

const MODES: [string, (issuer: CredentialRedirectIssuer) => Partial<VerifierOptions>, 'metadata' | 'jwks'][] = [
  ['a fixed jwksUri whose JWK Set redirects', (i) => ({ jwksUri: i.jwksUri }), 'jwks'],
  ['discovery whose metadata redirects', () => ({}), 'metadata'],
  ['discovery whose JWK Set redirects', () => ({}), 'jwks'],
];

describe.each(MODES)('JF-11 credentials in a redirect: %s', (_name, options, where) => {
  const verifierFor = (extra: Partial<VerifierOptions> = {}) =>
    createVerifier({ issuer: issuer.issuer, audience: AUDIENCE, ...options(issuer), ...extra, keys: { maxAgeMs: 60_000, retryMinMs: 10, retryMaxMs: 10 } });
  const tokenOf = (signer = key) => signToken(signer, { iss: issuer.issuer, aud: AUDIENCE }, { expiresIn: 3 * 3600 });

  it('answers 503 whose cause names the refusal and the URL without its credentials', async () => {
    issuer[where] = 'redirect';
    const verifier = verifierFor();
    const error = await verifier.verify(await tokenOf()).catch((caught: unknown) => caught);
    expect(isAuthError(error) && error.status).toBe(503);
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(KeyFetchError);
    expect((cause as KeyFetchError).message).toContain('must not contain credentials');
    expect((cause as KeyFetchError).message).toContain(issuer.location(where === 'jwks' ? '/moved-jwks' : '/moved-metadata').replace(`${REDIRECT_USER}:${REDIRECT_SECRET}@`, ''));
    expectNoCredentials(error);
    expectNoCredentials(verifier.status());
    expect(events.some((event) => event.type === 'refresh_failed')).toBe(true);
    expectNoCredentials(events);
  });

  it('rejects ready() with an AggregateError that names the refusal without the credentials', async () => {
    issuer[where] = 'redirect';
    const verifier = verifierFor();
    const error = await verifier.ready().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).message).toContain('must not contain credentials');
    expect((error as AggregateError).errors[0]).toBeInstanceOf(KeyFetchError);
    expectNoCredentials(error);
    expectNoCredentials((error as AggregateError).errors.map((each: Error) => ({ message: each.message, url: (each as KeyFetchError).url })));
    expectNoCredentials(verifier.status());
  });

  it('keeps credentials out of the events of a stale copy served, then of the recovery and rotation', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const verifier = verifierFor();
    expect((await verifier.verify(await tokenOf())).clientId).toBeUndefined();
    issuer[where] = 'redirect';
    vi.setSystemTime(T0 + 61_000);
    await verifier.verify(await tokenOf()); // stale copy served, background refresh meets the redirect
    await vi.waitFor(() => expect(events.some((event) => event.type === 'refresh_failed')).toBe(true));
    vi.setSystemTime(T0 + 62_000);
    await verifier.verify(await tokenOf());
    expect(events.some((event) => event.type === 'served_stale')).toBe(true);
    expectNoCredentials(verifier.status());
    issuer[where] = 'ok';
    issuer.keys = [key.jwk, rotated.jwk];
    vi.setSystemTime(T0 + 63_000);
    const fetched = events.filter((event) => event.type === 'fetched').length;
    await verifier.verify(await tokenOf());
    await vi.waitFor(() => expect(events.filter((event) => event.type === 'fetched').length).toBeGreaterThan(fetched));
    expect((await verifier.verify(await tokenOf(rotated))).issuer).toBe(issuer.issuer);
    await vi.waitFor(() => expect(events.some((event) => event.type === 'rotated')).toBe(true));
    expectNoCredentials(events);
    expectNoCredentials(verifier.status());
  });
});

describe('JF-11 credentials in a redirect: the debug log', () => {
  it('writes NODE_DEBUG=bearer-guard lines about the refused redirects without the credentials', async () => {
    const script = new URL('../helpers/credential-redirects-run.ts', import.meta.url).pathname;
    const { code, stdout, stderr } = await runNode(['--import', 'tsx', script], { env: { NODE_DEBUG: 'bearer-guard' } });
    expect(code).toBe(0);
    expect(stdout).toBe('done\n');
    expect(stderr).toMatch(/BEARER-GUARD \d+: 503 metadata_unavailable at key: .*must not contain credentials/);
    expect(stderr).toMatch(/BEARER-GUARD \d+: 503 jwks_unavailable at key: .*must not contain credentials/);
    expectNoCredentials(stderr);
  });
});
