/**
 * Catalogue family "leaks" (IL-01 to IL-03): across every failure class, on Express 5, Express 4 and Connect
 * running their own default final handlers in a development environment (which send `err.stack` and log
 * errors), nothing reaches a response body, a header, a log line, a thrown error or a diagnostics event
 * that holds the token, its signature or key material; responses hold no configured issuer, audience or
 * key URL; challenges stay within the RFC 6750 character set whatever the token carries.
 */
import { createServer } from 'node:http';
import { inspect } from 'node:util';
import express5 from 'express';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  authenticate,
  createVerifier,
  isAuthError,
  onKeyEvent,
  onVerifyEvent,
  requireScopes,
} from '../../src/index.js';
import type { IssuerServer } from '../helpers/issuer-server.js';
import { DEFAULT_HANDLER_FRAMEWORKS, ok, type Env, type Route } from './final-handlers.js';
import {
  AUDIENCE,
  b64url,
  createKeyRing,
  goodClaims,
  listen,
  publishedKeys,
  secretsOf,
  signJson,
  signToken,
  startSecurityIssuer,
  type KeyRing,
} from './support.js';

let ring: KeyRing;
let issuer: IssuerServer;
let second: IssuerServer;
let down: IssuerServer;

beforeAll(async () => {
  ring = await createKeyRing();
  [issuer, second, down] = await Promise.all([
    startSecurityIssuer(publishedKeys(ring)),
    startSecurityIssuer([ring.attacker]),
    startSecurityIssuer(publishedKeys(ring)),
  ]);
  down.jwks = { kind: 'status', status: 500, body: `upstream stack trace at ${down.jwksUri} secret-upstream-detail` };
});
afterAll(async () => Promise.all([issuer, second, down].map((server) => server.close())));

/** Everything that must stay out of every output: key material of every published and private key. */
function keyMaterial(): string[] {
  const values: string[] = [];
  for (const key of [...publishedKeys(ring), ring.attacker]) {
    for (const name of ['n', 'x', 'y'] as const) {
      const value = key.jwk[name];
      if (typeof value === 'string') values.push(value, value.slice(0, 40));
    }
  }
  return values;
}

/** Configuration values that no response may reveal. */
function configured(): string[] {
  return [issuer.url, second.url, issuer.jwksUri, down.jwksUri, AUDIENCE, 'api://second-audience', new URL(issuer.url).host, 'secret-upstream-detail'];
}

/** Captures console output, raw stderr writes and every diagnostics event until stopped. */
function capture(): { text: () => string; stop: () => void } {
  const lines: string[] = [];
  const keep = (...args: unknown[]): void => {
    lines.push(args.map((arg) => (typeof arg === 'string' ? arg : inspect(arg, { depth: 8 }))).join(' '));
  };
  const error = vi.spyOn(console, 'error').mockImplementation(keep);
  const warn = vi.spyOn(console, 'warn').mockImplementation(keep);
  const log = vi.spyOn(console, 'log').mockImplementation(keep);
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  const stopKeys = onKeyEvent((event) => lines.push(JSON.stringify(event)));
  const stopVerify = onVerifyEvent((event) => lines.push(JSON.stringify(event)));
  return {
    text: () => lines.join('\n'),
    stop: () => {
      for (const spy of [error, warn, log, stderr]) spy.mockRestore();
      stopKeys();
      stopVerify();
    },
  };
}

const verifierOptions = () => ({ issuer: [issuer.url, second.url], audience: [AUDIENCE, 'api://second-audience'], cache: false as const });

/** One request per failure class (and one success); returns the tokens they carried. */
async function scenarios(): Promise<{ path: string; query?: string; authorization?: string; token: string; expect: number }[]> {
  const claims = goodClaims(issuer, { scope: 'read' });
  const valid = await signToken(ring.rs256, claims);
  const [header, payload, signature] = valid.split('.') as [string, string, string];
  const escalated = `${header}.${b64url({ ...claims, scope: 'admin' })}.${signature}`;
  const expired = await signToken(ring.rs256, goodClaims(issuer, { exp: Math.floor(Date.now() / 1000) - 3600 }));
  const wrongIssuer = await signToken(ring.rs256, goodClaims(issuer, { iss: 'https://not-configured.example' }));
  const wrongAudience = await signToken(ring.rs256, goodClaims(issuer, { aud: 'api://not-configured' }));
  const none = `${b64url({ alg: 'none' })}.${payload}.${signature}`;
  const unknownKid = await signToken(ring.attacker, claims, { header: { kid: 'unpublished' } });
  const otherKey = signJson({ alg: 'RS256', kid: ring.rs256.kid }, claims, ring.attacker);
  const noScope = await signToken(ring.rs256, goodClaims(issuer));
  const toDown = await signToken(ring.rs256, goodClaims(down));
  return [
    { path: '/api', authorization: `Bearer ${valid}`, token: valid, expect: 200 },
    { path: '/api', authorization: `Bearer ${escalated}`, token: escalated, expect: 401 },
    { path: '/api', authorization: `Bearer ${expired}`, token: expired, expect: 401 },
    { path: '/api', authorization: `Bearer ${wrongIssuer}`, token: wrongIssuer, expect: 401 },
    { path: '/api', authorization: `Bearer ${wrongAudience}`, token: wrongAudience, expect: 401 },
    { path: '/api', authorization: `Bearer ${none}`, token: none, expect: 401 },
    { path: '/api', authorization: `Bearer ${unknownKid}`, token: unknownKid, expect: 401 },
    { path: '/api', authorization: `Bearer ${otherKey}`, token: otherKey, expect: 401 },
    { path: '/api', authorization: `Bearer ${valid}x`, token: `${valid}x`, expect: 401 },
    { path: '/api', authorization: `Bearer ${valid}$`, token: `${valid}$`, expect: 400 },
    { path: '/api', query: `access_token=${valid}`, token: valid, expect: 401 },
    { path: '/api', query: `access_token=${valid}`, authorization: `Bearer ${valid}`, token: valid, expect: 400 },
    { path: '/api', authorization: `Bearer ${noScope}`, token: noScope, expect: 403 },
    { path: '/down', authorization: `Bearer ${toDown}`, token: toDown, expect: 503 },
  ];
}

describe.each(DEFAULT_HANDLER_FRAMEWORKS)('$name with its default final handler', ({ build }) => {
  let captured: ReturnType<typeof capture>;
  beforeEach(() => {
    captured = capture();
  });
  afterEach(() => captured.stop());

  it.each<Env>(['development', 'production'])(
    'never puts a token, a signature, key material or configuration in responses, nor tokens or key material in logs and events (%s)',
    async (env) => {
      const routes: Route[] = [
        { path: '/api', chain: [authenticate(createVerifier(verifierOptions())), requireScopes('read')] },
        { path: '/down', chain: [authenticate({ issuer: down.url, audience: AUDIENCE, jwksUri: down.jwksUri })] },
      ];
      const app = await listen(build(env, routes));
      const outputs: string[] = [];
      const tokens: string[] = [];
      try {
        for (const scenario of await scenarios()) {
          let call = request(app.url).get(scenario.query === undefined ? scenario.path : `${scenario.path}?${scenario.query}`);
          if (scenario.authorization !== undefined) call = call.set('Authorization', scenario.authorization);
          const res = await call;
          expect(`${scenario.expect} ${res.status}`).toBe(`${scenario.expect} ${scenario.expect}`);
          tokens.push(scenario.token);
          const response = `${JSON.stringify(res.headers)}\n${res.text}`;
          outputs.push(response);
          if (env === 'production' && res.status >= 400) expect(res.text).not.toMatch(/\bat .*\(|\.ts:\d+|\.js:\d+/);
        }
        // finalhandler logs in a setImmediate after answering: let those callbacks run while still capturing.
        await new Promise((resolve) => setTimeout(resolve, 20));
      } finally {
        await app.close();
      }
      const responses = outputs.join('\n');
      const logs = captured.text();
      if (env === 'development') expect(logs).toContain('Error');
      for (const token of tokens) {
        for (const secret of secretsOf(token)) {
          expect(responses.includes(secret), 'a response echoes token material').toBe(false);
          expect(logs.includes(secret), 'a log line or event holds token material').toBe(false);
        }
      }
      for (const material of keyMaterial()) {
        expect(responses.includes(material), 'a response holds key material').toBe(false);
        expect(logs.includes(material), 'a log line or event holds key material').toBe(false);
      }
      for (const value of configured()) expect(responses.includes(value), `a response reveals ${value}`).toBe(false);
    },
  );
});

describe('thrown errors', () => {
  it('hold no token material or key material in message, stack, string form or inspected form, cause included', async () => {
    const verifier = createVerifier(verifierOptions());
    const downVerifier = createVerifier({ issuer: down.url, audience: AUDIENCE, jwksUri: down.jwksUri });
    const claims = goodClaims(issuer);
    const tokens = [
      signJson({ alg: 'RS256', kid: ring.rs256.kid }, claims, ring.attacker),
      await signToken(ring.rs256, goodClaims(issuer, { aud: 'api://nope' })),
      await signToken(ring.rs256, goodClaims(issuer, { exp: 1 })),
      `${b64url({ alg: 'RS256', kid: 'x'.repeat(40) })}.${b64url(claims)}.${'s'.repeat(342)}`,
    ];
    const errors: unknown[] = [];
    for (const token of tokens) errors.push(await verifier.verify(token).catch((error: unknown) => error));
    const toDown = await signToken(ring.rs256, goodClaims(down));
    errors.push(await downVerifier.verify(toDown).catch((error: unknown) => error));
    tokens.push(toDown);
    for (const error of errors) {
      expect(isAuthError(error)).toBe(true);
      const forms = [String(error), (error as Error).message, (error as Error).stack ?? '', inspect(error, { depth: 8 })].join('\n');
      for (const token of tokens) for (const secret of secretsOf(token)) expect(forms.includes(secret)).toBe(false);
      for (const material of keyMaterial()) expect(forms.includes(material)).toBe(false);
    }
  });
});

describe('IL-02 and IL-03 challenges and descriptions', () => {
  const CHALLENGE = /^Bearer realm="[\x20\x21\x23-\x5b\x5d-\x7e]*"(, (error|error_description|scope)="[\x20\x21\x23-\x5b\x5d-\x7e]*")*$/;

  it('keeps WWW-Authenticate within the RFC 6750 grammar whatever iss, aud and kid hold', async () => {
    const app = await listen(createServer(express5().get('/api', authenticate(createVerifier(verifierOptions())), ok as never)));
    try {
      const hostile = ['quote " inside', 'back\\slash', 'CR\r\nSet-Cookie: a=b', 'non-ASCII é ☃', 'x'.repeat(4096)];
      for (const value of hostile) {
        const tokens = [
          await signToken(ring.rs256, goodClaims(issuer, { iss: value })),
          await signToken(ring.rs256, goodClaims(issuer, { aud: value })),
          await signToken(ring.rs256, goodClaims(issuer), { header: { kid: value } }),
        ];
        for (const token of tokens) {
          const res = await request(app.url).get('/api').set('Authorization', `Bearer ${token}`);
          expect(res.status).toBe(401);
          const challenge = String(res.headers['www-authenticate']);
          expect(challenge).toMatch(CHALLENGE);
          expect(challenge.includes(value.slice(0, 12))).toBe(false);
          expect(res.headers['set-cookie']).toBeUndefined();
        }
      }
    } finally {
      await app.close();
    }
  });

  it('answers every unconfigured issuer alike and every unconfigured audience alike, with fixed phrases only', async () => {
    const app = await listen(createServer(express5().get('/api', authenticate(createVerifier(verifierOptions())), ok as never)));
    try {
      const answer = async (claims: Record<string, unknown>): Promise<string> => {
        const res = await request(app.url).get('/api').set('Authorization', `Bearer ${await signToken(ring.rs256, goodClaims(issuer, claims))}`);
        return `${res.status} ${String(res.headers['www-authenticate'])}`;
      };
      const issuers = await Promise.all(['https://a.example', `${issuer.url}/`, second.url.toUpperCase()].map((iss) => answer({ iss })));
      const audiences = await Promise.all(['api://a', `${AUDIENCE}/`, 'API://SECOND-AUDIENCE'].map((aud) => answer({ aud })));
      expect(new Set(issuers)).toEqual(new Set(['401 Bearer realm="api", error="invalid_token", error_description="The access token could not be verified"']));
      expect(new Set(audiences)).toEqual(new Set(['401 Bearer realm="api", error="invalid_token", error_description="The access token audience is not accepted"']));
    } finally {
      await app.close();
    }
  });
});
