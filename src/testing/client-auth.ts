/**
 * Client authentication at the token endpoint: `client_secret_basic` (RFC 6749 §2.3.1, credentials
 * form-urlencoded then Base64), `client_secret_post`, and `private_key_jwt` (RFC 7523 §2.2, §3: a JWT
 * signed by the client with `iss` = `sub` = client id, `aud` the token endpoint or the issuer, `exp`, and a
 * `jti` that is never accepted twice unless the issuer allows reuse, as Entra ID does). The assertion's key
 * is named by `kid`, or by a certificate thumbprint (`x5t#S256`, `x5t`) as MSAL sends it. Exactly one
 * method per request; any `Authorization` header is an attempt to authenticate with it, so a bad one is
 * answered 401 with the Basic challenge (§5.2).
 */
import { timingSafeEqual } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWK } from 'jose';
import { ASSERTION_CLOCK_TOLERANCE_SECONDS, type AssertionReplayGuard } from './assertion-replay-guard.js';
import { TokenEndpointError } from './oauth-error.js';
import { TEST_SIGNING_ALGORITHMS } from './signing-keys.js';
import { digestSecret, type RegisteredClient, type TestClientAuthMethod } from './test-client.js';

/** The `client_assertion_type` of RFC 7523 §2.2. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** The challenge sent when Basic authentication fails (RFC 6749 §5.2). */
export const BASIC_CHALLENGE = 'Basic realm="test-issuer", charset="UTF-8"';

/** What client authentication needs from the issuer. */
export interface ClientAuthContext {
  readonly issuer: string;
  readonly tokenEndpoint: string;
  readonly clients: ReadonlyMap<string, RegisteredClient>;
  /**
   * Remembers used assertions; `undefined` lets an assertion be used again until it expires (Entra ID
   * accepts that, and MSAL reuses its certificate assertions for up to ten minutes).
   */
  readonly replay: AssertionReplayGuard | undefined;
}

/** An authenticated client and how it authenticated. */
export interface AuthenticatedClient {
  readonly client: RegisteredClient;
  readonly method: TestClientAuthMethod;
}

function invalidClient(description: string, basic = false): TokenEndpointError {
  const headers = basic ? { 'WWW-Authenticate': BASIC_CHALLENGE } : undefined;
  return new TokenEndpointError('invalid_client', description, headers === undefined ? {} : { headers });
}

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/**
 * The credentials of the `Authorization` header, `undefined` without one. A client that sends the header
 * attempts to authenticate with it (RFC 6749 §5.2), so another scheme, or Basic without well-formed
 * credentials, is refused with `invalid_client` and the Basic challenge.
 */
function readBasic(authorization: string | undefined): { id: string; secret: string } | undefined {
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(' ');
  const scheme = space === -1 ? authorization : authorization.slice(0, space);
  if (scheme.toLowerCase() !== 'basic') {
    throw invalidClient('The Authorization header must use the Basic scheme', true);
  }
  const encoded = space === -1 ? '' : authorization.slice(space + 1).replace(/^ +| +$/g, '');
  const decoded = /^[A-Za-z0-9+/]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon < 1) throw invalidClient('The Basic credentials are malformed', true);
  try {
    return { id: formDecode(decoded.slice(0, colon)), secret: formDecode(decoded.slice(colon + 1)) };
  } catch {
    throw invalidClient('The Basic credentials are malformed', true);
  }
}

function findClient(context: ClientAuthContext, clientId: string, method: TestClientAuthMethod): RegisteredClient {
  const basic = method === 'client_secret_basic';
  const client = context.clients.get(clientId);
  if (client === undefined) throw invalidClient('Unknown client', basic);
  if (!client.authMethods.has(method)) throw invalidClient(`The client may not authenticate with ${method}`, basic);
  return client;
}

function checkSecret(client: RegisteredClient, secret: string, basic: boolean): void {
  if (client.secretDigest === undefined || !timingSafeEqual(client.secretDigest, digestSecret(secret))) {
    throw invalidClient('Wrong client secret', basic);
  }
}

/**
 * The client's keys that may have signed `assertion`: all of them when its header has a `kid` (jose
 * matches it) or no thumbprint, else those whose `x5t#S256` (or `x5t`) equals the header's.
 */
function candidateKeys(client: RegisteredClient, assertion: string): { keys: JWK[] } {
  let header: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw invalidClient('The client assertion is malformed');
  }
  const keys = client.jwks!.keys;
  if (header.kid !== undefined) return { keys };
  for (const member of ['x5t#S256', 'x5t'] as const) {
    const thumbprint = header[member];
    if (thumbprint === undefined) continue;
    const named = keys.filter((key) => key[member] === thumbprint);
    if (named.length === 0) throw invalidClient(`No registered certificate of the client has this ${member}`);
    return { keys: named };
  }
  return { keys };
}

async function checkAssertion(context: ClientAuthContext, params: URLSearchParams): Promise<RegisteredClient> {
  const type = params.get('client_assertion_type');
  const assertion = params.get('client_assertion');
  if (type !== JWT_BEARER_ASSERTION) {
    throw new TokenEndpointError('invalid_request', 'Unsupported client_assertion_type');
  }
  if (assertion === null || assertion === '') {
    throw new TokenEndpointError('invalid_request', 'Missing client_assertion');
  }
  let clientId = params.get('client_id');
  if (clientId === null) {
    try {
      const { sub } = decodeJwt(assertion);
      clientId = typeof sub === 'string' ? sub : '';
    } catch {
      throw invalidClient('The client assertion is malformed');
    }
  }
  const client = findClient(context, clientId, 'private_key_jwt');
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(candidateKeys(client, assertion)), {
      issuer: client.clientId,
      subject: client.clientId,
      audience: [context.tokenEndpoint, context.issuer],
      algorithms: [...TEST_SIGNING_ALGORITHMS],
      requiredClaims: ['exp', 'jti'],
      clockTolerance: ASSERTION_CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    if (error instanceof errors.JOSEError) throw invalidClient(`The client assertion is invalid (${error.code})`);
    throw error;
  }
  if (typeof payload.jti !== 'string' || payload.jti === '') {
    throw invalidClient('The jti of the client assertion must be a non-empty string');
  }
  if (context.replay !== undefined && !context.replay.use(client.clientId, payload.jti, payload.exp!)) {
    throw invalidClient('The client assertion was already used');
  }
  return client;
}

/**
 * Authenticates the client of a token request. Throws {@link TokenEndpointError}: `invalid_request` for
 * several methods at once or a malformed assertion request, `invalid_client` (401) for anything else.
 */
export async function authenticateClient(
  context: ClientAuthContext,
  authorization: string | undefined,
  params: URLSearchParams,
): Promise<AuthenticatedClient> {
  const basic = readBasic(authorization);
  const used: TestClientAuthMethod[] = [];
  if (basic !== undefined) used.push('client_secret_basic');
  if (params.has('client_secret')) used.push('client_secret_post');
  if (params.has('client_assertion') || params.has('client_assertion_type')) used.push('private_key_jwt');
  if (used.length > 1) {
    throw new TokenEndpointError('invalid_request', 'More than one client authentication method was used');
  }
  const [method] = used;
  if (method === undefined) throw invalidClient('Client authentication is required');

  if (method === 'private_key_jwt') return { client: await checkAssertion(context, params), method };
  if (method === 'client_secret_basic') {
    const bodyId = params.get('client_id');
    if (bodyId !== null && bodyId !== basic!.id) {
      throw invalidClient('The client_id parameter differs from the Basic credentials', true);
    }
    const client = findClient(context, basic!.id, method);
    checkSecret(client, basic!.secret, true);
    return { client, method };
  }
  const clientId = params.get('client_id');
  if (clientId === null) throw invalidClient('Missing client_id');
  const client = findClient(context, clientId, method);
  checkSecret(client, params.get('client_secret')!, false);
  return { client, method };
}
