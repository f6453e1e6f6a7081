/**
 * Server-provided DPoP nonces (RFC 9449 §9) without any stored state: the nonce of a time step is an HMAC of
 * the step's number under a secret. A nonce is accepted during its own step and the next one, so it lives
 * between `ttlSec` and twice that, and a new one appears every `ttlSec`. Instances that share the secret
 * accept each other's nonces; nothing is stored or shared at run time.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a {@link NonceSource} is made of. */
export interface NonceSettings {
  /** Length of a time step, in seconds: how often a new nonce appears. */
  readonly ttlSec: number;
  /** The HMAC key; a random one when absent (then only this process accepts its nonces). */
  readonly secret?: string | Uint8Array | undefined;
}

/** Stateless nonces: HMAC-SHA-256 of the time step, truncated to 128 bits, base64url. */
export class NonceSource {
  readonly #secret: Uint8Array;
  readonly #stepMs: number;
  // The nonces of the last two steps computed, so a request costs no HMAC while the step does not change.
  #step = Number.NaN;
  #current: Buffer = Buffer.alloc(0);
  #previous: Buffer = Buffer.alloc(0);

  constructor(settings: NonceSettings) {
    const secret = settings.secret;
    this.#secret = secret === undefined ? randomBytes(32) : typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    this.#stepMs = settings.ttlSec * 1000;
  }

  #macOf(step: number): Buffer {
    return createHmac('sha256', this.#secret).update(`bearer-guard dpop nonce ${step}`).digest().subarray(0, 16);
  }

  #advance(nowMs: number): void {
    const step = Math.floor(nowMs / this.#stepMs);
    if (step === this.#step) return;
    this.#previous = step === this.#step + 1 ? this.#current : this.#macOf(step - 1);
    this.#current = this.#macOf(step);
    this.#step = step;
  }

  /** The nonce to hand out at `nowMs`. */
  current(nowMs: number): string {
    this.#advance(nowMs);
    return this.#current.toString('base64url');
  }

  /** True when `nonce` is the nonce of the current step or of the one before, at `nowMs`. */
  accepts(nonce: string, nowMs: number): boolean {
    if (nonce.length !== 22) return false;
    const given = Buffer.from(nonce, 'base64url');
    if (given.length !== 16 || given.toString('base64url') !== nonce) return false;
    this.#advance(nowMs);
    // Both compared, in constant time, whatever the first answer.
    const current = timingSafeEqual(given, this.#current);
    const previous = timingSafeEqual(given, this.#previous);
    return current || previous;
  }
}
