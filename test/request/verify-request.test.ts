/** The request context: what events may report of a request target is its path, never its query. */
import { describe, expect, it } from 'vitest';
import { pathOf } from '../../src/request/verify-request.js';

describe('pathOf', () => {
  it.each([
    ['/receipts', '/receipts'],
    ['/receipts?access_token=abc', '/receipts'],
    ['/receipts#frag?x', '/receipts'],
    ['/r?x=1#y', '/r'],
    ['', ''],
  ])('gives %j the path %j', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });

  it('gives nothing for no URL', () => {
    expect(pathOf(undefined)).toBeUndefined();
  });
});
