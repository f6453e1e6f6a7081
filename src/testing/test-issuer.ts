/**
 * The running test issuer's interface, `TestIssuer`, returned by `createTestIssuer()`.
 */
import type { EncryptTokenOptions, TestDecryptionKeys } from './encrypt-token.js';
import type { TestIssuerIntrospection } from './opaque-tokens.js';
import type { JWK } from 'jose';
import type { FetchLike } from '../http/fetch-json.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import type { TestEntraTenant } from './entra-tenant.js';
import type { SignTokenOptions, TestTokenClaims } from './mint-token.js';
import type { TestSigningAlgorithm } from './signing-keys.js';
import type { TestClient } from './test-client.js';

/** Options of {@link TestIssuer.rotateKeys}. */
export interface RotateKeysOptions {
  /** Keep publishing the keys published before, so tokens they signed stay verifiable. @default true */
  keepPrevious?: boolean;
  /** Algorithm of the new key. @default the current signing key's algorithm */
  alg?: TestSigningAlgorithm;
}

/** A running test issuer (with opaque tokens and introspection: {@link TestIssuerIntrospection}). */
export interface TestIssuer extends TestIssuerIntrospection {
  /**
   * Where the issuer answers, without a trailing slash: `http://127.0.0.1:<port>` (`https:` with the
   * `https` option), the `iss` of its tokens. In Entra tenant mode, `<origin>/<tenant id>/v2.0`, whose
   * metadata is at `<url>/.well-known/openid-configuration`; tokens then carry Entra's issuer
   * ({@link TestEntraTenant.issuer}).
   */
  readonly url: string;
  /** The token endpoint: `<url>/token` (Entra tenant mode: `<origin>/<tenant id>/oauth2/v2.0/token`). */
  readonly tokenEndpoint: string;
  /** The JWK Set URL: `<url>/jwks` (Entra tenant mode: `<origin>/<tenant id>/discovery/v2.0/keys`). */
  readonly jwksUri: string;
  /** The default `aud` of its tokens (Entra tenant mode: the API's client id). */
  readonly audience: string;
  /** The `tid` of Entra-preset tokens. */
  readonly tenantId: string;
  /** Entra tenant mode: the tenant it stands in for and where MSAL reaches it; else `undefined`. */
  readonly entra: TestEntraTenant | undefined;
  /**
   * With the `https` option: the PEM certificate of the authority that signed the issuer's HTTPS
   * certificate, generated in memory for this issuer (trust it in a client: `https.request(url, { ca })`).
   * `undefined` over plain HTTP.
   */
  readonly caCertificate: string | undefined;
  /**
   * A `fetch` that reaches this issuer: over HTTPS it trusts {@link TestIssuer.caCertificate} (and no other
   * authority for `https:` URLs) and follows no redirects; over plain HTTP it is the global `fetch`.
   * `verifierOptions()` passes it as `keys.fetch`.
   */
  readonly fetch: FetchLike;
  /** The `kid` of the key that signs issued tokens. */
  readonly signingKid: string;
  /** A copy of the published JWK Set. */
  readonly jwks: { keys: JWK[] };
  /** Requests to the JWK Set endpoint so far. */
  readonly jwksRequests: number;
  /** Requests to either metadata endpoint so far. */
  readonly discoveryRequests: number;
  /** Requests to the token endpoint so far (successful or not). */
  readonly tokenRequests: number;
  /** Tokens issued by the token endpoint so far. */
  readonly tokensIssued: number;
  /** Sets every counter back to zero. */
  resetCounters(): void;
  /**
   * Mints an access token. Defaults: a valid RFC 9068 token of client `test-client` for the issuer's
   * audience, signed by the current key (Entra tenant mode: an Entra v2.0 app-only token with Entra's
   * `iss`; `preset: 'entra-v1'` gives the v1.0 issuer and the Application ID URI as `aud`). A claim set to
   * `undefined` is removed.
   *
   * @example
   * await issuer.sign({ scope: 'receipts.read' });                      // valid
   * await issuer.sign({}, { expiresIn: -120 });                         // expired two minutes ago
   * await issuer.sign({ aud: 'api://other' });                          // another audience
   * await issuer.sign({ roles: ['Receipts.Admin'] }, { preset: 'entra-v2' });
   */
  sign(claims?: TestTokenClaims, options?: SignTokenOptions): Promise<string>;
  /** The issuer's encryption keys (RSA and AES), created on first use: the API's `decryption.keys`. */
  readonly decryptionKeys: TestDecryptionKeys;
  /** Encrypts `token` to the issuer's encryption key: a compact JWE, RSA-OAEP and A256CBC-HS512 by default. */
  encrypt(token: string, options?: EncryptTokenOptions): Promise<string>;
  /**
   * Mints an access token (preset `openiddict` unless `options.preset` says otherwise) and encrypts it, as
   * OpenIddict issues them by default: `await issuer.signEncrypted({ scope: 'read' }, {}, { alg: 'A256KW' })`.
   */
  signEncrypted(claims?: TestTokenClaims, options?: SignTokenOptions, encryption?: EncryptTokenOptions): Promise<string>;
  /** Makes a new key the signing key; resolves to its `kid`. */
  rotateKeys(options?: RotateKeysOptions): Promise<string>;
  /** Registers a client. Throws a `TypeError` for an invalid registration or a duplicate client id. */
  addClient(client: TestClient): void;
  /**
   * Verifier options for this issuer, merged with `overrides` (`keys` is merged member by member):
   * `{ issuer, audience }`, plus `keys.fetch` ({@link TestIssuer.fetch}) over HTTPS. In Entra tenant mode,
   * what `entraId()` gives for the tenant (`entraId({ tenantId, clientId, appIdUri })`: Entra's issuers, both
   * audiences, the Entra profile and key-issuer validation) with `jwksUri` set to this issuer's key set. Key
   * options keep their production defaults: a key rotation ({@link TestIssuer.rotateKeys}) is picked up at
   * once all the same, with one JWKS fetch, since only a fetch that missed a token's `kid` starts the
   * unknown-`kid` cooldown.
   */
  verifierOptions(overrides?: Partial<VerifierOptions>): VerifierOptions;
  /** Stops the server. Safe to call more than once. */
  close(): Promise<void>;
}
