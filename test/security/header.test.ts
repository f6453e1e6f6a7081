/**
 * Catalogue family "header" (HD-04 to HD-11): critical extensions, unencoded payloads, key material and key
 * URLs carried in the header (never used, never fetched), hostile `kid` values, duplicate JSON members (the
 * value checked is the value used) and the compact structure itself. Every token here carries a valid
 * signature made over exactly the bytes shown, so only the rule under test can reject it.
 */
import { KeyObject, X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  AUDIENCE,
  b64text,
  b64url,
  goodClaims,
  listen,
  privateKeyOf,
  publishedKeys,
  signJson,
  signRaw,
  signToken,
  startSecurityIssuer,
  useSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
} from './support.js';
import { selfSignedCertificate, x5cMembers } from './x509.js';

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));

/** A token signed by the published RS256 key with `extra` header members. */
function withHeader(extra: Record<string, unknown>, claims: Record<string, unknown> = goodClaims(issuer)): string {
  return signJson({ alg: 'RS256', kid: ring.rs256.kid, ...extra }, claims, ring.rs256);
}

describe('HD-04 critical header parameters', () => {
  it.each<[string, Record<string, unknown>]>([
    ['an unknown extension it lists', { crit: ['x-policy'], 'x-policy': 1 }],
    ['an empty list', { crit: [] }],
    ['a registered name (alg)', { crit: ['alg'] }],
    ['a name absent from the header', { crit: ['x-absent'] }],
    ['a string instead of a list', { crit: 'b64', b64: true }],
    ['a number inside the list', { crit: [1] }],
    ['null', { crit: null }],
    ['b64 listed while b64 is absent', { crit: ['b64'] }],
    ['b64 listed with a non-boolean b64', { crit: ['b64'], b64: 'true' }],
    ['a known name next to an unknown one', { crit: ['b64', 'exp'], b64: true, exp: 1 }],
  ])('rejects crit holding %s as header_invalid', async (_name, extra) => {
    expect(await verdict(verifierOf(issuer), withHeader(extra))).toBe('401 header_invalid');
  });

  it('accepts crit ["b64"] with b64 true, the default encoding it understands', async () => {
    expect(await verdict(verifierOf(issuer), withHeader({ crit: ['b64'], b64: true }))).toBe('ok');
  });
});

describe('HD-05 unencoded payload (b64 false)', () => {
  it('rejects b64 false listed in crit as header_invalid', async () => {
    expect(await verdict(verifierOf(issuer), withHeader({ crit: ['b64'], b64: false }))).toBe('401 header_invalid');
  });

  it('rejects b64 false in crit with the payload signed unencoded as token_malformed', async () => {
    const header = b64url({ alg: 'RS256', kid: ring.rs256.kid, b64: false, crit: ['b64'] });
    const token = signRaw(header, JSON.stringify(goodClaims(issuer)), ring.rs256, { encoded: true });
    expect(await verdict(verifierOf(issuer), token)).toBe('401 token_malformed');
  });

  it('ignores b64 false when crit does not list it, as RFC 7797 requires', async () => {
    expect(await verdict(verifierOf(issuer), withHeader({ b64: false }))).toBe('ok');
  });
});

describe('HD-07 and HD-08 keys and key URLs in the header', () => {
  let lure: { url: string; close: () => Promise<void> };
  let lureHits = 0;

  beforeAll(async () => {
    const server: Server = createServer((_req, res) => {
      lureHits += 1;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [ring.attacker.jwk] }));
    });
    lure = await listen(server);
  });
  afterAll(async () => lure.close());

  it('never uses an embedded jwk, with the genuine kid or with one of its own', async () => {
    const claims = goodClaims(issuer);
    const underGenuineKid = await signToken(ring.attacker, claims, { header: { kid: ring.rs256.kid, jwk: ring.attacker.jwk } });
    const underOwnKid = await signToken(ring.attacker, claims, { header: { jwk: ring.attacker.jwk } });
    const withoutKid = await signToken(ring.attacker, claims, { header: { jwk: ring.attacker.jwk }, noKid: true });
    expect(await verdict(verifierOf(issuer), underGenuineKid)).toBe('401 signature_invalid');
    expect(await verdict(verifierOf(issuer), underOwnKid)).toBe('401 key_not_found');
    // Without a kid the one published key fit for RS256 is tried, and the attacker's signature fails on it.
    expect(await verdict(verifierOf(issuer), withoutKid)).toBe('401 signature_invalid');
  });

  it('never uses an x5c chain or an x5t#S256 thumbprint', async () => {
    // A genuine self-signed certificate for the attacker's key, as a chain of one.
    const publicKey = KeyObject.from(ring.attacker.publicKey);
    const der = selfSignedCertificate(publicKey, privateKeyOf(ring.attacker), 'login.example');
    const certificate = new X509Certificate(der);
    expect(certificate.verify(publicKey) && certificate.checkIssued(certificate)).toBe(true);
    expect(certificate.publicKey.equals(publicKey)).toBe(true);
    const members = x5cMembers(der);
    const claims = goodClaims(issuer);
    const underGenuineKid = await signToken(ring.attacker, claims, { header: { kid: ring.rs256.kid, ...members } });
    const withoutKid = await signToken(ring.attacker, claims, { header: members, noKid: true });
    const underOwnKid = await signToken(ring.attacker, claims, { header: { kid: members.x5t, ...members } });
    expect(await verdict(verifierOf(issuer), underGenuineKid)).toBe('401 signature_invalid');
    expect(await verdict(verifierOf(issuer), withoutKid)).toBe('401 signature_invalid');
    expect(await verdict(verifierOf(issuer), underOwnKid)).toBe('401 key_not_found');
  });

  it('never fetches jku or x5u, whether they point at an attacker, metadata services or localhost', async () => {
    lureHits = 0;
    const targets = [
      `${lure.url}/jwks`,
      `${lure.url.replace('127.0.0.1', 'localhost')}/jwks`,
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'file:///etc/passwd',
    ];
    for (const target of targets) {
      for (const member of ['jku', 'x5u']) {
        for (const kid of [ring.attacker.kid, ring.rs256.kid]) {
          const token = await signToken(ring.attacker, goodClaims(issuer), { header: { kid, [member]: target } });
          const expected = kid === ring.rs256.kid ? '401 signature_invalid' : '401 key_not_found';
          expect(await verdict(verifierOf(issuer), token)).toBe(expected);
        }
      }
    }
    expect(lureHits).toBe(0);
  });
});

describe('HD-09 hostile kid values', () => {
  it.each<[string, string]>([
    ['an ordinary unpublished name (the baseline)', 'key-rs256-unpublished'],
    ['a path traversal', '../../../../dev/null'],
    ['an absolute path', '/dev/null'],
    ['an SQL injection', "' OR '1'='1"],
    ['a shell pipe', '|sleep 10'],
    ['a command substitution', '$(id)'],
    ['8 KB long', 'k'.repeat(8192)],
    ['holding CR LF and a header line', 'line\r\nX-Injected: 1'],
    ['empty', ''],
    ['__proto__', '__proto__'],
    ['constructor', 'constructor'],
    ['hasOwnProperty', 'hasOwnProperty'],
    ['ending in NUL', 'x\u0000'],
  ])('rejects a kid that is %s as key_not_found within a second, fetching once at most', async (_name, kid) => {
    const fresh = await startSecurityIssuer(publishedKeys(ring));
    try {
      const verifier = verifierOf(fresh);
      const token = await signToken(ring.rs256, goodClaims(fresh), { header: { kid } });
      // Cold (one fetch, which the unknown kid shares), warm, and warm again within the cooldown: no added
      // latency (a generous bound: a hang detector, not a benchmark) and no fetch beyond the first.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const started = performance.now();
        expect(await verdict(verifier, token)).toBe('401 key_not_found');
        expect(performance.now() - started).toBeLessThan(1000);
      }
      expect(fresh.jwksHits()).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it('does not match the genuine kid with a trailing NUL or different case', async () => {
    for (const kid of [`${ring.rs256.kid}\u0000`, ring.rs256.kid.toUpperCase(), ` ${ring.rs256.kid}`]) {
      const token = await signToken(ring.rs256, goodClaims(issuer), { header: { kid } });
      expect(await verdict(verifierOf(issuer), token)).toBe('401 key_not_found');
    }
  });

  it.each<[string, unknown]>([
    ['0', 0],
    ['an object', {}],
    ['an array', ['a-kid']],
    ['null', null],
    ['true', true],
  ])('rejects a non-string kid (%s) as header_invalid, never matching a key', async (_name, kid) => {
    expect(await verdict(verifierOf(issuer), withHeader({ kid }))).toBe('401 header_invalid');
  });
});

describe('HD-10 duplicate JSON members: the value checked is the value used', () => {
  const claimsJson = (): string => JSON.stringify(goodClaims(issuer)).slice(1, -1);
  const kid = (): string => JSON.stringify(ring.rs256.kid);

  it('judges {"alg":"RS256",…,"alg":"none"} by its last alg and rejects it', async () => {
    const token = signRaw(`{"alg":"RS256","kid":${kid()},"alg":"none"}`, `{${claimsJson()}}`, ring.rs256, { alg: 'RS256' });
    expect(await verdict(verifierOf(issuer), token)).toBe('401 algorithm_not_allowed');
  });

  it('judges {"alg":"none",…,"alg":"RS256"} by its last alg, verifies under that alg and reports it', async () => {
    const token = signRaw(`{"alg":"none","kid":${kid()},"alg":"RS256"}`, `{${claimsJson()}}`, ring.rs256, { alg: 'RS256' });
    const auth = await verifierOf(issuer).verify(token);
    expect(auth.header.alg).toBe('RS256');
  });

  it('selects the key named by the last kid', async () => {
    const good = signRaw(`{"alg":"RS256","kid":"nobody","kid":${kid()}}`, `{${claimsJson()}}`, ring.rs256);
    const bad = signRaw(`{"alg":"RS256","kid":${kid()},"kid":"nobody"}`, `{${claimsJson()}}`, ring.rs256);
    expect(await verdict(verifierOf(issuer), good)).toBe('ok');
    expect(await verdict(verifierOf(issuer), bad)).toBe('401 key_not_found');
  });

  it('exposes the scope it judged: the last of two scp members', async () => {
    const token = signRaw(`{"alg":"RS256","kid":${kid()}}`, `{${claimsJson()},"scp":"read","scp":"admin"}`, ring.rs256);
    const auth = await verifierOf(issuer).verify(token);
    expect(auth.scopes).toEqual(['admin']);
    expect(auth.payload.scp).toBe('admin');
  });

  it('judges the last aud, exp and iss of a payload that repeats them', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = `"sub":"svc","iat":${now}`;
    const iss = JSON.stringify(issuer.url);
    const header = `{"alg":"RS256","kid":${kid()}}`;
    const cases: [string, string][] = [
      [`{${base},"iss":${iss},"exp":${now + 300},"aud":"api://other","aud":"${AUDIENCE}"}`, 'ok'],
      [`{${base},"iss":${iss},"exp":${now + 300},"aud":"${AUDIENCE}","aud":"api://other"}`, '401 audience_mismatch'],
      [`{${base},"iss":${iss},"aud":"${AUDIENCE}","exp":${now - 3600},"exp":${now + 300}}`, 'ok'],
      [`{${base},"iss":${iss},"aud":"${AUDIENCE}","exp":${now + 300},"exp":${now - 3600}}`, '401 token_expired'],
      [`{${base},"iss":"https://evil.example","iss":${iss},"aud":"${AUDIENCE}","exp":${now + 300}}`, 'ok'],
      [`{${base},"iss":${iss},"iss":"https://evil.example","aud":"${AUDIENCE}","exp":${now + 300}}`, '401 issuer_mismatch'],
    ];
    for (const [payload, expected] of cases) {
      expect(`${payload} → ${await verdict(verifierOf(issuer), signRaw(header, payload, ring.rs256))}`).toBe(`${payload} → ${expected}`);
    }
  });
});

describe('HD-11 compact structure', () => {
  const signed = (): Promise<string> => signToken(ring.rs256, goodClaims(issuer));

  it.each<[string, (token: string) => string, string]>([
    ['two segments', (t) => t.split('.').slice(0, 2).join('.'), '401 token_malformed'],
    ['four segments', (t) => `${t}.${t.split('.')[2]}`, '401 token_malformed'],
    ['a trailing dot', (t) => `${t}.`, '401 token_malformed'],
    ['a leading dot', (t) => `.${t}`, '401 token_malformed'],
    ['an empty header segment', (t) => `.${t.split('.').slice(1).join('.')}`, '401 token_malformed'],
    ['six segments', (t) => `${t}.a.b.c`, '401 token_malformed'],
    ['five segments (a JWE)', () => 'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIn0.a2V5.aXY.Y2lwaGVy.dGFn', '401 token_encrypted'],
    ['whitespace inside', (t) => t.replace('.', '. '), '401 token_malformed'],
    ['a newline at the end', (t) => `${t}\n`, '401 token_malformed'],
  ])('rejects a token with %s', async (_name, mutate, expected) => {
    expect(await verdict(verifierOf(issuer), mutate(await signed()))).toBe(expected);
  });

  it.each<[string, string | Buffer]>([
    ['an array', '[]'],
    ['a string', '"RS256"'],
    ['null', 'null'],
    ['a number', '123'],
    ['JSON followed by garbage', '{"alg":"RS256"}x'],
    ['two JSON objects', '{"alg":"RS256"}{}'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x6c, 0x67, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])],
    ['a UTF-8 byte order mark before the JSON', `\ufeff{"alg":"RS256","kid":"x"}`],
    ['nothing', ''],
  ])('rejects a header that decodes to %s as token_malformed', async (_name, header) => {
    const payload = b64url(goodClaims(issuer));
    const headerSegment = b64text(header);
    const token = headerSegment === '' ? `.${payload}.c2ln` : signRaw(headerSegment, payload, ring.rs256, { encoded: true });
    expect(await verdict(verifierOf(issuer), token)).toBe('401 token_malformed');
  });

  it.each<[string, string | Buffer]>([
    ['an array', '[]'],
    ['a string', '"claims"'],
    ['null', 'null'],
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['a nested JWT (cty JWT)', 'eyJhbGciOiJub25lIn0.e30.'],
  ])('rejects a validly signed payload that decodes to %s as token_malformed', async (_name, payload) => {
    const token = signRaw(b64url({ alg: 'RS256', kid: ring.rs256.kid, cty: 'JWT' }), b64text(payload), ring.rs256, { encoded: true });
    expect(await verdict(verifierOf(issuer), token)).toBe('401 token_malformed');
  });

  it('accepts JSON whitespace inside the header and payload (the signature covers the exact bytes)', async () => {
    const header = `{ "alg" : "RS256" ,\n\t"kid" : ${JSON.stringify(ring.rs256.kid)} }`;
    const payload = JSON.stringify(goodClaims(issuer), null, 2);
    expect(await verdict(verifierOf(issuer), signRaw(header, payload, ring.rs256))).toBe('ok');
  });
});
