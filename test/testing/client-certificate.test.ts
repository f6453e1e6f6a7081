import { createPublicKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createClientCertificate } from '../../src/testing/index.js';

describe('createClientCertificate()', () => {
  it('makes a self-signed RSA 2048 certificate whose thumbprints, JWK and private key agree', async () => {
    const cert = await createClientCertificate();
    const x509 = new X509Certificate(cert.certificate);
    expect(x509.issuer).toBe(x509.subject);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.ca).toBe(false);
    expect(x509.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(new Date(x509.validTo).getTime() - Date.now()).toBeGreaterThan(300 * 86_400_000);

    expect(cert.thumbprintSha256).toBe(x509.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(cert.thumbprint).toBe(x509.fingerprint.replaceAll(':', ''));
    const [jwk] = cert.jwks.keys;
    expect(cert.jwks.keys).toHaveLength(1);
    expect(jwk).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      x5c: [x509.raw.toString('base64')],
      x5t: Buffer.from(cert.thumbprint, 'hex').toString('base64url'),
      'x5t#S256': Buffer.from(cert.thumbprintSha256, 'hex').toString('base64url'),
    });
    expect(jwk!.kid).toBe(jwk!.x5t);
    expect(jwk).not.toHaveProperty('alg');
    expect(jwk).not.toHaveProperty('d');
    const fromJwk = createPublicKey({ key: jwk as never, format: 'jwk' });
    expect(fromJwk.equals(x509.publicKey)).toBe(true);
    expect(createPublicKey(cert.privateKey).equals(x509.publicKey)).toBe(true);
  });

  it('makes a new key and certificate each time', async () => {
    const [one, two] = await Promise.all([createClientCertificate(), createClientCertificate()]);
    expect(one.thumbprintSha256).not.toBe(two.thumbprintSha256);
    expect(one.privateKey).not.toBe(two.privateKey);
  });
});
