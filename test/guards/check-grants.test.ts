/**
 * The pure grant checks: exact, case-sensitive comparison, `all` / `any` matching, scope-or-role, and the
 * validation of required values at configuration time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { hasRoles, hasScopes, hasScopesOrRoles, requireRoles, requireScopes, requireScopesOrRoles, type AuthInfo } from '../../src/index.js';
import { hasGrants, toRequirement } from '../../src/guards/check-grants.js';

function identity(scopes: string[], roles: string[] = []): AuthInfo {
  return Object.freeze({
    token: 'unused',
    format: 'jws',
    header: {},
    payload: {},
    issuer: 'https://login.example.com/',
    audience: ['api://receipts'],
    scopes,
    roles,
    isAppOnly: true,
    expiresAt: new Date(0),
  });
}

describe('hasGrants', () => {
  it('needs every value under "all" (the default)', () => {
    expect(hasGrants(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(hasGrants(['a'], ['a', 'b'])).toBe(false);
    expect(hasGrants(['a', 'b'], ['b'], 'all')).toBe(true);
  });

  it('needs one value under "any"', () => {
    expect(hasGrants(['b'], ['a', 'b'], 'any')).toBe(true);
    expect(hasGrants(['c'], ['a', 'b'], 'any')).toBe(false);
  });

  it('grants nothing from an empty grant list', () => {
    expect(hasGrants([], ['a'])).toBe(false);
    expect(hasGrants([], ['a'], 'any')).toBe(false);
  });
});

describe('hasScopes', () => {
  it('accepts a single required scope as a string', () => {
    expect(hasScopes(identity(['receipts.read']), 'receipts.read')).toBe(true);
    expect(hasScopes(identity(['receipts.read']), 'receipts.write')).toBe(false);
  });

  it('compares exactly and case-sensitively', () => {
    const auth = identity(['Receipts.Read', 'receipts.read:all', 'receipts']);
    expect(hasScopes(auth, 'receipts.read')).toBe(false);
    expect(hasScopes(auth, 'receipts.rea')).toBe(false);
    expect(hasScopes(auth, 'Receipts.Read')).toBe(true);
  });

  it('treats no pattern or hierarchy as special', () => {
    expect(hasScopes(identity(['receipts.*']), 'receipts.read')).toBe(false);
    expect(hasScopes(identity(['receipts']), 'receipts.read')).toBe(false);
    expect(hasScopes(identity(['*']), 'receipts.read')).toBe(false);
  });

  it('honours match "all" and "any"', () => {
    const auth = identity(['receipts.read']);
    expect(hasScopes(auth, ['receipts.read', 'receipts.write'])).toBe(false);
    expect(hasScopes(auth, ['receipts.read', 'receipts.write'], { match: 'any' })).toBe(true);
    expect(hasScopes(auth, ['receipts.write', 'reports.read'], { match: 'any' })).toBe(false);
  });
});

describe('hasRoles', () => {
  it('checks roles, not scopes', () => {
    const auth = identity(['Receipts.Admin'], ['receipts.read']);
    expect(hasRoles(auth, 'Receipts.Admin')).toBe(false);
    expect(hasRoles(auth, 'receipts.read')).toBe(true);
  });

  it('honours match "all" and "any"', () => {
    const auth = identity([], ['Receipts.Admin']);
    expect(hasRoles(auth, ['Receipts.Admin', 'Receipts.Audit'])).toBe(false);
    expect(hasRoles(auth, ['Receipts.Admin', 'Receipts.Audit'], { match: 'any' })).toBe(true);
  });

  it('compares case-sensitively', () => {
    expect(hasRoles(identity([], ['admin']), 'Admin')).toBe(false);
  });
});

describe('hasScopesOrRoles', () => {
  it('passes with any listed scope', () => {
    expect(hasScopesOrRoles(identity(['receipts.read']), { scopes: ['receipts.write', 'receipts.read'], roles: ['Admin'] })).toBe(true);
  });

  it('passes with any listed role', () => {
    expect(hasScopesOrRoles(identity([], ['Admin']), { scopes: ['receipts.read'], roles: ['Audit', 'Admin'] })).toBe(true);
  });

  it('fails with neither', () => {
    expect(hasScopesOrRoles(identity(['reports.read'], ['Viewer']), { scopes: ['receipts.read'], roles: ['Admin'] })).toBe(false);
  });

  it('does not cross a role over to the scope list or back', () => {
    expect(hasScopesOrRoles(identity(['Admin']), { roles: ['Admin'] })).toBe(false);
    expect(hasScopesOrRoles(identity([], ['receipts.read']), { scopes: ['receipts.read'] })).toBe(false);
  });

  it('fails when nothing is listed', () => {
    expect(hasScopesOrRoles(identity(['a'], ['b']), {})).toBe(false);
  });
});

describe('toRequirement', () => {
  it('turns a string into a one-value list and removes duplicates', () => {
    expect(toRequirement('a', 'scopes', 'requireScopes()', 'scope')).toEqual(['a']);
    expect(toRequirement(['a', 'b', 'a'], 'scopes', 'requireScopes()', 'scope')).toEqual(['a', 'b']);
  });

  it('returns a frozen copy', () => {
    const input = ['a'];
    const required = toRequirement(input, 'scopes', 'requireScopes()', 'scope');
    input.push('b');
    expect(required).toEqual(['a']);
    expect(Object.isFrozen(required)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['an empty string', ''],
    ['a value with a space', 'receipts.read receipts.write'],
    ['a value with a quote', 'receipts"read'],
    ['a value with a backslash', 'receipts\\read'],
    ['a non-ASCII value', 'reçus.lire'],
    ['a number', 42],
    ['a list with a number', ['a', 1]],
    ['undefined', undefined],
  ])('throws a TypeError naming the guard for a scope that is %s', (_name, value) => {
    expect(() => toRequirement(value, 'scopes', 'requireScopes()', 'scope')).toThrow(TypeError);
    expect(() => toRequirement(value, 'scopes', 'requireScopes()', 'scope')).toThrow(/requireScopes\(\) argument "scopes"/);
  });

  it.each(['Receipts Admin', 'Gérant', 'Receipts.Admin', 'receipts"admin', 'a\\b', '管理者', ' padded '])(
    'accepts the role %j, which is no scope token',
    (role) => {
      expect(toRequirement(role, 'roles', 'requireRoles()', 'role')).toEqual([role]);
    },
  );

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['an empty string', ''],
    ['a list with an empty string', ['Admin', '']],
    ['a line feed', 'Receipts\nAdmin'],
    ['a NUL', 'Admin\u0000'],
    ['a DEL', 'Admin\u007f'],
    ['a C1 control', 'Admin\u0085'],
    ['a number', 7],
    ['undefined', undefined],
  ])('throws a TypeError naming the guard for a role that is %s', (_name, value) => {
    expect(() => toRequirement(value, 'roles', 'requireRoles()', 'role')).toThrow(TypeError);
    expect(() => toRequirement(value, 'roles', 'requireRoles()', 'role')).toThrow(/requireRoles\(\) argument "roles"/);
  });

  it('allows an empty list only when told to', () => {
    expect(toRequirement([], 'scopes', 'requireScopesOrRoles()', 'scope', true)).toEqual([]);
    expect(toRequirement([], 'roles', 'requireScopesOrRoles()', 'role', true)).toEqual([]);
  });
});

describe('guard arguments that look like lists', () => {
  const seen: Error[] = [];
  const record = (warning: Error): void => {
    seen.push(warning);
  };
  afterEach(() => {
    process.off('warning', record);
    seen.length = 0;
  });

  /** The process warnings emitted while `create` runs (they are delivered on the next tick). */
  async function warningsOf(create: () => void): Promise<{ name: string; code: unknown; message: string }[]> {
    process.on('warning', record);
    create();
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', record);
    // Only this suite's roles (all named `Ledger…`): earlier suites' warnings may arrive late.
    return seen
      .splice(0)
      .filter((warning) => warning.message.includes('Ledger'))
      .map((warning) => ({ name: warning.name, code: (warning as { code?: unknown }).code, message: warning.message }));
  }

  it('warns once per role holding a space, with code BEARER_GUARD_ROLE_WITH_SPACE, and suggests the array form', async () => {
    // Role names of their own: the warning is once per role for the whole process.
    const first = await warningsOf(() => {
      requireRoles('Ledger Reader');
      requireRoles(['Ledger Reader', 'Ledger.Admin']);
      requireScopesOrRoles({ roles: ['Ledger Reader'] });
    });
    expect(first).toEqual([
      {
        name: 'BearerGuardWarning',
        code: 'BEARER_GUARD_ROLE_WITH_SPACE',
        message:
          'requireRoles() requires the role "Ledger Reader", one role whose name holds a space. ' +
          "If you meant several roles, pass an array: ['Ledger', 'Reader'].",
      },
    ]);
    const second = await warningsOf(() => requireRoles(['Ledger Reader', 'Ledger  Auditor']));
    expect(second.map((warning) => warning.message)).toEqual([
      'requireRoles() requires the role "Ledger  Auditor", one role whose name holds a space. ' +
        "If you meant several roles, pass an array: ['Ledger', 'Auditor'].",
    ]);
  });

  it('does not warn for roles without whitespace', async () => {
    expect(await warningsOf(() => requireRoles(['Ledger.Reader', 'Ledger-Gérant', '管理者Ledger']))).toEqual([]);
  });

  it('names leading or trailing whitespace in a role instead of suggesting a list of one', async () => {
    expect((await warningsOf(() => requireRoles(' Ledger.Clerk '))).map((warning) => warning.message)).toEqual([
      'requireRoles() requires the role " Ledger.Clerk ", whose name begins or ends with whitespace.',
    ]);
  });

  it("refuses requireScopes('read write') with a message suggesting ['read', 'write']", () => {
    expect(() => requireScopes('read write')).toThrow(
      new TypeError(
        'bearer-guard: requireScopes() argument "scopes" must only hold scope tokens (printable ASCII without spaces, " or \\); ' +
          "for several scopes pass an array: ['read', 'write']",
      ),
    );
  });
});
