/**
 * The resource server's own credentials at the introspection endpoint: a client secret, or a private key
 * for `private_key_jwt`. Both are validated once, at creation, and held so that they never show: a
 * {@link ClientSecret} prints, inspects and serialises as `[redacted]`, and a bad key is refused with a
 * `TypeError` that names the option, never the key.
 */
import { createPrivateKey, KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { isJsonObject } from '../json.js';
import { fail } from '../options/option-checks.js';

/** How the resource server authenticates at the introspection endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2). */
export type IntrospectionClientAuth = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/** A client secret that never shows in logs, `util.inspect`, JSON or string conversion. */
export class ClientSecret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself, for the request that needs it. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return 'ClientSecret [redacted]';
  }
}

/** A private key ready to sign client assertions, with the JWS algorithm its type calls for. */
export interface AssertionKey {
  readonly key: KeyObject;
  readonly alg: 'RS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
  /** The `kid` of the header, from the JWK's own `kid`. */
  readonly kid: string | undefined;
}

const CURVES: Readonly<Record<string, AssertionKey['alg']>> = {
  prime256v1: 'ES256',
  secp384r1: 'ES384',
  secp521r1: 'ES512',
};

/**
 * `value` (a private `KeyObject`, or a private JWK) as an {@link AssertionKey}: RSA of 2048 bits or more
 * signs RS256, P-256/P-384/P-521 sign ES256/ES384/ES512, Ed25519 signs EdDSA.
 */
export function toAssertionKey(value: unknown, path: string): AssertionKey {
  let key: KeyObject;
  let kid: string | undefined;
  if (value instanceof KeyObject) {
    key = value;
  } else if (isJsonObject(value) && typeof value.kty === 'string' && typeof value.d === 'string') {
    try {
      key = createPrivateKey({ key: value as never, format: 'jwk' });
    } catch {
      return fail(path, 'must be a private key: a KeyObject or a private JWK (RSA, EC P-256/P-384/P-521 or Ed25519)');
    }
    kid = typeof value.kid === 'string' && value.kid !== '' ? value.kid : undefined;
  } else {
    return fail(path, 'must be a private key: a KeyObject or a private JWK (RSA, EC P-256/P-384/P-521 or Ed25519)');
  }
  if (key.type !== 'private') fail(path, 'must be a private key, not a public or secret one');
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      if ((details.modulusLength ?? 0) < 2048) fail(path, 'must be an RSA key of at least 2048 bits');
      return { key, alg: 'RS256', kid };
    case 'ec': {
      const alg = CURVES[details.namedCurve ?? ''];
      if (alg === undefined) fail(path, 'must be an EC key on P-256, P-384 or P-521');
      return { key, alg, kid };
    }
    case 'ed25519':
      return { key, alg: 'EdDSA', kid };
    default:
      return fail(path, 'must be an RSA, EC (P-256, P-384, P-521) or Ed25519 private key');
  }
}
