/**
 * Opaque access tokens of the test issuer, shaped like Boruta's: 64 random bytes in base64url, 86
 * URL-safe characters, meaningless without the issuer's introspection endpoint. The issuer remembers what
 * each one grants (the members its introspection response will carry) until it expires, and a revoke
 * switch turns any token it issued, opaque or JWT, inactive.
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT_ID, type TestTokenClaims } from './mint-token.js';

/** Options of {@link TestIssuerIntrospection.mintOpaqueToken}. */
export interface OpaqueTokenOptions {
  /**
   * Seconds from now until `exp`; negative for a token that has already expired (the endpoint then answers
   * `active: false`). `null` leaves `exp` out of the response.
   * @default the issuer's `tokenLifetime` (3600)
   */
  expiresIn?: number | null;
  /** The calling application: `client_id` and `sub`. @default "test-client" */
  clientId?: string;
}

/** What the test issuer adds for opaque tokens and introspection (RFC 7662). */
export interface TestIssuerIntrospection {
  /**
   * The introspection endpoint, `<url>/introspect` (also `introspection_endpoint` in the metadata). Any
   * registered client may call it, authenticated as at the token endpoint.
   */
  readonly introspectionEndpoint: string;
  /** Requests to the introspection endpoint so far (successful or not). */
  readonly introspectionRequests: number;
  /**
   * Mints an opaque token (Boruta's shape: 86 URL-safe characters) that the introspection endpoint
   * answers as active with `iss`, `aud`, `client_id`, `sub`, `exp`, `iat`, `token_type` and `claims`
   * (applied last; a claim set to `undefined` is left out of the answer).
   *
   * @example
   * const token = issuer.mintOpaqueToken({ scope: 'receipts.read' });
   * const noAudience = issuer.mintOpaqueToken({ aud: undefined });
   * const expired = issuer.mintOpaqueToken({}, { expiresIn: -60 });
   */
  mintOpaqueToken(claims?: TestTokenClaims, options?: OpaqueTokenOptions): string;
  /** Revokes a token the issuer issued or minted (opaque or JWT): from now on it is introspected as inactive. */
  revoke(token: string): void;
}

/** What minting needs from the issuer. */
export interface OpaqueMintContext {
  readonly issuer: string;
  readonly audience: string;
  /** Seconds. */
  readonly tokenLifetime: number;
}

function fail(name: string, expectation: string): never {
  throw new TypeError(`bearer-guard/testing: mintOpaqueToken() option "${name}" ${expectation}`);
}

/** The opaque tokens an issuer minted, and the tokens it revoked. */
export class OpaqueTokens {
  readonly #granted = new Map<string, Readonly<Record<string, unknown>>>();
  readonly #revoked = new Set<string>();

  /** Mints a token: defaults, then the times from `options`, then `claims`. */
  mint(context: OpaqueMintContext, claims: TestTokenClaims = {}, options: OpaqueTokenOptions = {}): string {
    if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
      throw new TypeError('bearer-guard/testing: mintOpaqueToken() claims must be an object');
    }
    const { expiresIn, clientId = DEFAULT_CLIENT_ID } = options;
    if (expiresIn !== undefined && expiresIn !== null && !Number.isFinite(expiresIn)) {
      fail('expiresIn', 'must be a finite number of seconds or null');
    }
    if (typeof clientId !== 'string' || clientId === '') fail('clientId', 'must be a non-empty string');
    const now = Math.floor(Date.now() / 1000);
    const answer: Record<string, unknown> = {
      active: true,
      iss: context.issuer,
      aud: context.audience,
      client_id: clientId,
      sub: clientId,
      iat: now,
      token_type: 'Bearer',
    };
    if (expiresIn !== null) answer.exp = now + (expiresIn ?? context.tokenLifetime);
    for (const [name, value] of Object.entries(claims)) {
      if (value === undefined) delete answer[name];
      else Object.defineProperty(answer, name, { value, enumerable: true, writable: true, configurable: true });
    }
    const token = randomBytes(64).toString('base64url');
    this.#granted.set(token, Object.freeze(answer));
    return token;
  }

  /** The members of the active answer for an opaque `token`, or `undefined` when it is not one of ours. */
  granted(token: string): Readonly<Record<string, unknown>> | undefined {
    return this.#granted.get(token);
  }

  /** Marks `token` revoked. */
  revoke(token: string): void {
    if (typeof token !== 'string' || token === '') throw new TypeError('bearer-guard/testing: revoke() takes a token');
    this.#revoked.add(token);
  }

  /** True once `token` was revoked. */
  isRevoked(token: string): boolean {
    return this.#revoked.has(token);
  }
}
