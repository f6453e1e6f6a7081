/**
 * Finding a cached token without hashing it: a set-associative table whose set is chosen by a few
 * characters of the token's signature and whose slots hold the whole token string, compared in full.
 * Signatures of genuine tokens are evenly spread base64url, and only verified tokens are ever placed here,
 * so a caller cannot steer tokens into one set. A lookup costs one probe of a few slots, whatever the token;
 * equality of the whole string decides a hit, so two tokens sharing a set never answer for each other.
 *
 * Beside it, the first-sighting table of the cache's admission rule: one 32-bit mark per slot, read off the
 * same kind of characters, costing no allocation per token.
 */

/** Slots per set. */
const WAYS = 4;

/** What the index holds: a cached token string and whatever the cache keeps for it. */
export interface IndexedToken {
  readonly token: string;
  /** Time (ms) after which the entry is dropped whatever else holds: the first to go when a set is full. */
  readonly expiresAtMs: number;
}

/** Three characters near the end of `token` (inside its signature; the very last may carry fewer bits). */
function mix(token: string, from: number): number {
  const end = token.length - from;
  return token.charCodeAt(end) * 961 + token.charCodeAt(end - 1) * 31 + token.charCodeAt(end - 2);
}

/** A power of two near `n`, at least `min`. */
export function powerOfTwoNear(n: number, min: number): number {
  return 2 ** Math.max(Math.log2(min), Math.round(Math.log2(Math.max(1, n))));
}

/** A set-associative index of cached tokens by their whole string. */
export class TokenIndex<T extends IndexedToken> {
  readonly #slots: (T | undefined)[];
  readonly #setMask: number;

  /**
   * Room for `capacity` tokens: about as many sets (a power of two) of {@link WAYS} slots each, so that
   * hardly any set is asked to hold more than four (about one token in a thousand at full load).
   */
  constructor(capacity: number) {
    const sets = powerOfTwoNear(capacity, 16);
    this.#slots = new Array<T | undefined>(sets * WAYS).fill(undefined);
    this.#setMask = sets - 1;
  }

  #first(token: string): number {
    return (mix(token, 2) & this.#setMask) * WAYS;
  }

  /** The entry of exactly `token`, if indexed. */
  find(token: string): T | undefined {
    const first = this.#first(token);
    for (let i = first; i < first + WAYS; i++) {
      const entry = this.#slots[i];
      if (entry !== undefined && entry.token === token) return entry;
    }
    return undefined;
  }

  /**
   * Indexes `entry` in a free slot of its set; in a full set it takes the place of the entry that expires
   * first, which is returned so that the cache lets go of it too.
   */
  add(entry: T): T | undefined {
    const first = this.#first(entry.token);
    let victim = first;
    for (let i = first; i < first + WAYS; i++) {
      const held = this.#slots[i];
      if (held === undefined) {
        this.#slots[i] = entry;
        return undefined;
      }
      if (held.expiresAtMs < this.#slots[victim]!.expiresAtMs) victim = i;
    }
    const evicted = this.#slots[victim];
    this.#slots[victim] = entry;
    return evicted;
  }

  /** Removes `entry`, if indexed. */
  remove(entry: T): void {
    const first = this.#first(entry.token);
    for (let i = first; i < first + WAYS; i++) {
      if (this.#slots[i] === entry) this.#slots[i] = undefined;
    }
  }
}

/** The first-sighting table of the cache's admission rule. */
export class Sightings {
  readonly #marks: Uint32Array;

  /**
   * `slots` is rounded to a power of two. A mark lasts until another new token takes its slot, so only
   * tokens asked for again soon, the ones a cache serves, are admitted; a stream of distinct tokens larger
   * than the cache (which no LRU could serve) does not churn it.
   */
  constructor(slots: number) {
    this.#marks = new Uint32Array(powerOfTwoNear(slots, 256));
  }

  /** Notes `token`; true when it had already been noted (and then forgets it). */
  seenBefore(token: string): boolean {
    const slot = mix(token, 5) & (this.#marks.length - 1);
    const mark = (mix(token, 8) * 31 + token.length) | 1;
    if (this.#marks[slot] === mark >>> 0) {
      this.#marks[slot] = 0;
      return true;
    }
    this.#marks[slot] = mark;
    return false;
  }
}
