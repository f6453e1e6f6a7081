/**
 * `createTestIssuer()`: an in-process OAuth 2.0 authorization server on a loopback port, for tests and
 * demos only. It publishes metadata and keys like a real issuer, issues tokens through the client
 * credentials grant, and mints tokens directly (good or deliberately bad).
 */
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { AssertionReplayGuard } from './assertion-replay-guard.js';
import { encryptToken, lazyDecryptionKeys, type EncryptTokenOptions, type TestDecryptionKeys } from './encrypt-token.js';
import { createIssuerRoutes, ISSUER_PATHS, type IssuerCounters, type IssuerRouteContext } from './issuer-routes.js';
import { listenOnLoopback } from './loopback-server.js';
import { mintToken, type MintContext, type SignTokenOptions, type TestTokenClaims } from './mint-token.js';
import { isTestSigningAlgorithm, SigningKeyRing, type TestSigningAlgorithm } from './signing-keys.js';
import { registerClient, type RegisteredClient, type TestClient } from './test-client.js';

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** The `aud` of issued and minted tokens. @default "api://default" */
  audience?: string;
  /** Registered clients (more can be added with {@link TestIssuer.addClient}). @default [] */
  clients?: readonly TestClient[];
  /** Algorithm of the signing key. @default "RS256" */
  alg?: TestSigningAlgorithm;
  /** Lifetime of issued tokens in seconds (`expires_in`), and the default of `sign()`. @default 3600 */
  tokenLifetime?: number;
  /** The `tid` of tokens minted with an Entra preset. @default a random UUID */
  tenantId?: string;
  /**
   * The interface to listen on. Only loopback hosts are accepted (`127.0.0.1`, other `127.x.y.z`, `::1`,
   * `localhost`); anything else is refused with a `TypeError`.
   * @default "127.0.0.1"
   */
  host?: string;
  /** The port. @default 0 (a free port) */
  port?: number;
}

/** Options of {@link TestIssuer.rotateKeys}. */
export interface RotateKeysOptions {
  /** Keep publishing the keys published before, so tokens they signed stay verifiable. @default true */
  keepPrevious?: boolean;
  /** Algorithm of the new key. @default the current signing key's algorithm */
  alg?: TestSigningAlgorithm;
}

/** A running test issuer. */
export interface TestIssuer {
  /** The issuer identifier, `http://127.0.0.1:<port>` (no trailing slash): the `iss` of its tokens. */
  readonly url: string;
  /** The token endpoint, `<url>/token`. */
  readonly tokenEndpoint: string;
  /** The JWK Set URL, `<url>/jwks`. */
  readonly jwksUri: string;
  /** The default `aud` of its tokens. */
  readonly audience: string;
  /** The `tid` of Entra-preset tokens. */
  readonly tenantId: string;
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
   * audience, signed by the current key. A claim set to `undefined` is removed.
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
   * Verifier options for this issuer: `{ issuer, audience, keys: { cooldownMs: 0 } }` merged with
   * `overrides` (`keys` is merged member by member). The unknown-`kid` cooldown is off so that a key
   * rotation is picked up at once; keep the default cooldown in production.
   */
  verifierOptions(overrides?: Partial<VerifierOptions>): VerifierOptions;
  /** Stops the server. Safe to call more than once. */
  close(): Promise<void>;
}

function fail(name: string, expectation: string): never {
  throw new TypeError(`bearer-guard/testing: createTestIssuer option "${name}" ${expectation}`);
}

function checkOptions(options: TestIssuerOptions): void {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  const { audience, alg, tokenLifetime, tenantId, host, port, clients } = options;
  if (audience !== undefined && (typeof audience !== 'string' || !/^[\x21-\x7e]+$/.test(audience))) {
    fail('audience', 'must be a non-empty string of printable ASCII without spaces');
  }
  if (alg !== undefined && !isTestSigningAlgorithm(alg)) fail('alg', 'must be an asymmetric JWS algorithm');
  if (tokenLifetime !== undefined && (!Number.isInteger(tokenLifetime) || tokenLifetime <= 0)) {
    fail('tokenLifetime', 'must be a positive integer number of seconds');
  }
  if (tenantId !== undefined && (typeof tenantId !== 'string' || tenantId === '')) {
    fail('tenantId', 'must be a non-empty string');
  }
  if (host !== undefined && typeof host !== 'string') fail('host', 'must be a string');
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    fail('port', 'must be an integer from 0 to 65535');
  }
  if (clients !== undefined && !Array.isArray(clients)) fail('clients', 'must be an array');
}

/**
 * Starts a test issuer on `127.0.0.1` and a free port. Never use it in production: it holds its keys and
 * client secrets in memory and accepts any registered client without further checks.
 *
 * @example
 * const issuer = await createTestIssuer({ audience: 'api://receipts' });
 * const app = express().use(authenticate(issuer.verifierOptions()));
 * await request(app).get('/').set('Authorization', `Bearer ${await issuer.sign({ scope: 'receipts.read' })}`);
 * await issuer.close();
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  checkOptions(options);
  const audience = options.audience ?? 'api://default';
  const tokenLifetime = options.tokenLifetime ?? 3600;
  const tenantId = options.tenantId ?? randomUUID();
  const clients = new Map<string, RegisteredClient>();
  const addClient = (client: TestClient): void => {
    const registered = registerClient(client);
    if (clients.has(registered.clientId)) {
      throw new TypeError(`bearer-guard/testing: a client "${registered.clientId}" is already registered`);
    }
    clients.set(registered.clientId, registered);
  };
  for (const client of options.clients ?? []) addClient(client);

  const keys = await SigningKeyRing.create(options.alg ?? 'RS256', 'test-key');
  const counters: IssuerCounters = { discovery: 0, jwks: 0, token: 0, issued: 0 };
  const decryptionKeys = lazyDecryptionKeys();
  let origin = '';
  const mint = (): MintContext => ({ issuer: origin, audience, tenantId, tokenLifetime, keys });
  const context: IssuerRouteContext = {
    get issuer() {
      return origin;
    },
    get tokenEndpoint() {
      return `${origin}${ISSUER_PATHS.token}`;
    },
    get jwksUri() {
      return `${origin}${ISSUER_PATHS.jwks}`;
    },
    clients,
    replay: new AssertionReplayGuard(),
    jwks: () => keys.jwks(),
    scopesSupported: () => [...new Set([...clients.values()].flatMap((client) => client.scopes))],
    async issue(client, scopes) {
      const claims: Record<string, unknown> = {};
      if (client.audience !== undefined) claims.aud = client.audience;
      if (scopes.length > 0) claims.scope = scopes.join(' ');
      if (client.roles.length > 0) claims.roles = [...client.roles];
      const token = await mintToken(mint(), { ...claims, ...client.claims }, { clientId: client.clientId });
      return { token, expiresIn: tokenLifetime };
    },
  };
  const routes = createIssuerRoutes(context, counters);
  const server = await listenOnLoopback(options.host ?? '127.0.0.1', options.port ?? 0, routes);
  origin = server.origin;

  return {
    url: origin,
    tokenEndpoint: context.tokenEndpoint,
    jwksUri: context.jwksUri,
    audience,
    tenantId,
    get signingKid() {
      return keys.current.kid;
    },
    get jwks() {
      return keys.jwks();
    },
    get jwksRequests() {
      return counters.jwks;
    },
    get discoveryRequests() {
      return counters.discovery;
    },
    get tokenRequests() {
      return counters.token;
    },
    get tokensIssued() {
      return counters.issued;
    },
    resetCounters() {
      Object.assign(counters, { discovery: 0, jwks: 0, token: 0, issued: 0 });
    },
    sign: (claims, signOptions) => mintToken(mint(), claims, signOptions),
    get decryptionKeys() {
      return decryptionKeys();
    },
    encrypt: (token, encryption) => encryptToken(token, decryptionKeys(), encryption),
    async signEncrypted(claims, signOptions = {}, encryption) {
      const token = await mintToken(mint(), claims, { preset: 'openiddict', ...signOptions });
      return encryptToken(token, decryptionKeys(), encryption);
    },
    async rotateKeys(rotate = {}) {
      if (rotate.alg !== undefined && !isTestSigningAlgorithm(rotate.alg)) {
        throw new TypeError('bearer-guard/testing: rotateKeys() option "alg" must be an asymmetric JWS algorithm');
      }
      return (await keys.rotate(rotate.keepPrevious !== false, rotate.alg)).kid;
    },
    addClient,
    verifierOptions(overrides = {}) {
      return { issuer: origin, audience, ...overrides, keys: { cooldownMs: 0, ...overrides.keys } };
    },
    close: () => server.close(),
  };
}
