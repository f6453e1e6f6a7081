/** The binding stage: without a proof-of-possession method configured, a token bound to a key is refused. */
import { describe, expect, it } from 'vitest';
import { checkBinding } from '../../../src/verify/binding/check-binding.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

describe('checkBinding', () => {
  it('passes an unbound token and refuses one with cnf', () => {
    expect(() => checkBinding({ sub: 'a' }, undefined)).not.toThrow();
    expect(() => checkBinding({ cnf: { jkt: 'x' } }, { method: 'GET' })).toThrow(TokenRejection);
  });
});
