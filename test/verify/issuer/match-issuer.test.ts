/** Issuer matching: exact strings, `{tenantid}` templates checked against `tid`, named tenants, excluded tenants. */
import { describe, expect, it } from 'vitest';
import { IssuerMatcher } from '../../../src/verify/issuer/match-issuer.js';

const TID = '8f1c2d3e-4a5b-4c6d-9e7f-0a1b2c3d4e5f';
const matcher = new IssuerMatcher(
  [
    { configured: 'https://a.example.com/', target: 'a' },
    { configured: `https://login.microsoftonline.com/${TID}/v2.0`, target: 'single', tenant: TID },
    { configured: 'https://login.microsoftonline.com/{tenantid}/v2.0', target: 'multi' },
  ],
  ['9188040d-6c67-4c5b-b112-36a304b66dad'],
);

describe('IssuerMatcher', () => {
  it('matches exact issuers case-sensitively, with their trailing slash', () => {
    expect(matcher.match('https://a.example.com/', undefined)).toMatchObject({ matched: true, rule: { target: 'a' } });
    expect(matcher.match('https://a.example.com', undefined)).toEqual({ matched: false, reason: 'issuer_mismatch' });
    expect(matcher.match('https://A.example.com/', undefined)).toEqual({ matched: false, reason: 'issuer_mismatch' });
    expect(matcher.match(42, undefined)).toEqual({ matched: false, reason: 'issuer_mismatch' });
  });

  it('requires the tid a single-tenant issuer names', () => {
    const iss = `https://login.microsoftonline.com/${TID}/v2.0`;
    expect(matcher.match(iss, TID)).toMatchObject({ matched: true, rule: { target: 'single' } });
    expect(matcher.match(iss, 'other')).toEqual({ matched: false, reason: 'tenant_mismatch' });
  });

  it('matches a template only when the tenant segment equals tid, and never an excluded tenant', () => {
    const other = '0b0c0d0e-0000-4000-8000-000000000001';
    expect(matcher.match(`https://login.microsoftonline.com/${other}/v2.0`, other)).toMatchObject({ matched: true, issuer: `https://login.microsoftonline.com/${other}/v2.0` });
    expect(matcher.match(`https://login.microsoftonline.com/${other}/v2.0`, TID)).toEqual({ matched: false, reason: 'tenant_mismatch' });
    expect(matcher.match('https://login.microsoftonline.com/a/b/v2.0', 'a/b')).toEqual({ matched: false, reason: 'issuer_mismatch' });
    const personal = '9188040d-6c67-4c5b-b112-36a304b66dad';
    expect(matcher.match(`https://login.microsoftonline.com/${personal}/v2.0`, personal)).toEqual({ matched: false, reason: 'tenant_not_allowed' });
  });
});
