/** Caller rules: allowed client ids and tenants. */
import { describe, expect, it } from 'vitest';
import { checkCaller } from '../../../src/verify/caller/check-caller.js';
import { TokenRejection } from '../../../src/verify/rejection.js';

const reasonOf = (run: () => void): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason;
    throw error;
  }
};

describe('checkCaller', () => {
  const policy = { allowedClientIds: new Set(['payments']), allowedTenants: new Set(['t1']) };
  it('passes an allowed caller of an allowed tenant, and anyone without lists', () => {
    expect(reasonOf(() => checkCaller('payments', 't1', policy))).toBeUndefined();
    expect(reasonOf(() => checkCaller(undefined, undefined, { allowedClientIds: undefined, allowedTenants: undefined }))).toBeUndefined();
  });

  it('refuses another tenant first, then another caller, and a missing one', () => {
    expect(reasonOf(() => checkCaller('other', 't2', policy))).toBe('tenant_not_allowed');
    expect(reasonOf(() => checkCaller('other', 't1', policy))).toBe('client_not_allowed');
    expect(reasonOf(() => checkCaller(undefined, 't1', policy))).toBe('client_not_allowed');
    expect(reasonOf(() => checkCaller('payments', undefined, policy))).toBe('tenant_not_allowed');
  });
});
