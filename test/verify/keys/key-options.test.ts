import { describe, expect, it } from 'vitest';
import { createVerifier, DEFAULTS, type KeyOptions } from '../../../src/index.js';
import { resolveKeyOptions } from '../../../src/verify/keys/key-options.js';

describe('key options', () => {
  it('documents its defaults in milliseconds and bytes', () => {
    expect(DEFAULTS.keys).toEqual({
      maxAgeMs: 600_000,
      cooldownMs: 30_000,
      staleIfErrorMs: 3_600_000,
      timeoutMs: 5_000,
      maxResponseBytes: 524_288,
      retryMinMs: 1_000,
      retryMaxMs: 30_000,
    });
    expect(Object.isFrozen(DEFAULTS.keys)).toBe(true);
  });

  it('fills in every default, uses the global fetch and allows no redirect host by default', () => {
    const resolved = resolveKeyOptions(undefined);
    expect(resolved).toMatchObject(DEFAULTS.keys);
    expect(resolved.fetch.fetch).toBe(globalThis.fetch);
    expect([...resolved.fetch.allowedRedirectHosts]).toEqual([]);
    expect(resolved.fetch.timeoutMs).toBe(5000);
    expect(resolved.fetch.maxResponseBytes).toBe(524_288);
  });

  it('lower-cases and de-duplicates allowed redirect hosts', () => {
    const hosts = ['CDN.example.com', 'cdn.example.com', 'keys.example:8443'];
    const resolved = resolveKeyOptions({ allowedRedirectHosts: hosts });
    expect([...resolved.fetch.allowedRedirectHosts]).toEqual(['cdn.example.com', 'keys.example:8443']);
  });

  it.each<[string, unknown, string]>([
    ['an unknown option', { maxAge: 1000 }, 'bearer-guard: option "keys.maxAge" is not a known option'],
    ['a negative duration', { cooldownMs: -1 }, 'bearer-guard: option "keys.cooldownMs" must be a finite number >= 0'],
    [
      'an infinite duration',
      { staleIfErrorMs: Infinity },
      'bearer-guard: option "keys.staleIfErrorMs" must be a finite number >= 0',
    ],
    ['a duration as a string', { maxAgeMs: '600000' }, 'bearer-guard: option "keys.maxAgeMs" must be a finite number >= 0'],
    ['a zero timeout', { timeoutMs: 0 }, 'bearer-guard: option "keys.timeoutMs" must be greater than 0'],
    ['a tiny size cap', { maxResponseBytes: 100 }, 'bearer-guard: option "keys.maxResponseBytes" must be at least 1024'],
    [
      'a retry maximum below the minimum',
      { retryMinMs: 5000, retryMaxMs: 1000 },
      'bearer-guard: option "keys.retryMaxMs" must not be smaller than keys.retryMinMs',
    ],
    [
      'redirect hosts that are not strings',
      { allowedRedirectHosts: 'cdn.example.com' },
      'bearer-guard: option "keys.allowedRedirectHosts" must be an array of host names',
    ],
    [
      'an empty redirect host',
      { allowedRedirectHosts: [''] },
      'bearer-guard: option "keys.allowedRedirectHosts" must be an array of host names',
    ],
    ['a fetch that is not a function', { fetch: 'node-fetch' }, 'bearer-guard: option "keys.fetch" must be a function'],
    ['keys that are not an object', 'fast', 'bearer-guard: option "keys" must be an object'],
  ])('refuses %s with a TypeError naming the option', (_name, keys, message) => {
    expect(() => resolveKeyOptions(keys as KeyOptions)).toThrow(new TypeError(message));
  });

  it('refuses bad key options when the verifier is created, before anything is fetched', () => {
    expect(() =>
      createVerifier({ issuer: 'https://id.example.com', audience: 'api', keys: { timeoutMs: -5 } }),
    ).toThrow(TypeError);
  });

  it('refuses a plain http JWKS URI on a public host when the verifier is created', () => {
    expect(() =>
      createVerifier({ issuer: 'https://id.example.com', audience: 'api', jwksUri: 'http://id.example.com/keys' }),
    ).toThrow('bearer-guard: option "jwksUri" must use https (plain http is allowed on loopback hosts only)');
  });
});
