/**
 * Stateless DPoP nonces: the HMAC of a time step, accepted during its step and the next, the same on every
 * instance that shares the secret, and never stored.
 */
import { describe, expect, it } from 'vitest';
import { NonceSource } from '../../../src/verify/binding/dpop-nonce.js';

const SECRET = 'a nonce secret of at least thirty-two characters';
const T0 = 1_700_000_040_000; // the start of a 60 s step

describe('NonceSource', () => {
  it('hands out one 128-bit nonce per step, and the same one on every call within it', () => {
    const nonces = new NonceSource({ ttlSec: 60, secret: SECRET });
    const nonce = nonces.current(T0);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(nonces.current(T0 + 59_999)).toBe(nonce);
    expect(nonces.current(T0 + 60_000)).not.toBe(nonce);
  });

  it('accepts a nonce during its own step and the next one, and refuses it after', () => {
    const nonces = new NonceSource({ ttlSec: 60, secret: SECRET });
    const nonce = nonces.current(T0);
    expect(nonces.accepts(nonce, T0)).toBe(true);
    expect(nonces.accepts(nonce, T0 + 119_999)).toBe(true);
    expect(nonces.accepts(nonce, T0 + 120_000)).toBe(false);
    expect(nonces.accepts(nonce, T0 - 1)).toBe(false);
  });

  it('accepts the nonces of another instance with the same secret, and not those of another secret', () => {
    const nonce = new NonceSource({ ttlSec: 60, secret: SECRET }).current(T0);
    expect(new NonceSource({ ttlSec: 60, secret: Buffer.from(SECRET) }).accepts(nonce, T0 + 1000)).toBe(true);
    expect(new NonceSource({ ttlSec: 60, secret: `${SECRET}!` }).accepts(nonce, T0)).toBe(false);
    expect(new NonceSource({ ttlSec: 60 }).accepts(nonce, T0)).toBe(false);
  });

  it('keeps answering right when the clock goes back', () => {
    const nonces = new NonceSource({ ttlSec: 60, secret: SECRET });
    const early = nonces.current(T0);
    nonces.current(T0 + 600_000);
    expect(nonces.accepts(early, T0 + 30_000)).toBe(true);
    expect(nonces.current(T0)).toBe(early);
  });

  it.each(['', 'short', 'A'.repeat(23), 'AAAAAAAAAAAAAAAAAAAAAB', '!AAAAAAAAAAAAAAAAAAAAA'])('refuses %j', (nonce) => {
    expect(new NonceSource({ ttlSec: 60, secret: SECRET }).accepts(nonce, T0)).toBe(false);
  });
});
