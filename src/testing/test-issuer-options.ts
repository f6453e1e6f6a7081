/**
 * The options of `createTestIssuer()`, checked once with the library's option toolkit, so a mistake reads
 * like every other configuration error: `bearer-guard: createTestIssuer() option "audience" must …`.
 */
import { randomUUID } from 'node:crypto';
import {
  booleanOption,
  fail,
  numberOption,
  optionsObject,
  stringOption,
} from '../options/option-checks.js';
import { isTestSigningAlgorithm, type TestSigningAlgorithm } from './signing-keys.js';
import type { TestClient } from './test-client.js';

/** Where the options of the test issuer are checked. */
export const CREATE_TEST_ISSUER = 'createTestIssuer()';

/**
 * Entra tenant mode: the `entraId()` configuration the test issuer stands in for. The issuer then serves
 * Entra's URL layout under `/<tenant id>/`, issues Entra v2.0 app-only tokens (Entra's `iss`, `aud` the
 * API's client id, `azp`, `tid`, `roles`, `idtyp: "app"`), publishes its keys with Entra's `issuer` member,
 * and its `verifierOptions()` are `entraId({ tenantId, clientId, appIdUri })` with the keys fetched from it.
 */
export interface TestEntraOptions {
  /** The API's application (client) id GUID, as given to `entraId()`: the `aud` of v2.0 tokens. */
  clientId: string;
  /** The directory (tenant) id GUID. @default the issuer's `tenantId` option, else a random UUID */
  tenantId?: string;
  /**
   * The API's Application ID URI, as given to `entraId()`: the `aud` of v1.0 tokens, and the resource a
   * daemon names in its scope (`<appIdUri>/.default`).
   * @default `api://<clientId>`
   */
  appIdUri?: string;
}

/** Options of {@link createTestIssuer}. */
export interface TestIssuerOptions {
  /** The `aud` of issued and minted tokens. @default "api://default" (Entra tenant mode: the API's client id) */
  audience?: string;
  /** Registered clients (more can be added with {@link TestIssuer.addClient}). @default [] */
  clients?: readonly TestClient[];
  /** Algorithm of the signing key. @default "RS256" */
  alg?: TestSigningAlgorithm;
  /** Lifetime of issued tokens in seconds (`expires_in`), and the default of `sign()`. @default 3600 */
  tokenLifetime?: number;
  /** The `tid` of tokens minted with an Entra preset. @default a random UUID */
  tenantId?: string;
  /** Entra tenant mode for an `entraId()` configuration (see {@link TestEntraOptions}). */
  entra?: TestEntraOptions;
  /**
   * Serve HTTPS with a certificate for `127.0.0.1`, `::1` and `localhost`, signed by a certificate
   * authority generated in memory for this issuer ({@link TestIssuer.caCertificate}); clients that cannot
   * use plain HTTP (MSAL) then reach it. {@link TestIssuer.fetch} trusts that authority.
   * @default false
   */
  https?: boolean;
  /**
   * The interface to listen on. Only loopback hosts are accepted (`127.0.0.1`, other `127.x.y.z`, `::1`,
   * `localhost`); anything else is refused with a `TypeError`.
   * @default "127.0.0.1"
   */
  host?: string;
  /** The port. @default 0 (a free port) */
  port?: number;
}

/** The Entra tenant the issuer stands in for, with every default applied. */
export interface ResolvedEntra {
  readonly tenantId: string;
  readonly clientId: string;
  readonly appIdUri: string;
}

/** {@link TestIssuerOptions} with every default applied. */
export interface ResolvedIssuerOptions {
  readonly audience: string;
  readonly clients: readonly TestClient[];
  readonly alg: TestSigningAlgorithm;
  readonly tokenLifetime: number;
  readonly tenantId: string;
  readonly entra: ResolvedEntra | undefined;
  readonly https: boolean;
  readonly host: string;
  readonly port: number;
}

const KNOWN = ['audience', 'clients', 'alg', 'tokenLifetime', 'tenantId', 'entra', 'https', 'host', 'port'];
const ENTRA_KNOWN = ['clientId', 'tenantId', 'appIdUri'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PRINTABLE = /^[\x21-\x7e]+$/;

function guid(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !GUID.test(value)) fail(path, 'must be a GUID', CREATE_TEST_ISSUER);
  return value.toLowerCase();
}

function resolveEntra(value: unknown, tenantId: string | undefined): ResolvedEntra | undefined {
  const entra = optionsObject(value, 'entra', ENTRA_KNOWN, CREATE_TEST_ISSUER);
  if (entra === undefined) return undefined;
  if (entra.clientId === undefined) fail('entra.clientId', 'is required', CREATE_TEST_ISSUER);
  const clientId = guid(entra.clientId, 'entra.clientId')!;
  const tenant = guid(entra.tenantId, 'entra.tenantId');
  if (tenant !== undefined && tenantId !== undefined && tenant !== tenantId.toLowerCase()) {
    fail('tenantId', 'differs from "entra.tenantId": give the tenant once', CREATE_TEST_ISSUER);
  }
  const appIdUri = stringOption(entra.appIdUri, 'entra.appIdUri', CREATE_TEST_ISSUER) ?? `api://${clientId}`;
  const finalTenant = tenant ?? (tenantId === undefined ? randomUUID() : guid(tenantId, 'tenantId')!);
  return { tenantId: finalTenant, clientId, appIdUri };
}

/** Checks `options` and fills in defaults. Throws a `TypeError` naming the faulty option. */
export function resolveIssuerOptions(options: TestIssuerOptions): ResolvedIssuerOptions {
  const given = optionsObject(options, '', KNOWN, CREATE_TEST_ISSUER) ?? {};
  const { audience, alg, host, clients } = given;
  if (audience !== undefined && (typeof audience !== 'string' || !PRINTABLE.test(audience))) {
    fail('audience', 'must be a non-empty string of printable ASCII without spaces', CREATE_TEST_ISSUER);
  }
  if (alg !== undefined && !isTestSigningAlgorithm(alg)) {
    fail('alg', 'must be an asymmetric JWS algorithm', CREATE_TEST_ISSUER);
  }
  const tokenLifetime = numberOption(given.tokenLifetime, 'tokenLifetime', { min: 1, integer: true, unit: 'seconds' }, CREATE_TEST_ISSUER);
  const tenantId = stringOption(given.tenantId, 'tenantId', CREATE_TEST_ISSUER);
  const https = booleanOption(given.https, 'https', CREATE_TEST_ISSUER);
  if (host !== undefined && typeof host !== 'string') fail('host', 'must be a string', CREATE_TEST_ISSUER);
  const port = numberOption(given.port, 'port', { min: 0, max: 65535, integer: true }, CREATE_TEST_ISSUER);
  if (clients !== undefined && !Array.isArray(clients)) fail('clients', 'must be an array', CREATE_TEST_ISSUER);
  const entra = resolveEntra(given.entra, tenantId);
  if (entra !== undefined && audience !== undefined) {
    fail('audience', 'cannot be set in Entra tenant mode: tokens are for "entra.clientId"', CREATE_TEST_ISSUER);
  }
  return {
    audience: entra?.clientId ?? (audience as string | undefined) ?? 'api://default',
    clients: (clients as readonly TestClient[] | undefined) ?? [],
    alg: (alg as TestSigningAlgorithm | undefined) ?? 'RS256',
    tokenLifetime: tokenLifetime ?? 3600,
    tenantId: entra?.tenantId ?? tenantId ?? randomUUID(),
    entra,
    https: https ?? false,
    host: (host as string | undefined) ?? '127.0.0.1',
    port: port ?? 0,
  };
}
