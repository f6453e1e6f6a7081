/**
 * Every default of the verifier options in one documented object, named like the options they fill in.
 */
import { INTROSPECTION_DEFAULTS } from './introspection/introspection-options.js';
import { DEFAULT_REALM } from './options/option-checks.js';
import { TOKEN_CACHE_DEFAULTS } from './verify/cache/token-cache.js';
import {
  DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS,
  DEFAULT_KEY_MANAGEMENT_ALGORITHMS,
} from './verify/format/jwe-algorithms.js';
import { DPOP_DEFAULTS } from './verify/config/binding-options.js';
import { DEFAULT_CLOCK_TOLERANCE, DEFAULT_MAX_TOKEN_LENGTH, MAX_CLOCK_TOLERANCE } from './verify/config/resolve-options.js';
import { SUPPORTED_ALGORITHMS } from './verify/keys/algorithms.js';
import { KEY_DEFAULTS } from './verify/keys/key-options.js';
import type { VerifierOptions } from './verify/verifier-options.js';

/**
 * The defaults of {@link VerifierOptions}, frozen. Durations are in the unit of the option they fill in:
 * `clockTolerance` in seconds, `keys.*Ms` and `cache.maxTtlMs` in milliseconds.
 *
 * @example
 * createVerifier({ issuer, audience, keys: { maxAgeMs: DEFAULTS.keys.maxAgeMs * 3 } });
 */
export const DEFAULTS = Object.freeze({
  /** The `realm` of every challenge: `"api"`. */
  realm: DEFAULT_REALM,
  /** Leeway on `exp`, `nbf` and `iat`: 60 seconds. */
  clockTolerance: DEFAULT_CLOCK_TOLERANCE,
  /** The largest `clockTolerance` accepted: 300 seconds. */
  maxClockTolerance: MAX_CLOCK_TOLERANCE,
  /** The longest token accepted: 16384 characters. */
  maxTokenLength: DEFAULT_MAX_TOKEN_LENGTH,
  /** The default `algorithms` allow-list: every asymmetric JWS algorithm supported. */
  algorithms: SUPPORTED_ALGORITHMS,
  /** The defaults of the `keys` options (milliseconds and bytes). */
  keys: KEY_DEFAULTS,
  /** The defaults of the `cache` options. */
  cache: TOKEN_CACHE_DEFAULTS,
  /** The defaults of the `introspection` options (milliseconds and bytes). */
  introspection: INTROSPECTION_DEFAULTS,
  /** The defaults of the `decryption` options: the JWE algorithms allowed unless listed otherwise. */
  decryption: Object.freeze({
    keyManagementAlgorithms: DEFAULT_KEY_MANAGEMENT_ALGORITHMS,
    contentEncryptionAlgorithms: DEFAULT_CONTENT_ENCRYPTION_ALGORITHMS,
    required: false,
  }),
  /** The defaults of the `dpop` options (seconds), and the bound of the in-memory replay store (entries). */
  dpop: DPOP_DEFAULTS,
});
