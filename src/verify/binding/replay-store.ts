/**
 * DPoP replay protection (RFC 9449 §11.1): a proof is accepted once. The store remembers each proof's
 * identifier until the proof could no longer be accepted anyway (the end of its `iat` window), so it holds
 * at most the proofs of one window. The in-memory default is bounded: when it is full of proofs still inside
 * their window it refuses to take more (the request is answered 503, never let through unchecked).
 */
import { numberOption, optionsObject } from '../../options/option-checks.js';

/**
 * Where proof identifiers are remembered. `add` resolves to true the first time an identifier is seen, and
 * false when it was seen before and has not expired; it must be atomic (two concurrent `add`s of one
 * identifier: one true, one false). A store that throws or rejects makes the request a 503.
 */
export interface ReplayStore {
  /**
   * Remembers `jti` (an identifier of the proof: the SHA-256 of its key thumbprint and its `jti`, 43
   * base64url characters) until `expiresAtMs` (`Date.now()` clock).
   */
  add(jti: string, expiresAtMs: number): boolean | Promise<boolean>;
}

/** Options of {@link createMemoryReplayStore}. */
export interface MemoryReplayStoreOptions {
  /**
   * Most proofs remembered at once: sized for the busiest proof window (proofs per second ×
   * (`proofMaxAgeSec` + `clockTolerance`)). About 150 bytes each.
   * @default 200000
   */
  maxEntries?: number;
}

/** The default bound of the in-memory replay store. */
export const DEFAULT_REPLAY_STORE_ENTRIES = 200_000;

/** The fault of a full in-memory store (the pipeline answers it 503). */
export class ReplayStoreFullError extends Error {
  constructor() {
    super('bearer-guard: the DPoP replay store is full of unexpired proofs');
    this.name = 'ReplayStoreFullError';
  }
}

/** A bounded in-memory {@link ReplayStore} for one process. */
export class MemoryReplayStore implements ReplayStore {
  // Insertion order is roughly expiry order (every expiry lies within one window of its insertion), so
  // expired entries are dropped from the front; a full sweep runs only when the bound is reached.
  readonly #expiries = new Map<string, number>();
  readonly #maxEntries: number;
  #lastSweepMs = Number.NEGATIVE_INFINITY;

  constructor(maxEntries: number = DEFAULT_REPLAY_STORE_ENTRIES) {
    this.#maxEntries = maxEntries;
  }

  /** Proofs remembered now (expired ones may linger until the next sweep). */
  get size(): number {
    return this.#expiries.size;
  }

  add(jti: string, expiresAtMs: number): boolean {
    const nowMs = Date.now();
    const known = this.#expiries.get(jti);
    if (known !== undefined && known > nowMs) return false;
    this.#dropExpiredFront(nowMs);
    if (known !== undefined) this.#expiries.delete(jti);
    if (this.#expiries.size >= this.#maxEntries) {
      this.#sweep(nowMs);
      if (this.#expiries.size >= this.#maxEntries) throw new ReplayStoreFullError();
    }
    this.#expiries.set(jti, expiresAtMs);
    return true;
  }

  #dropExpiredFront(nowMs: number): void {
    for (const [jti, expiresAtMs] of this.#expiries) {
      if (expiresAtMs > nowMs) return;
      this.#expiries.delete(jti);
    }
  }

  /** Drops every expired entry; at most once a second, so a full store costs no scan per request. */
  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweepMs < 1000) return;
    this.#lastSweepMs = nowMs;
    for (const [jti, expiresAtMs] of this.#expiries) if (expiresAtMs <= nowMs) this.#expiries.delete(jti);
  }
}

/**
 * A bounded in-memory {@link ReplayStore}: the default of `dpop.replayStore`. Replay protection then holds
 * per process only; give every instance of a fleet one shared store (`createSharedReplayStore`).
 *
 * @example
 * createVerifier({ issuer, audience, dpop: { replayStore: createMemoryReplayStore({ maxEntries: 1_000_000 }) } });
 */
export function createMemoryReplayStore(options?: MemoryReplayStoreOptions): MemoryReplayStore {
  const where = 'createMemoryReplayStore()';
  const given = optionsObject(options, '', ['maxEntries'], where) ?? {};
  return new MemoryReplayStore(numberOption(given.maxEntries, 'maxEntries', { min: 1, integer: true }, where));
}
