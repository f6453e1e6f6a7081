/**
 * The catalogue as a corpus of named tokens (one or more per row), for the differential test: every token
 * is built from the key ring at a fixed "now", and most carry a genuine signature over exactly their bytes,
 * so that the rule each one probes is the only thing that can decide it.
 */
import { createHmac, sign as cryptoSign } from 'node:crypto';
import type { IssuerServer } from '../helpers/issuer-server.js';
import { AUDIENCE, b64text, b64url, jwsSignature, privateKeyOf, signRaw, type KeyRing, type TestKey } from './support.js';

/** One named token of the corpus. */
export interface CorpusEntry {
  readonly name: string;
  readonly token: string;
}

const ORDER_P256 = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** The catalogue tokens for `issuer` at `now` (seconds). */
export function catalogueCorpus(issuer: IssuerServer, ring: KeyRing, now: number): CorpusEntry[] {
  const entries: CorpusEntry[] = [];
  const add = (name: string, token: string): void => {
    entries.push({ name, token });
  };
  const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: issuer.url, aud: AUDIENCE, sub: 'svc', client_id: 'payments', iat: now, exp: now + 300, ...extra,
  });
  const sign = (header: Record<string, unknown>, payload: Record<string, unknown>, key: TestKey, alg?: string): string =>
    signRaw(JSON.stringify(header), JSON.stringify(payload), key, alg === undefined ? {} : { alg });
  const genuine = (key: TestKey, extra: Record<string, unknown> = {}, header: Record<string, unknown> = {}): string =>
    sign({ alg: key.alg, kid: key.kid, ...header }, claims(extra), key);
  const rawPayload = (members: string, key: TestKey = ring.rs256): string =>
    signRaw(JSON.stringify({ alg: key.alg, kid: key.kid }), `{${members}}`, key);
  const base = (without: string[] = []): string => {
    const object = claims();
    for (const name of without) delete object[name];
    return JSON.stringify(object).slice(1, -1);
  };
  const hs = (secret: string | Buffer, alg = 'HS256'): string => {
    const input = `${b64url({ alg, kid: ring.rs256.kid })}.${b64url(claims())}`;
    return `${input}.${createHmac(`sha${alg.slice(2)}`, secret).update(input).digest('base64url')}`;
  };

  // Genuine tokens of every published key, and typ spellings.
  for (const key of [ring.rs256, ring.ps256, ring.es256, ring.es384, ring.es512, ring.eddsa]) add(`genuine ${key.alg}`, genuine(key));
  for (const typ of ['JWT', 'jwt', 'at+jwt', 'AT+JWT', 'application/at+jwt', 'application/jwt', 'dpop+jwt', 'logout+jwt', 'application/application/at+jwt']) {
    add(`HD-06 typ ${typ}`, genuine(ring.es256, {}, { typ }));
  }
  add('HD-06 typ 1', genuine(ring.es256, {}, { typ: 1 }));
  add('KY-01 no kid, one fitting key', sign({ alg: 'RS256' }, claims(), ring.rs256));
  // SC-01, SC-06: sender-constrained tokens presented as Bearer tokens.
  add('SC-01 cnf.jkt', genuine(ring.es256, { cnf: { jkt: '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I' } }));
  add('SC-06 cnf.x5t#S256', genuine(ring.es256, { cnf: { 'x5t#S256': 'bwcK0esc3ACC3DB2Y5_lESsXE8o9ltc05O89jdN-dg2' } }));
  add('KY-01 no kid, ES256', sign({ alg: 'ES256' }, claims(), ring.es256));

  // HD-01, HD-02, HD-03, SG-01.
  const [h, p, s] = genuine(ring.rs256).split('.') as [string, string, string];
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) add(`HD-01 alg ${alg}`, `${b64url({ alg, kid: ring.rs256.kid })}.${p}.${s}`);
  add('HD-01 alg none, empty signature', `${b64url({ alg: 'none' })}.${p}.`);
  for (const [name, alg] of [['missing', undefined], ['null', null], ['array', ['RS256']], ['number', 256], ['RS256 with a space', 'RS256 '], ['rs256', 'rs256']] as const) {
    add(`HD-02 alg ${name}`, sign(alg === undefined ? { kid: ring.rs256.kid } : { alg, kid: ring.rs256.kid }, claims(), ring.rs256, 'RS256'));
  }
  for (const alg of ['HS256', 'HS384', 'HS512']) add(`HD-03 ${alg}`, hs('shared secret', alg));
  add('HD-03 ES256K', sign({ alg: 'ES256K', kid: ring.es256.kid }, claims(), ring.es256, 'ES256'));
  add('SG-01 HS256 keyed with the JWK text', hs(JSON.stringify(ring.rs256.jwk)));
  add('SG-01 HS256 keyed with the modulus', hs(Buffer.from(ring.rs256.jwk.n ?? '', 'base64url')));

  // HD-04, HD-05, HD-07, HD-08, HD-09.
  const critCases: [string, Record<string, unknown>][] = [
    ['unknown', { crit: ['x-policy'], 'x-policy': 1 }],
    ['empty', { crit: [] }],
    ['alg', { crit: ['alg'] }],
    ['absent name', { crit: ['x-absent'] }],
    ['string', { crit: 'b64', b64: true }],
    ['b64 true', { crit: ['b64'], b64: true }],
    ['b64 twice', { crit: ['b64', 'b64'], b64: true }],
    ['b64 false', { crit: ['b64'], b64: false }],
    ['b64 not boolean', { crit: ['b64'], b64: 'true' }],
    ['b64 absent', { crit: ['b64'] }],
    ['null', { crit: null }],
  ];
  for (const [name, extra] of critCases) add(`HD-04 crit ${name}`, genuine(ring.rs256, {}, extra));
  add('HD-05 b64 false without crit', genuine(ring.rs256, {}, { b64: false }));
  add('HD-07 embedded jwk under the genuine kid', sign({ alg: 'RS256', kid: ring.rs256.kid, jwk: ring.attacker.jwk }, claims(), ring.attacker));
  add('HD-07 embedded jwk without kid', sign({ alg: 'RS256', jwk: ring.attacker.jwk }, claims(), ring.attacker));
  add('HD-08 jku', sign({ alg: 'RS256', kid: ring.attacker.kid, jku: `${issuer.url}/evil` }, claims(), ring.attacker));
  add('HD-08 x5u on a genuine token', genuine(ring.rs256, {}, { x5u: 'https://evil.example/cert.pem' }));
  add('HD-07 x5c on a genuine token', genuine(ring.rs256, {}, { x5c: ['MIIB'] }));
  for (const kid of ['../../../../dev/null', "' OR '1'='1", '', '__proto__', 'k'.repeat(2048)]) {
    add(`HD-09 kid ${JSON.stringify(kid.slice(0, 20))}`, sign({ alg: 'RS256', kid }, claims(), ring.rs256));
  }
  for (const kid of [0, null, {}, [ring.rs256.kid], true]) add(`HD-09 kid ${JSON.stringify(kid)}`, sign({ alg: 'RS256', kid }, claims(), ring.rs256));

  // HD-10 duplicate members.
  const kidJson = JSON.stringify(ring.rs256.kid);
  add('HD-10 alg RS256 then none', signRaw(`{"alg":"RS256","kid":${kidJson},"alg":"none"}`, `{${base()}}`, ring.rs256, { alg: 'RS256' }));
  add('HD-10 alg none then RS256', signRaw(`{"alg":"none","kid":${kidJson},"alg":"RS256"}`, `{${base()}}`, ring.rs256, { alg: 'RS256' }));
  add('HD-10 scp twice', rawPayload(`${base()},"scp":"read","scp":"admin"`));
  add('HD-10 exp past then future', rawPayload(`${base(['exp'])},"exp":${now - 3600},"exp":${now + 300}`));
  add('HD-10 exp future then past', rawPayload(`${base(['exp'])},"exp":${now + 300},"exp":${now - 3600}`));
  add('HD-10 aud other then good', rawPayload(`${base(['aud'])},"aud":"api://other","aud":"${AUDIENCE}"`));
  add('HD-10 iss good then evil', rawPayload(`${base(['iss'])},"iss":${JSON.stringify(issuer.url)},"iss":"https://evil.example"`));

  // HD-11 structure.
  const full = genuine(ring.rs256);
  add('HD-11 two segments', full.split('.').slice(0, 2).join('.'));
  add('HD-11 four segments', `${full}.${s}`);
  add('HD-11 trailing dot', `${full}.`);
  add('HD-11 JWE', `${b64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a2V5.aXY.Y2lwaGVy.dGFn`);
  add('HD-11 header is an array', signRaw('[]', JSON.stringify(claims()), ring.rs256));
  add('HD-11 payload is null', signRaw(JSON.stringify({ alg: 'RS256', kid: ring.rs256.kid }), 'null', ring.rs256));
  add('HD-11 payload with trailing garbage', signRaw(JSON.stringify({ alg: 'RS256', kid: ring.rs256.kid }), `${JSON.stringify(claims())}x`, ring.rs256));
  add('HD-11 payload of invalid UTF-8', signRaw(b64url({ alg: 'RS256', kid: ring.rs256.kid }), b64text(Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d])), ring.rs256, { encoded: true }));
  add('HD-11 JSON whitespace in header and payload', signRaw(`{ "alg" : "RS256", "kid" : ${kidJson} }`, JSON.stringify(claims(), null, 2), ring.rs256));
  add('strict JSON: BOM before the payload', signRaw(b64url({ alg: 'RS256', kid: ring.rs256.kid }), b64text(`\ufeff${JSON.stringify(claims())}`), ring.rs256, { encoded: true }));
  add('strict JSON: BOM before the header', signRaw(b64text(`\ufeff${JSON.stringify({ alg: 'RS256', kid: ring.rs256.kid })}`), b64url(claims()), ring.rs256, { encoded: true }));

  // SG-02 to SG-06.
  const esInput = genuine(ring.es256).split('.').slice(0, 2).join('.');
  const esSignature = Buffer.from(genuine(ring.es256).split('.')[2]!, 'base64url');
  const int32 = (value: bigint): Buffer => Buffer.from(value.toString(16).padStart(64, '0'), 'hex');
  add('SG-02 r = s = 0', `${esInput}.${Buffer.alloc(64).toString('base64url')}`);
  add('SG-02 r = s = n', `${esInput}.${Buffer.concat([int32(ORDER_P256), int32(ORDER_P256)]).toString('base64url')}`);
  add('SG-03 DER signature', `${esInput}.${cryptoSign('sha256', Buffer.from(esInput), { key: privateKeyOf(ring.es256), dsaEncoding: 'der' }).toString('base64url')}`);
  add('SG-03 63-byte signature', `${esInput}.${esSignature.subarray(0, 63).toString('base64url')}`);
  add('SG-03 65-byte signature', `${esInput}.${Buffer.concat([esSignature, Buffer.alloc(1)]).toString('base64url')}`);
  add('SG-03 PS256 signature without its leading zero byte', strippedPss(ring.ps256, claims()));
  const sValue = BigInt(`0x${esSignature.subarray(32).toString('hex')}`);
  add('SG-04 s replaced by n - s', `${esInput}.${Buffer.concat([esSignature.subarray(0, 32), int32(ORDER_P256 - sValue)]).toString('base64url')}`);
  const dirty = (segment: string): string => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const unused = segment.length % 4 === 2 ? 0x0f : 0x03;
    return segment.slice(0, -1) + alphabet[alphabet.indexOf(segment.at(-1)!) | unused];
  };
  add('SG-05 unused bits set in the signature', `${h}.${p}.${dirty(s)}`);
  add('SG-05 "=" padding on the signature', `${h}.${p}.${s}==`);
  add('SG-05 space inside the signature', `${h}.${p}.${s.slice(0, 10)} ${s.slice(10)}`);
  add('SG-05 "+" and "/" in the signature', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}/`);
  const flipped = Buffer.from(s, 'base64url');
  flipped[7]! ^= 0x40;
  add('SG-06 flipped signature bit', `${h}.${p}.${flipped.toString('base64url')}`);
  add('SG-06 escalated payload', `${h}.${b64url(claims({ scope: 'admin' }))}.${s}`);
  add('SG-06 signature from another key, same kid', sign({ alg: 'RS256', kid: ring.rs256.kid }, claims(), ring.attacker));

  // SG-08 alg and key disagreements.
  add('SG-08 RS256 naming the EC key', sign({ alg: 'RS256', kid: ring.es256.kid }, claims(), ring.rs256));
  add('SG-08 PS256 signed by the RS256 key', sign({ alg: 'PS256', kid: ring.rs256.kid }, claims(), ring.rs256, 'PS256'));
  add('SG-08 ES256 naming the P-384 key', sign({ alg: 'ES256', kid: ring.es384.kid }, claims(), ring.es256));
  add('SG-08 Ed25519 naming the EdDSA key', sign({ alg: 'Ed25519', kid: ring.eddsa.kid }, claims(), ring.eddsa, 'Ed25519'));

  // CL time claims.
  const times: [string, string, string[]][] = [
    ['exp missing', '', ['exp']],
    ['exp string', '"exp":"9999999999"', ['exp']],
    ['exp null', '"exp":null', ['exp']],
    ['exp 1e400', '"exp":1e400', ['exp']],
    ['exp -1e400', '"exp":-1e400', ['exp']],
    ['exp now - 61', `"exp":${now - 61}`, ['exp']],
    ['exp now - 60', `"exp":${now - 60}`, ['exp']],
    ['exp now - 59', `"exp":${now - 59}`, ['exp']],
    ['exp fractional', `"exp":${now - 59.5}`, ['exp']],
    ['exp 1e300', '"exp":1e300', ['exp']],
    ['nbf now + 61', `"nbf":${now + 61}`, []],
    ['nbf now + 60', `"nbf":${now + 60}`, []],
    ['nbf string', `"nbf":"${now}"`, []],
    ['nbf 1e400', '"nbf":1e400', []],
    ['iat string', `"iat":"${now}"`, ['iat']],
    ['iat 1e400', '"iat":1e400', ['iat']],
    ['iat now + 61', `"iat":${now + 61}`, ['iat']],
    ['iat now + 86400', `"iat":${now + 86_400}`, ['iat']],
    ['iat negative', '"iat":-1', ['iat']],
  ];
  for (const [name, extra, without] of times) add(`CL ${name}`, rawPayload([base(without), extra].filter((x) => x !== '').join(',')));

  // CL iss and aud.
  for (const [name, iss] of [
    ['trailing slash', `${issuer.url}/`], ['upper case', issuer.url.toUpperCase()], ['https', issuer.url.replace('http:', 'https:')],
    ['substring', issuer.url.slice(0, -2)], ['array', [issuer.url]], ['number', 1], ['null', null],
  ] as const) {
    add(`CL-06/07 iss ${name}`, genuine(ring.rs256, { iss }));
  }
  add('CL-07 iss missing', rawPayload(base(['iss'])));
  for (const [name, aud] of [
    ['array with it', ['api://other', AUDIENCE]], ['array without it', ['api://other']], ['empty array', []], ['[""]', ['']],
    ['odd values', [123, {}, AUDIENCE]], ['nested', [[AUDIENCE]]], ['empty string', ''], ['null', null], ['suffix', `${AUDIENCE}/`],
  ] as const) {
    add(`CL-08 aud ${name}`, genuine(ring.rs256, { aud }));
  }
  add('CL-08 aud missing', rawPayload(base(['aud'])));
  add('PV-06 ID token for the API', genuine(ring.rs256, { nonce: 'n', auth_time: now }));

  // RX.
  add('RX-01 genuine token over 16384 characters', genuine(ring.es256, { pad: 'p'.repeat(16_500) }));
  add('RX-02 many dots', 'a.'.repeat(4000));
  add('RX-05 genuine payload nested 1000 levels', signRaw(JSON.stringify({ alg: 'ES256', kid: ring.es256.kid }), `{${base()},"x":${'['.repeat(1000)}${']'.repeat(1000)}}`, ring.es256));
  return entries;
}

/**
 * A genuine PS256 token whose signature began with a zero byte, sent without it: the same integer, one byte
 * short of the modulus length. RSASSA-PSS is randomised, so about one signature in 256 qualifies.
 */
function strippedPss(key: TestKey, payload: Record<string, unknown>): string {
  const input = `${b64text(JSON.stringify({ alg: 'PS256', kid: key.kid }))}.${b64text(JSON.stringify(payload))}`;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const signature = jwsSignature('PS256', privateKeyOf(key), input);
    if (signature[0] === 0) return `${input}.${signature.subarray(1).toString('base64url')}`;
  }
  throw new Error('no PS256 signature with a leading zero byte in 10000 attempts');
}
