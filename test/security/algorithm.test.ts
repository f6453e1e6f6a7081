/**
 * Catalogue family "algorithm" (HD-01, HD-02, HD-03, SG-01, SG-08): unsecured tokens, `alg` values that are
 * missing or not strings, algorithms outside the allow-list, HMAC keyed with the issuer's public key in every
 * spelling, and tokens whose `alg` disagrees with the `alg`, `kty` or `crv` of the key they name.
 */
import { createHmac, createPublicKey, createSecretKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { exportSPKI, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuerServer } from '../helpers/issuer-server.js';
import {
  b64url,
  goodClaims,
  publishedKeys,
  signJson,
  signToken,
  startSecurityIssuer,
  useSecurityIssuer,
  verdict,
  verifierOf,
  type KeyRing,
} from './support.js';

let ring: KeyRing;
let issuer: IssuerServer;
useSecurityIssuer((suite) => ({ ring, issuer } = suite));

/** Runs `check` against a verifier of a fresh issuer and returns how many fetches it caused. */
async function coldFetches(check: (cold: IssuerServer) => Promise<void>): Promise<number> {
  const cold = await startSecurityIssuer(publishedKeys(ring));
  try {
    await check(cold);
    return cold.jwksHits() + cold.discoveryHits();
  } finally {
    await cold.close();
  }
}

describe('HD-01 unsecured tokens (alg none)', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])(
    'rejects alg %s carrying the kid, payload and signature of a genuine token, fetching no keys',
    async (alg) => {
      const fetches = await coldFetches(async (cold) => {
        const genuine = await signToken(ring.rs256, goodClaims(cold));
        const [, payload, signature] = genuine.split('.');
        const forged = `${b64url({ alg, kid: ring.rs256.kid, typ: 'JWT' })}.${payload}.${signature}`;
        expect(await verdict(verifierOf(cold), forged)).toBe('401 algorithm_not_allowed');
      });
      expect(fetches).toBe(0);
    },
  );

  it('rejects alg none with an empty signature segment as token_malformed', async () => {
    const token = `${b64url({ alg: 'none' })}.${b64url(goodClaims(issuer))}.`;
    expect(await verdict(verifierOf(issuer), token)).toBe('401 token_malformed');
  });

  it('rejects alg none with the signature segment left out (two segments) as token_malformed', async () => {
    const token = `${b64url({ alg: 'none' })}.${b64url(goodClaims(issuer))}`;
    expect(await verdict(verifierOf(issuer), token)).toBe('401 token_malformed');
  });
});

describe('HD-02 alg missing or not a string', () => {
  it.each<[string, unknown]>([
    ['missing', undefined],
    ['null', null],
    ['an array', ['RS256']],
    ['an object', { name: 'RS256' }],
    ['a number', 256],
    ['a boolean', true],
  ])('rejects a validly signed token whose alg is %s as header_invalid', async (_name, alg) => {
    const header = alg === undefined ? { kid: ring.rs256.kid } : { alg, kid: ring.rs256.kid };
    const token = signJson(header, goodClaims(issuer), ring.rs256, 'RS256');
    expect(await verdict(verifierOf(issuer), token)).toBe('401 header_invalid');
  });

  it.each(['', 'RS256 ', ' RS256', 'rs256', 'RS256\u0000', 'RS256\n'])(
    'rejects the look-alike alg %j as algorithm_not_allowed',
    async (alg) => {
      const token = signJson({ alg, kid: ring.rs256.kid }, goodClaims(issuer), ring.rs256, 'RS256');
      expect(await verdict(verifierOf(issuer), token)).toBe('401 algorithm_not_allowed');
    },
  );
});

describe('HD-03 algorithms outside the allow-list', () => {
  it('rejects genuine ES512, PS256 and EdDSA tokens when only RS256 is allowed, fetching no keys', async () => {
    const fetches = await coldFetches(async (cold) => {
      const verifier = verifierOf(cold, { algorithms: ['RS256'] });
      for (const key of [ring.es512, ring.ps256, ring.eddsa]) {
        expect(await verdict(verifier, await signToken(key, goodClaims(cold)))).toBe('401 algorithm_not_allowed');
      }
    });
    expect(fetches).toBe(0);
  });

  it.each(['HS256', 'HS384', 'HS512'])('rejects %s under the default allow-list, fetching no keys', async (alg) => {
    const fetches = await coldFetches(async (cold) => {
      const token = await new SignJWT(goodClaims(cold))
        .setProtectedHeader({ alg, kid: ring.rs256.kid })
        .sign(createSecretKey(Buffer.from('any secret at all, long enough for every HMAC size we try here....')));
      expect(await verdict(verifierOf(cold), token)).toBe('401 algorithm_not_allowed');
    });
    expect(fetches).toBe(0);
  });

  it.each(['RS1', 'ES256K', 'ML-DSA-44', 'RSA-OAEP', 'dir', 'PBES2-HS512+A256KW', 'Ed448', 'EdDSA448'])(
    'rejects the algorithm %s, which bearer-guard does not support, as algorithm_not_allowed',
    async (alg) => {
      const token = signJson({ alg, kid: ring.rs256.kid }, goodClaims(issuer), ring.rs256, 'RS256');
      expect(await verdict(verifierOf(issuer), token)).toBe('401 algorithm_not_allowed');
    },
  );

  it('refuses to be configured with none or an HMAC algorithm', () => {
    for (const algorithms of [['none'], ['HS256'], ['RS256', 'hs512']]) {
      expect(() => verifierOf(issuer, { algorithms })).toThrow(/option "algorithms"/);
    }
  });
});

describe('SG-01 HMAC keyed with the issuer public key (algorithm confusion)', () => {
  /** Every byte string an attacker might guess the verifier would use as the HMAC secret. */
  async function secretsFor(): Promise<[string, Buffer][]> {
    const rsaPem = await exportSPKI(ring.rs256.publicKey);
    const ecPem = await exportSPKI(ring.es256.publicKey);
    const rsaKey = createPublicKey(rsaPem);
    return [
      ['the SPKI PEM with its final newline', Buffer.from(rsaPem.endsWith('\n') ? rsaPem : `${rsaPem}\n`)],
      ['the SPKI PEM without its final newline', Buffer.from(rsaPem.trimEnd())],
      ['the SPKI PEM after leading whitespace', Buffer.from(`  \n${rsaPem}`)],
      ['the SPKI PEM after a byte order mark', Buffer.from(`\ufeff${rsaPem}`)],
      ['the SPKI PEM after a comment line', Buffer.from(`# issuer key\n${rsaPem}`)],
      ['the PKCS#1 PEM', Buffer.from(rsaKey.export({ format: 'pem', type: 'pkcs1' }) as string)],
      ['the SPKI DER', rsaKey.export({ format: 'der', type: 'spki' }) as Buffer],
      ['the JWK JSON text', Buffer.from(JSON.stringify(ring.rs256.jwk))],
      ['the JWK modulus bytes', Buffer.from(ring.rs256.jwk.n ?? '', 'base64url')],
      ['the EC SPKI PEM', Buffer.from(ecPem)],
      ['an empty secret', Buffer.alloc(0)],
    ];
  }

  it('rejects HS256, HS384 and HS512 keyed with every spelling of the public key, fetching no keys', async () => {
    const secrets = await secretsFor();
    const fetches = await coldFetches(async (cold) => {
      const verifier = verifierOf(cold);
      for (const [name, secret] of secrets) {
        for (const alg of ['HS256', 'HS384', 'HS512']) {
          const input = `${b64url({ alg, kid: ring.rs256.kid })}.${b64url(goodClaims(cold))}`;
          const signature = createHmac(`sha${alg.slice(2)}`, secret).update(input).digest('base64url');
          const outcome = await verdict(verifier, `${input}.${signature}`);
          expect(`${alg} keyed with ${name}: ${outcome}`).toBe(`${alg} keyed with ${name}: 401 algorithm_not_allowed`);
        }
      }
    });
    expect(fetches).toBe(0);
  });
});

describe('SG-08 alg that disagrees with the key', () => {
  let mixed: IssuerServer;
  let p256NoAlg: ReturnType<typeof generateKeyPairSync>;

  beforeAll(async () => {
    mixed = await startSecurityIssuer(publishedKeys(ring));
    p256NoAlg = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const { alg: _ignored, ...rsaWithoutAlg } = ring.attacker.jwk;
    mixed.keys.push(
      { ...p256NoAlg.publicKey.export({ format: 'jwk' }), kid: 'p256-no-alg' },
      // An RSA key mislabelled with an EC algorithm: no algorithm fits it, so it is never used.
      { ...ring.attacker.jwk, kid: 'rsa-labelled-es256', alg: 'ES256' },
      { ...rsaWithoutAlg, kid: 'rsa-no-alg' },
    );
  });
  afterAll(async () => mixed.close());

  const cases: [string, () => string][] = [
    ['an RS256 token naming the ES256 key', () => signJson({ alg: 'RS256', kid: ring.es256.kid }, goodClaims(mixed), ring.rs256, 'RS256')],
    ['an ES256 token naming the RS256 key', () => signJson({ alg: 'ES256', kid: ring.rs256.kid }, goodClaims(mixed), ring.es256, 'ES256')],
    ['a PS256 token signed by the key published for RS256', () => signJson({ alg: 'PS256', kid: ring.rs256.kid }, goodClaims(mixed), ring.rs256, 'PS256')],
    ['an RS256 token signed by the key published for PS256', () => signJson({ alg: 'RS256', kid: ring.ps256.kid }, goodClaims(mixed), ring.ps256, 'RS256')],
    ['an ES256 token naming the P-384 key', () => signJson({ alg: 'ES256', kid: ring.es384.kid }, goodClaims(mixed), ring.es256, 'ES256')],
    ['an ES384 token naming the P-256 key', () => signJson({ alg: 'ES384', kid: ring.es256.kid }, goodClaims(mixed), ring.es256, 'ES384')],
    ['an ES256 token naming the Ed25519 key', () => signJson({ alg: 'ES256', kid: ring.eddsa.kid }, goodClaims(mixed), ring.es256, 'ES256')],
    ['an EdDSA token naming the RS256 key', () => signJson({ alg: 'EdDSA', kid: ring.rs256.kid }, goodClaims(mixed), ring.eddsa, 'EdDSA')],
    ['an Ed25519 token naming the key published for EdDSA', () => signJson({ alg: 'Ed25519', kid: ring.eddsa.kid }, goodClaims(mixed), ring.eddsa, 'Ed25519')],
    ['an RS256 token naming an RSA key labelled ES256', () => signJson({ alg: 'RS256', kid: 'rsa-labelled-es256' }, goodClaims(mixed), ring.attacker, 'RS256')],
  ];

  it.each(cases)('rejects %s as key_not_found', async (_name, make) => {
    expect(await verdict(verifierOf(mixed), make())).toBe('401 key_not_found');
  });

  it('lets a key without alg verify only the algorithms of its own type and curve', async () => {
    const privateKey = p256NoAlg.privateKey;
    const sign = (alg: string): string => {
      const input = `${b64url({ alg, kid: 'p256-no-alg' })}.${b64url(goodClaims(mixed))}`;
      const hash = alg === 'ES256' ? 'sha256' : 'sha384';
      return `${input}.${cryptoSign(hash, Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    };
    expect(await verdict(verifierOf(mixed), sign('ES256'))).toBe('ok');
    expect(await verdict(verifierOf(mixed), sign('ES384'))).toBe('401 key_not_found');
    const rsa = signJson({ alg: 'PS512', kid: 'rsa-no-alg' }, goodClaims(mixed), ring.attacker, 'PS512');
    expect(await verdict(verifierOf(mixed), rsa)).toBe('ok');
  });
});
