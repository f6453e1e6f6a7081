/**
 * `createTestIssuer()`: an in-process OAuth 2.0 authorization server on a loopback port, for tests and
 * demos only. It publishes metadata and keys like a real issuer, issues tokens through the client
 * credentials grant, and mints tokens directly (good or deliberately bad). In Entra tenant mode it stands in
 * for one Microsoft Entra ID tenant (`entra-tenant.ts`); with `https` it serves TLS under a CA of its own.
 */
import { isIP } from 'node:net';
import { entraId } from '../profiles/entra/preset.js';
import { booleanOption, fail, optionsObject } from '../options/option-checks.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { AssertionReplayGuard } from './assertion-replay-guard.js';
import { encryptToken, lazyDecryptionKeys } from './encrypt-token.js';
import { checkEntraScope, describeEntraTenant, entraLayout, withKeyIssuer, type TestEntraTenant } from './entra-tenant.js';
import { createIssuerRoutes, ISSUER_PATHS, issuerMetadata, type IssuerCounters, type IssuerRouteContext } from './issuer-routes.js';
import { checkLoopbackHost, listenOnLoopback } from './loopback-server.js';
import { mintToken, type MintContext } from './mint-token.js';
import { OpaqueTokens } from './opaque-tokens.js';
import { isTestSigningAlgorithm, SigningKeyRing } from './signing-keys.js';
import { createTestCa, type ServerCredentials } from './test-ca.js';
import { registerClient, type ClientPlace, type RegisteredClient, type TestClient } from './test-client.js';
import type { TestIssuer } from './test-issuer.js';
import { CREATE_TEST_ISSUER, resolveIssuerOptions, type ResolvedIssuerOptions, type TestIssuerOptions } from './test-issuer-options.js';
import { grantScopes } from './token-endpoint.js';
import { createTrustingFetch } from './trusting-fetch.js';

const ROTATE_KEYS = 'rotateKeys()';

/** The HTTPS certificate (and the CA that signed it) for the addresses a loopback `host` may bind. */
async function tlsFor(host: string): Promise<{ ca: string; credentials: ServerCredentials }> {
  const ca = await createTestCa();
  const names = ['localhost', '127.0.0.1', '::1'];
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0 && !names.includes(bare)) names.push(bare);
  return { ca: ca.certificate, credentials: await ca.serverCredentials(names) };
}

/** Registered clients, and the registration of more. */
function clientRegistry(options: ResolvedIssuerOptions): {
  clients: Map<string, RegisteredClient>;
  add(client: TestClient, place: ClientPlace): void;
} {
  const clients = new Map<string, RegisteredClient>();
  const add = (client: TestClient, place: ClientPlace): void => {
    const registered = registerClient(client, place);
    const path = (name: string): string => (place.path === '' ? name : `${place.path}.${name}`);
    if (options.entra !== undefined && registered.scopes.length > 0) {
      fail(path('scopes'), 'has no use in Entra tenant mode: app-only tokens carry application permissions as "roles"', place.where);
    }
    if (clients.has(registered.clientId)) fail(path('clientId'), `names a client already registered`, place.where);
    clients.set(registered.clientId, registered);
  };
  options.clients.forEach((client, index) => add(client, { where: CREATE_TEST_ISSUER, path: `clients[${index}]` }));
  return { clients, add };
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
 * @example
 * // Entra tenant mode over HTTPS, for entraId() APIs and MSAL clients:
 * const issuer = await createTestIssuer({ entra: { clientId: API_CLIENT_ID }, https: true });
 * const app = express().use(authenticate(issuer.verifierOptions()));
 */
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const resolved = resolveIssuerOptions(options);
  const { audience, tokenLifetime, tenantId, entra } = resolved;
  checkLoopbackHost(resolved.host, CREATE_TEST_ISSUER);
  const { clients, add } = clientRegistry(resolved);
  const tls = resolved.https ? await tlsFor(resolved.host) : undefined;
  const fetch = tls === undefined ? globalThis.fetch : createTrustingFetch(tls.ca);
  const keys = await SigningKeyRing.create(resolved.alg, 'test-key');
  const counters: IssuerCounters = { discovery: 0, jwks: 0, token: 0, issued: 0, introspection: 0 };
  const opaque = new OpaqueTokens();
  const decryptionKeys = lazyDecryptionKeys();
  const layout = entra === undefined ? ISSUER_PATHS : entraLayout(entra.tenantId);
  let origin = '';
  let tenant: TestEntraTenant | undefined;
  const mint = (): MintContext => ({
    issuer: tenant?.issuer ?? origin,
    audience,
    tenantId,
    tokenLifetime,
    keys,
    defaultPreset: tenant === undefined ? 'rfc9068' : 'entra-v2',
    ...(tenant === undefined ? {} : { v1: { issuer: tenant.v1Issuer, audience: tenant.appIdUri } }),
  });
  const context: IssuerRouteContext = {
    layout,
    get issuer() {
      return tenant?.issuer ?? origin;
    },
    get tokenEndpoint() {
      return `${origin}${layout.token}`;
    },
    get jwksUri() {
      return `${origin}${layout.jwks}`;
    },
    get introspectionEndpoint() {
      return `${origin}${layout.introspection}`;
    },
    opaque,
    clients,
    replay: entra === undefined ? new AssertionReplayGuard() : undefined,
    jwks: () => (tenant === undefined ? keys.jwks() : withKeyIssuer(keys.jwks(), tenant.issuer)),
    metadata: () =>
      tenant === undefined
        ? issuerMetadata({ ...context, scopesSupported: () => [...new Set([...clients.values()].flatMap((c) => c.scopes))] })
        : { ...tenant.metadata },
    async issue(client, scope, method) {
      const claims: Record<string, unknown> = {};
      if (client.audience !== undefined) claims.aud = client.audience;
      if (client.roles.length > 0) claims.roles = [...client.roles];
      if (tenant !== undefined) {
        checkEntraScope(scope, tenant);
        claims.azpacr = method === 'private_key_jwt' ? '2' : '1';
        const token = await mintToken(mint(), { ...claims, ...client.claims }, { clientId: client.clientId });
        return { token_type: 'Bearer', expires_in: tokenLifetime, ext_expires_in: tokenLifetime, access_token: token };
      }
      const scopes = grantScopes(client, scope);
      if (scopes.length > 0) claims.scope = scopes.join(' ');
      const token =
        client.tokenFormat === 'opaque'
          ? opaque.mint(mint(), { ...claims, ...client.claims }, { clientId: client.clientId })
          : await mintToken(mint(), { ...claims, ...client.claims }, { clientId: client.clientId });
      const granted = scopes.length > 0 ? { scope: scopes.join(' ') } : {};
      return { access_token: token, token_type: 'Bearer', expires_in: tokenLifetime, ...granted };
    },
  };
  const server = await listenOnLoopback(resolved.host, resolved.port, createIssuerRoutes(context, counters), tls?.credentials);
  origin = server.origin;
  if (entra !== undefined) tenant = describeEntraTenant(entra, origin);

  return {
    url: tenant === undefined ? origin : `${tenant.authority}/v2.0`,
    tokenEndpoint: context.tokenEndpoint,
    jwksUri: context.jwksUri,
    audience,
    tenantId,
    entra: tenant,
    caCertificate: tls?.ca,
    fetch,
    get signingKid() {
      return keys.current.kid;
    },
    get jwks() {
      return context.jwks();
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
    introspectionEndpoint: context.introspectionEndpoint,
    get introspectionRequests() {
      return counters.introspection;
    },
    mintOpaqueToken: (claims, opaqueOptions) => opaque.mint(mint(), claims, opaqueOptions),
    revoke: (token) => opaque.revoke(token),
    resetCounters() {
      Object.assign(counters, { discovery: 0, jwks: 0, token: 0, issued: 0, introspection: 0 });
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
      const given = optionsObject(rotate, '', ['keepPrevious', 'alg'], ROTATE_KEYS) ?? {};
      const keepPrevious = booleanOption(given.keepPrevious, 'keepPrevious', ROTATE_KEYS);
      if (given.alg !== undefined && !isTestSigningAlgorithm(given.alg)) {
        fail('alg', 'must be an asymmetric JWS algorithm', ROTATE_KEYS);
      }
      return (await keys.rotate(keepPrevious !== false, given.alg)).kid;
    },
    addClient: (client) => add(client, { where: 'addClient()', path: '' }),
    verifierOptions(overrides = {}) {
      const base: VerifierOptions =
        entra === undefined
          ? { issuer: origin, audience }
          : { ...entraId({ tenantId: entra.tenantId, clientId: entra.clientId, appIdUri: entra.appIdUri }), jwksUri: context.jwksUri };
      const trust = tls === undefined ? {} : { fetch };
      return { ...base, ...overrides, ...(tls === undefined && overrides.keys === undefined ? {} : { keys: { ...trust, ...overrides.keys } }) };
    },
    close: () => server.close(),
  };
}
