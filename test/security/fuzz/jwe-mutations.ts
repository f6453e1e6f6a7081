/**
 * Mutations of encrypted tokens (JWE) for the fuzz suite: byte flips in each of the five segments, character
 * edits, insertions and truncations, protected-header member changes (decoded or raw: `RSA1_5`, `PBES2` with
 * a huge count, `dir`, `zip`, `crit`, odd `epk`s), segment drops, swaps and re-encodings, and splices of the
 * segments of other genuine JWEs.
 */
import fc from 'fast-check';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** One change to an encrypted token. */
export type JweMutation =
  | { kind: 'byte'; segment: number; at: number; xor: number }
  | { kind: 'char'; at: number; char: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number }
  | { kind: 'header'; key: string; value: unknown; remove: boolean }
  | { kind: 'raw-header'; member: string }
  | { kind: 'segments'; how: string }
  | { kind: 'splice'; from: number; segment: number };

const HEADER_KEYS = ['alg', 'enc', 'zip', 'crit', 'kid', 'epk', 'apu', 'apv', 'p2c', 'p2s', 'iv', 'tag', 'cty', 'typ', 'jku', 'jwk', 'x5u', '__proto__'];
const RAW_MEMBERS = [
  '"alg":"RSA1_5"', '"alg":"PBES2-HS512+A256KW","p2c":2147483647,"p2s":"AAAAAAAAAAA"', '"alg":"dir"', '"alg":"A256GCMKW"',
  '"enc":"A128CBC-HS256"', '"enc":"A256GCM"', '"zip":"DEF"', '"crit":["exp"]', '"crit":[]', '"kid":null', '"kid":"test-encryption-aes"',
  '"epk":{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}', '"epk":{"kty":"OKP","crv":"X25519","x":"AA","d":"AA"}', '"__proto__":{"alg":"dir"}',
];
const SEGMENT_EDITS = ['drop-first', 'drop-last', 'empty-key', 'empty-iv', 'empty-tag', 'swap-iv-tag', 'swap-key-ciphertext', 'extra-dot', 'pad', 'standard-alphabet', 'whitespace', 'upper-case'];

/** Mutations at the byte, character, header, segment and encoding layers, and splices. */
export const jweMutationArb: fc.Arbitrary<JweMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('byte' as const), segment: fc.integer({ min: 0, max: 4 }), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }) },
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), char: fc.constantFrom(...ALPHABET, '.', '=', '+', '/', ' ', 'é', '\u0000') }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('header' as const),
      key: fc.oneof(fc.constantFrom(...HEADER_KEYS), fc.string({ maxLength: 6 })),
      value: fc.jsonValue({ maxDepth: 2 }),
      remove: fc.boolean(),
    }),
  },
  fc.record({ kind: fc.constant('raw-header' as const), member: fc.constantFrom(...RAW_MEMBERS) }),
  fc.record({ kind: fc.constant('segments' as const), how: fc.constantFrom(...SEGMENT_EDITS) }),
  fc.record({ kind: fc.constant('splice' as const), from: fc.nat(), segment: fc.integer({ min: 0, max: 4 }) }),
);

function decodeHeader(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Applies one mutation to `token`; `genuine` are the tokens a splice takes segments from. */
export function applyJwe(token: string, mutation: JweMutation, genuine: readonly string[]): string {
  const parts = token.split('.');
  switch (mutation.kind) {
    case 'byte': {
      const bytes = Buffer.from(parts[mutation.segment] ?? '', 'base64url');
      if (bytes.length === 0) return token;
      bytes[mutation.at % bytes.length]! ^= mutation.xor;
      parts[mutation.segment] = bytes.toString('base64url');
      return parts.join('.');
    }
    case 'char': {
      const at = mutation.at % token.length;
      return token.slice(0, at) + mutation.char + token.slice(at + 1);
    }
    case 'insert': {
      const at = mutation.at % (token.length + 1);
      return token.slice(0, at) + mutation.text + token.slice(at);
    }
    case 'truncate':
      return token.slice(0, mutation.at % token.length);
    case 'header': {
      const header = decodeHeader(parts[0]!);
      if (header === undefined) return token;
      if (mutation.remove) delete header[mutation.key];
      else Object.defineProperty(header, mutation.key, { value: mutation.value, enumerable: true, configurable: true, writable: true });
      parts[0] = Buffer.from(JSON.stringify(header)).toString('base64url');
      return parts.join('.');
    }
    case 'raw-header': {
      const text = Buffer.from(parts[0]!, 'base64url').toString('utf8');
      parts[0] = Buffer.from(`${text.slice(0, -1)},${mutation.member}}`).toString('base64url');
      return parts.join('.');
    }
    case 'splice':
      if (parts.length <= mutation.segment) return token;
      parts[mutation.segment] = genuine[mutation.from % genuine.length]!.split('.')[mutation.segment]!;
      return parts.join('.');
    case 'segments':
      return editSegments(token, parts, mutation.how);
  }
}

function editSegments(token: string, parts: string[], how: string): string {
  const [header, key, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  switch (how) {
    case 'drop-first':
      return parts.slice(1).join('.');
    case 'drop-last':
      return parts.slice(0, 4).join('.');
    case 'empty-key':
      return [header, '', iv, ciphertext, tag].join('.');
    case 'empty-iv':
      return [header, key, '', ciphertext, tag].join('.');
    case 'empty-tag':
      return [header, key, iv, ciphertext, ''].join('.');
    case 'swap-iv-tag':
      return [header, key, tag, ciphertext, iv].join('.');
    case 'swap-key-ciphertext':
      return [header, ciphertext, iv, key, tag].join('.');
    case 'extra-dot':
      return `${token}.`;
    case 'pad':
      return `${token}==`;
    case 'standard-alphabet':
      return `${token.replace(/-/g, '+').replace(/_/g, '/')}/`;
    case 'whitespace':
      return ` ${token}`;
    default:
      return token.toUpperCase();
  }
}

