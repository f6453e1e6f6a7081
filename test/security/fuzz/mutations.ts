/**
 * Token mutations shared by the fuzz suites and the differential test: byte flips per segment, character
 * edits, insertions and truncations, JSON member changes (including raw members JSON.stringify cannot
 * write, such as `1e400`), re-encodings (padding, alphabet, unused bits, dots, BOM), and re-signatures with
 * a key that does not belong to the header.
 */
import fc from 'fast-check';
import { b64text, jwsSignature, privateKeyOf, type KeyRing, type TestKey } from '../support.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** One change to a token. */
export type Mutation =
  | { kind: 'byte'; segment: number; at: number; xor: number }
  | { kind: 'char'; at: number; char: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'json'; segment: number; key: string; value: unknown; remove: boolean }
  | { kind: 'raw-member'; segment: number; member: string }
  | { kind: 'encoding'; how: string }
  | { kind: 'resign'; with: 'attacker' | 'other-published' };

const JSON_KEYS = [
  'alg', 'kid', 'typ', 'crit', 'b64', 'jku', 'jwk', 'x5u', 'x5c', 'cty', 'zip', 'enc', '__proto__', 'constructor',
  'exp', 'nbf', 'iat', 'iss', 'aud', 'sub', 'scope', 'scp', 'roles', 'client_id', 'tid',
];
const RAW_MEMBERS = [
  '"exp":1e400', '"exp":-1e400', '"nbf":1e400', '"iat":1e400', '"alg":"none"', '"alg":"HS256"', '"kid":null',
  '"crit":["exp"]', '"b64":false,"crit":["b64"]', '"aud":[]', '"iss":["x"]', '"__proto__":{"alg":"none"}',
];
/** Every re-encoding {@link mutate} knows. */
export const ENCODINGS = [
  'pad-signature', 'standard-alphabet', 'dirty-signature-bits', 'whitespace', 'double-dot', 'trailing-dot', 'leading-dot',
  'swap-header-payload', 'drop-signature', 'repeat-signature', 'upper-case', 'utf8-bom-payload', 'percent-encode',
];

/** Mutations at the byte, character, JSON and encoding layers, and re-signatures by the wrong keys. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('byte' as const), segment: fc.integer({ min: 0, max: 2 }), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), char: fc.constantFrom(...ALPHABET, '.', '=', '+', '/', ' ', '\t', 'é', '\u0000', '~', '%') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('json' as const),
    segment: fc.integer({ min: 0, max: 1 }),
    key: fc.oneof(fc.constantFrom(...JSON_KEYS), fc.string({ maxLength: 6 })),
    value: fc.jsonValue({ maxDepth: 3 }),
    remove: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('raw-member' as const), segment: fc.integer({ min: 0, max: 1 }), member: fc.constantFrom(...RAW_MEMBERS) }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('encoding' as const), how: fc.constantFrom(...ENCODINGS) }) },
  fc.record({ kind: fc.constant('resign' as const), with: fc.constantFrom('attacker' as const, 'other-published' as const) }),
);

function decodeJson(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function signInput(input: string, alg: string, key: TestKey): string {
  return `${input}.${jwsSignature(alg, privateKeyOf(key), input).toString('base64url')}`;
}

/** Applies one mutation; the result may be anything a client could send. */
export function mutate(ring: KeyRing, token: string, mutation: Mutation): string {
  const parts = token.split('.');
  switch (mutation.kind) {
    case 'byte': {
      const segment = parts[mutation.segment];
      if (segment === undefined) return token;
      const bytes = Buffer.from(segment, 'base64url');
      if (bytes.length === 0) return token;
      bytes[mutation.at % bytes.length]! ^= mutation.xor;
      parts[mutation.segment] = bytes.toString('base64url');
      return parts.join('.');
    }
    case 'char': {
      const at = mutation.at % Math.max(1, token.length);
      return token.slice(0, at) + mutation.char + token.slice(at + 1);
    }
    case 'insert': {
      const at = mutation.at % (token.length + 1);
      return token.slice(0, at) + mutation.text + token.slice(at);
    }
    case 'truncate':
      return token.slice(0, mutation.at % Math.max(1, token.length));
    case 'json': {
      const segment = parts[mutation.segment];
      const object = segment === undefined ? undefined : decodeJson(segment);
      if (object === undefined) return token;
      const copy: Record<string, unknown> = { ...object };
      if (mutation.remove) delete copy[mutation.key];
      else Object.defineProperty(copy, mutation.key, { value: mutation.value, enumerable: true, configurable: true, writable: true });
      parts[mutation.segment] = b64text(JSON.stringify(copy));
      return parts.join('.');
    }
    case 'raw-member': {
      const segment = parts[mutation.segment];
      if (segment === undefined) return token;
      const text = Buffer.from(segment, 'base64url').toString('utf8');
      if (!text.endsWith('}')) return token;
      parts[mutation.segment] = b64text(`${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${mutation.member}}`);
      return parts.join('.');
    }
    case 'encoding':
      return reencode(token, parts, mutation.how);
    case 'resign': {
      if (parts.length < 2) return token;
      const input = `${parts[0]}.${parts[1]}`;
      if (mutation.with === 'attacker') return signInput(input, 'ES256', ring.attackerEc);
      // A published key, but not the one the header names: sign RS256 with the PS256 key.
      return signInput(input, 'RS256', ring.ps256);
    }
  }
}

function reencode(token: string, parts: string[], how: string): string {
  const [header = '', payload = '', signature = ''] = parts;
  switch (how) {
    case 'pad-signature':
      return `${header}.${payload}.${signature}${'='.repeat((4 - (signature.length % 4)) % 4 || 2)}`;
    case 'standard-alphabet':
      return `${token.replace(/-/g, '+').replace(/_/g, '/')}${/[-_]/.test(token) ? '' : '/'}`;
    case 'dirty-signature-bits': {
      if (signature.length % 4 < 2) return `${token}A`;
      const unused = signature.length % 4 === 2 ? 0x0f : 0x03;
      const last = ALPHABET.indexOf(signature.at(-1)!);
      const dirty = ALPHABET[last | unused]!;
      return dirty === signature.at(-1) ? `${token}==` : `${header}.${payload}.${signature.slice(0, -1)}${dirty}`;
    }
    case 'whitespace':
      return ` ${token}`;
    case 'double-dot':
      return token.replace('.', '..');
    case 'trailing-dot':
      return `${token}.`;
    case 'leading-dot':
      return `.${token}`;
    case 'swap-header-payload':
      return `${payload}.${header}.${signature}`;
    case 'drop-signature':
      return `${header}.${payload}.`;
    case 'repeat-signature':
      return `${header}.${payload}.${signature}.${signature}`;
    case 'upper-case':
      return token.toUpperCase();
    case 'utf8-bom-payload':
      return `${header}.${b64text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(payload, 'base64url')]))}.${signature}`;
    default:
      return encodeURIComponent(token).replace(/\./g, '%2E');
  }
}
