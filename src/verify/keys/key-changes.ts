/**
 * A process-wide count of changes to the keys verifiers use: a key set whose members changed (a key added
 * or removed, or a set loaded for the first time), or issuer metadata that names another `jwks_uri`.
 *
 * The verified-token cache keeps the count each entry was last checked under. While the count stands still
 * (and the keys are fresh), a hit needs no key lookup at all; once it has moved, the hit asks its key source
 * again, exactly as an uncached verification would, and is kept only if the same key is still the one
 * selected. Rotations are rare, so the price is one lookup per cached token per change, anywhere in the
 * process.
 */

let changes = 0;

/** The number of key changes so far. */
export function keyChangeCount(): number {
  return changes;
}

/** Notes that keys in use may have changed. */
export function noteKeyChange(): void {
  changes += 1;
}
