/**
 * The query scan behind `?access_token=` (run on every request, query tokens enabled or not, to refuse a
 * second token): the answers of a full `URLSearchParams` parse, for any query, at a cost linear in the
 * query and without decoding parameters that cannot be `access_token`.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { extractToken, InvalidRequestError } from '../../src/index.js';

/** The answer of `scan` for `url`: the token, `none`, or the reason of the 400. */
function answer(scan: (url: string) => string | undefined, url: string): string {
  try {
    return scan(url) ?? 'none';
  } catch (error) {
    if (error instanceof InvalidRequestError) return `400 ${error.reason}`;
    throw error;
  }
}

/** The reference: every parameter decoded by `URLSearchParams`, as the scan used to do. */
function reference(url: string): string | undefined {
  const mark = url.indexOf('?');
  if (mark === -1) return undefined;
  const values: string[] = [];
  for (const [name, value] of new URLSearchParams(url.slice(mark + 1))) {
    if (name === 'access_token') values.push(value);
    else if (name.startsWith('access_token[')) throw new InvalidRequestError('token_parameter_invalid');
  }
  if (values.length === 0) return undefined;
  if (values.length > 1) throw new InvalidRequestError('token_multiple');
  if (values[0] === '') throw new InvalidRequestError('token_parameter_invalid');
  return values[0];
}

/** The query token of a request to `url`, through `extractToken` (query tokens enabled). */
const scan = (url: string): string | undefined => extractToken({ url, headers: {} }, { query: true })?.token;
/** The same request where query tokens are off (the default): the query is still scanned for a second token. */
const headerOnly = (url: string): string | undefined => extractToken({ url, headers: {} })?.token;

/** Pieces that make queries close to the edges of the grammar. */
const PIECES = [
  'access_token', 'access%5Ftoken', 'access%5ftoken', '%61ccess_token', 'access_toke', 'access_tokens', 'ACCESS_TOKEN',
  'access+token', 'access%2Btoken', 'access_token%5B', 'access_token%5b%5D', '[', ']', '=', '==', '&', '&&', '+', '%',
  '%x', '%4', '%6', '%61', '%zz', '%25', '%3D', '%26', '?', '#', 'a', 'abc.def', '%C3%A9', 'é', '\u0000', '%E2%82', '%80', 'x=1',
];

describe('extractToken: the query scan', () => {
  it('answers every query as URLSearchParams would', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }), (pieces) => {
        const url = `/r?${pieces.join('')}`;
        expect(answer(scan, url)).toBe(answer(reference, url));
      }),
      { numRuns: 3000, seed: 1207 },
    );
  });

  it.each([
    ['a plain token', '/r?access_token=abc', 'abc'],
    ['an escaped name', '/r?access%5Ftoken=abc', 'abc'],
    ['an escaped value', '/r?access_token=a%2Bb%3D%3D+c', 'a+b== c'],
    ['a second leading ?', '/r??access_token=abc', 'abc'],
    ['no value', '/r?access_token', '400 token_parameter_invalid'],
    ['an empty value', '/r?access_token=', '400 token_parameter_invalid'],
    ['a repeated name', '/r?access_token=a&access%5Ftoken=b', '400 token_multiple'],
    ['a bracketed name after a repetition', '/r?access_token=a&access_token=b&access_token[x]=c', '400 token_parameter_invalid'],
    ['an escaped bracket', '/r?access_token%5B%5D=a', '400 token_parameter_invalid'],
    ['a longer name', '/r?access_tokens=a', 'none'],
    ['a name spelled with +', '/r?access+token=a', 'none'],
    ['an invalid escape in the name', '/r?access%_token=a', 'none'],
    ['no query', '/r', 'none'],
  ])('answers %s like URLSearchParams: %s', (_name, url, expected) => {
    expect(answer(scan, url)).toBe(expected);
    expect(answer(reference, url)).toBe(expected);
  });
});

describe('extractToken: work on hostile queries, query tokens off', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  /** Counts the characters handed to `URLSearchParams` while `run` runs. */
  function decodedCharacters(run: () => void): number {
    let total = 0;
    class CountingParams extends URLSearchParams {
      constructor(init?: string) {
        total += init?.length ?? 0;
        super(init);
      }
    }
    vi.stubGlobal('URLSearchParams', CountingParams);
    run();
    return total;
  }

  const hostile = `/r?${'%x&x&'.repeat(3277)}`.slice(0, 16 * 1024);

  it('decodes nothing of a 16 KB query of escapes and empty names that holds no token', () => {
    expect(hostile.length).toBe(16 * 1024);
    expect(decodedCharacters(() => expect(headerOnly(hostile)).toBeUndefined())).toBe(0);
  });

  it('decodes only the access_token parameter of a 16 KB query', () => {
    const url = `${hostile}&access_token=abc&${'%41=1&'.repeat(500)}`;
    expect(decodedCharacters(() => expect(headerOnly(url)).toBeUndefined())).toBe('access_token=abc'.length);
    expect(decodedCharacters(() => expect(scan(url)).toBe('abc'))).toBe('access_token=abc'.length);
  });

  it('decodes nothing when the token is repeated or bracketed among thousands of parameters', () => {
    expect(decodedCharacters(() => expect(answer(headerOnly, `${hostile}&access_token=a&access_token=b`)).toBe('400 token_multiple'))).toBe(0);
    expect(decodedCharacters(() => expect(answer(headerOnly, `${hostile}&access_token[]=a`)).toBe('400 token_parameter_invalid'))).toBe(0);
  });
});
