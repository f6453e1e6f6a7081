/** The format stage: the kind of token, by its shape alone. */
import { describe, expect, it } from 'vitest';
import { identifyFormat } from '../../../src/verify/format/identify-format.js';

describe('identifyFormat', () => {
  it.each([
    ['a.b.c', 'jws'],
    ['eyJhbGciOiJSUzI1NiJ9.e30.sig', 'jws'],
    ['a..c', 'jws'],
    ['a.b.c.d.e', 'jwe'],
    ['a....', 'jwe'],
    ['Vu3bVLxPEtW8mRrYzX8hTGhRwXJr5eDbmaFqWtYbfNzHdW3VpQk2v6nV7jZ4sqDn1qKsN0kFb8aQz9yXcZt3wS', 'opaque'],
    ['a.b', 'opaque'],
    ['a.b.c.d', 'opaque'],
    ['a.b.c.d.e.f', 'opaque'],
    ['', 'opaque'],
  ])('calls %j %s', (token, format) => {
    expect(identifyFormat(token)).toBe(format);
  });
});
