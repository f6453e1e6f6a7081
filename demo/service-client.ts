/**
 * A calling service (Payment, Reporting…): gets its access token with the OAuth 2.0 client credentials
 * grant through openid-client, keeps it until shortly before it expires, and calls the Receipts API.
 */
import * as oidc from 'openid-client';

/** An HTTP answer of the API, as the transcript shows it. */
export interface ApiAnswer {
  status: number;
  statusText: string;
  wwwAuthenticate: string | null;
  body: unknown;
}

/** Calls `baseUrl + path` with an optional Bearer token and JSON body. */
export async function callApi(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown } = {},
): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, statusText: res.statusText, wwwAuthenticate: res.headers.get('www-authenticate'), body };
}

/** Options of {@link ServiceClient.connect}. */
export interface ServiceClientOptions {
  /** The issuer URL (discovered with OpenID Connect discovery). */
  issuer: string;
  clientId: string;
  /** How the client authenticates: `oidc.ClientSecretBasic(secret)`, `oidc.PrivateKeyJwt(key)`… */
  clientAuth: oidc.ClientAuth;
  /** The scopes to request; none for app roles only. */
  scope?: string;
  /** The API's base URL. */
  api: string;
  /** Seconds before expiry at which a cached token is replaced. @default 60 */
  refreshSkewSeconds?: number;
}

/** Where the token of a call came from. */
export interface TokenUse {
  token: string;
  /** `fetched` from the token endpoint, or `cached`. */
  source: 'fetched' | 'cached';
  /** Seconds left before it expires. */
  expiresInSeconds: number;
}

/** A service that calls the API with its own client-credentials token. */
export class ServiceClient {
  readonly clientId: string;
  readonly #config: oidc.Configuration;
  readonly #options: ServiceClientOptions;
  #cached: { token: string; expiresAt: number } | undefined;

  private constructor(config: oidc.Configuration, options: ServiceClientOptions) {
    this.#config = config;
    this.#options = options;
    this.clientId = options.clientId;
  }

  /** Discovers the issuer and returns a client. Plain http is allowed for loopback issuers only. */
  static async connect(options: ServiceClientOptions): Promise<ServiceClient> {
    const url = new URL(options.issuer);
    const local = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    const config = await oidc.discovery(url, options.clientId, undefined, options.clientAuth, {
      ...(local ? { execute: [oidc.allowInsecureRequests] } : {}),
    });
    return new ServiceClient(config, options);
  }

  /** The access token: the cached one until `refreshSkewSeconds` before it expires, else a new one. */
  async accessToken(): Promise<TokenUse> {
    const now = Date.now() / 1000;
    const skew = this.#options.refreshSkewSeconds ?? 60;
    if (this.#cached !== undefined && now < this.#cached.expiresAt - skew) {
      return { token: this.#cached.token, source: 'cached', expiresInSeconds: Math.round(this.#cached.expiresAt - now) };
    }
    const parameters: Record<string, string> = this.#options.scope !== undefined ? { scope: this.#options.scope } : {};
    const response = await oidc.clientCredentialsGrant(this.#config, parameters);
    const lifetime = response.expires_in ?? 300;
    this.#cached = { token: response.access_token, expiresAt: now + lifetime };
    return { token: response.access_token, source: 'fetched', expiresInSeconds: lifetime };
  }

  /** Drops the cached token, so the next call fetches a new one. */
  forgetToken(): void {
    this.#cached = undefined;
  }

  /** Calls the API with the service's token. */
  async call(method: string, path: string, body?: unknown): Promise<{ answer: ApiAnswer; token: TokenUse }> {
    const token = await this.accessToken();
    const answer = await callApi(this.#options.api, method, path, { token: token.token, ...(body !== undefined ? { body } : {}) });
    return { answer, token };
  }
}
