/**
 * `htu` normalisation (RFC 9449 §4.3 step 9 with RFC 3986 §6.2.2 and §6.2.3), and the request URI it is
 * compared with: from `publicOrigin`, or from the connection's scheme and a well-formed Host header.
 */
import { describe, expect, it } from 'vitest';
import { normalizeHttpUri, normalizeOrigin, requestUri } from '../../../src/verify/binding/request-uri.js';

describe('normalizeHttpUri', () => {
  it.each([
    ['https://api.example.com/receipts', 'https://api.example.com/receipts'],
    ['HTTPS://API.Example.COM/receipts', 'https://api.example.com/receipts'],
    ['https://api.example.com:443/receipts', 'https://api.example.com/receipts'],
    ['http://api.example.com:80/receipts', 'http://api.example.com/receipts'],
    ['https://api.example.com:8443/receipts', 'https://api.example.com:8443/receipts'],
    ['https://api.example.com/a/./b/../receipts', 'https://api.example.com/a/receipts'],
    ['https://api.example.com/a/%2e%2E/receipts', 'https://api.example.com/receipts'],
    ['https://api.example.com/%72eceipts', 'https://api.example.com/receipts'],
    ['https://api.example.com/a%2fb', 'https://api.example.com/a%2Fb'],
    ['https://api.example.com/receipts?id=7#top', 'https://api.example.com/receipts'],
    ['https://api.example.com', 'https://api.example.com/'],
    ['https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ['https://[0:0:0:0:0:0:0:1]:8443/r', 'https://[::1]:8443/r'],
  ])('normalises %s to %s', (value, expected) => {
    expect(normalizeHttpUri(value)).toBe(expected);
  });

  it.each(['/receipts', 'ftp://api.example.com/r', 'https://user:pass@api.example.com/r', 'not a url', 'javascript:alert(1)'])(
    'refuses %s',
    (value) => {
      expect(normalizeHttpUri(value)).toBeUndefined();
    },
  );
});

describe('normalizeOrigin', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://API.example.com:443/', 'https://api.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
  ])('normalises %s to %s', (value, expected) => {
    expect(normalizeOrigin(value)).toBe(expected);
  });

  it.each(['https://api.example.com/v1', 'https://api.example.com/?x', 'https://api.example.com#f', 'wss://api.example.com', 'api.example.com'])(
    'refuses %s, which is not an origin',
    (value) => {
      expect(normalizeOrigin(value)).toBeUndefined();
    },
  );
});

describe('requestUri', () => {
  it('builds the URI from the public origin and the path, without reading Host', () => {
    const request = { url: '/receipts/7?x=1', headers: { host: 'evil.example' } };
    expect(requestUri(request, 'https://api.example.com')).toBe('https://api.example.com/receipts/7');
  });

  it('builds the URI from the connection scheme and the Host header when no public origin is set', () => {
    expect(requestUri({ url: '/r', headers: { host: 'API.example.com:443' }, secure: true }, undefined)).toBe('https://api.example.com/r');
    expect(requestUri({ url: '/r', headers: { host: '127.0.0.1:3000' } }, undefined)).toBe('http://127.0.0.1:3000/r');
    expect(requestUri({ url: '/r', headers: { host: '[::1]:3000' } }, undefined)).toBe('http://[::1]:3000/r');
  });

  it('keeps a target that starts with two slashes a path of the API, never another host', () => {
    expect(requestUri({ url: '//evil.example/r', headers: { host: 'api.example.com' } }, undefined)).toBe('http://api.example.com//evil.example/r');
    expect(requestUri({ url: '//evil.example/r' }, 'https://api.example.com')).toBe('https://api.example.com//evil.example/r');
  });

  it('takes the path, and only the path, of an absolute-form target when a public origin is set', () => {
    expect(requestUri({ url: 'http://evil.example/r?x' }, 'https://api.example.com')).toBe('https://api.example.com/r');
    expect(requestUri({ url: 'http://api.example.com/r' }, undefined)).toBe('http://api.example.com/r');
  });

  it.each([
    ['no Host', { url: '/r', headers: {} }],
    ['a Host with a path', { url: '/r', headers: { host: 'evil.example/r' } }],
    ['a Host with user info', { url: '/r', headers: { host: 'user@api.example.com' } }],
    ['a Host with a bad port', { url: '/r', headers: { host: 'api.example.com:http' } }],
    ['two Host values', { url: '/r', headers: { host: ['a.example', 'b.example'] } }],
    ['an asterisk target', { url: '*', headers: { host: 'api.example.com' } }],
    ['no target', { headers: { host: 'api.example.com' } }],
  ])('has no URI for a request with %s', (_name, request) => {
    expect(requestUri(request as never, undefined)).toBeUndefined();
  });
});
