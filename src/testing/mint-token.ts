/**
 * Minting access tokens with the issuer's keys: good ones by default, and on request the bad ones an API
 * must refuse (expired, not yet valid, another audience, an unknown or withdrawn key, odd headers).
 */
import { SignJWT } from 'jose';
import { fail as failOption, failArgument, oneOf, optionsObject, stringOption } from '../options/option-checks.js';
import {
  isTestSigningAlgorithm,
  type SigningKey,
  type SigningKeyRing,
  type TestSigningAlgorithm,
} from './signing-keys.js';
import { presetShape, TOKEN_PRESETS, type TokenPreset } from './token-presets.js';

/** Claims of a minted token. A claim set to `undefined` is left out of the token. */
export type TestTokenClaims = Readonly<Record<string, unknown>>;

/** Options of {@link TestIssuer.sign}. */
export interface SignTokenOptions {
  /**
   * Seconds from now until `exp`; negative for a token that has already expired. `null` leaves `exp` out.
   * @default the issuer's `tokenLifetime` (3600)
   */
  expiresIn?: number | null;
  /**
   * Seconds from now for `nbf`; positive for a token that is not valid yet.
   * @default no `nbf` (the Entra presets set it to now)
   */
  notBefore?: number;
  /** Sign with the published key that has this `kid` (for example a previous key after a rotation). */
  kid?: string;
  /**
   * Sign with a key of this algorithm. A published key of that algorithm is used when there is one, else
   * one is created and published (it does not become the signing key of issued tokens).
   * @default the current signing key's algorithm
   */
  alg?: TestSigningAlgorithm;
  /**
   * Extra JOSE header members, applied over `kid` and `typ` (a member set to `undefined` is left out, e.g.
   * `{ kid: undefined }` for a token without `kid`). `alg` cannot be set here: use the `alg` option.
   */
  header?: Readonly<Record<string, unknown>>;
  /** The token shape. @default "rfc9068" (Entra tenant mode: "entra-v2") */
  preset?: TokenPreset;
  /**
   * The calling application: `client_id` and `sub` (rfc9068), `azp` (entra-v2), `appid` (entra-v1).
   * @default "test-client"
   */
  clientId?: string;
}

/** What minting needs from the issuer. */
export interface MintContext {
  /** The default `iss`. */
  readonly issuer: string;
  /** The default `aud`. */
  readonly audience: string;
  readonly tenantId: string;
  /** Seconds. */
  readonly tokenLifetime: number;
  readonly keys: SigningKeyRing;
  /** The preset of tokens minted without one. */
  readonly defaultPreset: TokenPreset;
  /** Entra tenant mode: the `iss` and `aud` of `entra-v1` tokens. */
  readonly v1?: { readonly issuer: string; readonly audience: string };
}

/** The client id of tokens minted without one. */
export const DEFAULT_CLIENT_ID = 'test-client';

const KNOWN_OPTIONS = new Set(['expiresIn', 'notBefore', 'kid', 'alg', 'header', 'preset', 'clientId']);
const SIGN = 'sign()';

function fail(name: string, expectation: string): never {
  failOption(name, expectation, SIGN);
}

function checkOptions(input: SignTokenOptions): void {
  const options = optionsObject(input, '', KNOWN_OPTIONS, SIGN) ?? {};
  const { expiresIn, notBefore, header, kid, alg } = options;
  if (expiresIn !== undefined && expiresIn !== null && !Number.isFinite(expiresIn)) {
    fail('expiresIn', 'must be a finite number of seconds or null');
  }
  if (notBefore !== undefined && !Number.isFinite(notBefore)) fail('notBefore', 'must be a finite number of seconds');
  oneOf(options.preset, 'preset', TOKEN_PRESETS, SIGN);
  stringOption(options.clientId, 'clientId', SIGN);
  if (kid !== undefined && typeof kid !== 'string') fail('kid', 'must be a string');
  if (alg !== undefined && !isTestSigningAlgorithm(alg)) fail('alg', 'must be an asymmetric JWS algorithm');
  if (header !== undefined) {
    if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header', 'must be an object');
    if (Object.hasOwn(header, 'alg')) fail('header', 'cannot set "alg": use the "alg" option');
  }
}

async function pickKey(
  keys: SigningKeyRing,
  kid: string | undefined,
  alg: TestSigningAlgorithm | undefined,
): Promise<SigningKey> {
  if (kid === undefined) return keys.forAlgorithm(alg ?? keys.current.alg);
  const key = keys.find(kid);
  if (key === undefined) fail('kid', 'names no published key');
  if (alg !== undefined && key.alg !== alg) fail('alg', 'differs from the algorithm of the key named by "kid"');
  return key;
}

/** Sets `name` as an own property, even for names such as `__proto__`. */
function put(target: Record<string, unknown>, name: string, value: unknown): void {
  if (value === undefined) delete target[name];
  else Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/** Mints a token: preset defaults, then the times from `options`, then `claims`. */
export async function mintToken(
  context: MintContext,
  claims: TestTokenClaims = {},
  options: SignTokenOptions = {},
): Promise<string> {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    failArgument('claims', 'must be an object', 'sign()');
  }
  checkOptions(options);
  const now = Math.floor(Date.now() / 1000);
  const preset = options.preset ?? context.defaultPreset;
  const v1 = preset === 'entra-v1' ? context.v1 : undefined;
  const shape = presetShape(preset, {
    issuer: v1?.issuer ?? context.issuer,
    audience: v1?.audience ?? context.audience,
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    tenantId: context.tenantId,
    now,
  });
  const payload: Record<string, unknown> = { ...shape.claims };
  if (options.expiresIn !== null) payload.exp = now + (options.expiresIn ?? context.tokenLifetime);
  if (options.notBefore !== undefined) payload.nbf = now + options.notBefore;
  for (const [name, value] of Object.entries(claims)) put(payload, name, value);

  const key = await pickKey(context.keys, options.kid, options.alg);
  const header: Record<string, unknown> = { alg: key.alg, kid: key.kid, typ: shape.typ };
  for (const [name, value] of Object.entries(options.header ?? {})) put(header, name, value);
  return new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key.privateKey);
}
