/** The one option toolkit: the same messages and rules for every factory. */
import { describe, expect, it } from 'vitest';
import {
  booleanOption,
  DEFAULT_REALM,
  fail,
  failArgument,
  numberOption,
  oneOf,
  optionsObject,
  realmOption,
  stringList,
  stringOrStrings,
} from '../../src/options/option-checks.js';

describe('the option toolkit', () => {
  it('names the option, and the factory when it is not the verifier', () => {
    expect(() => fail('keys.timeoutMs', 'must be positive')).toThrow(new TypeError('bearer-guard: option "keys.timeoutMs" must be positive'));
    expect(() => fail('tenantId', 'must be a GUID', 'entraId()')).toThrow(new TypeError('bearer-guard: entraId() option "tenantId" must be a GUID'));
    expect(() => failArgument('scopes', 'must be a list', 'requireScopes()')).toThrow(new TypeError('bearer-guard: requireScopes() argument "scopes" must be a list'));
  });

  it('refuses unknown members by their full path, and non-objects', () => {
    expect(() => optionsObject({ maxAge: 1 }, 'keys', ['maxAgeMs'])).toThrow('option "keys.maxAge" is not a known option');
    expect(() => optionsObject([], 'keys', ['maxAgeMs'])).toThrow('option "keys" must be an object');
    expect(() => optionsObject('x', '', ['a'], 'f()')).toThrow('bearer-guard: f() option "options" must be an object');
    expect(optionsObject(undefined, 'keys', [])).toBeUndefined();
  });

  it('checks numbers with their bounds and unit in the message', () => {
    expect(numberOption(5, 'n', { min: 0 })).toBe(5);
    expect(numberOption(undefined, 'n', { min: 0 })).toBeUndefined();
    expect(() => numberOption(60_000, 'clockTolerance', { min: 0, max: 300, unit: 'seconds' })).toThrow(
      'option "clockTolerance" must be a finite number >= 0 and <= 300 (seconds)',
    );
    expect(() => numberOption(1.5, 'n', { min: 1, integer: true })).toThrow('must be an integer >= 1');
    expect(() => numberOption(Number.NaN, 'n', { min: 0 })).toThrow(TypeError);
  });

  it('checks strings, lists, enums and booleans', () => {
    expect(stringList('a', 'issuer')).toEqual(['a']);
    expect(stringList(['a', 'a', 'b'], 'issuer')).toEqual(['a', 'b']);
    expect(() => stringList([], 'issuer')).toThrow('option "issuer" must be a non-empty string or a non-empty array of strings');
    expect(() => stringList(['a b'], 'issuer', { printable: true })).toThrow('printable ASCII');
    expect(() => stringList(undefined, 'issuer', { required: true })).toThrow('option "issuer" is required');
    expect(stringOrStrings('a', 'x')).toBe('a');
    expect(() => stringOrStrings([''], 'x')).toThrow(TypeError);
    expect(oneOf('any', 'match', ['all', 'any'])).toBe('any');
    expect(() => oneOf('some', 'match', ['all', 'any'])).toThrow('option "match" must be one of "all", "any"');
    expect(() => booleanOption('yes', 'acceptV1')).toThrow('option "acceptV1" must be a boolean');
  });

  it('applies one realm rule everywhere', () => {
    expect(realmOption(undefined)).toBe(DEFAULT_REALM);
    expect(realmOption('receipts')).toBe('receipts');
    for (const bad of ['', 'a"b', 'a\\b', 'réceipts', 'x'.repeat(257), 7]) {
      expect(() => realmOption(bad)).toThrow('option "realm" must be 1 to 256 printable ASCII characters without " or \\');
    }
  });
});
