/**
 * Short human descriptions for the transcript: identities, tokens, challenges, and the checks on them.
 */
import { decodeProtectedHeader } from 'jose';
import type { AuthInfo } from '../src/index.js';
import type { ApiAnswer } from './service-client.js';

/** What `req.auth` held, in one line. */
export function describeAuth(auth: AuthInfo | undefined): string {
  if (auth === undefined) return '(not set)';
  const parts = [`client ${auth.clientId ?? '(none)'}`];
  if (auth.scopes.length > 0) parts.push(`scopes ${auth.scopes.join(' ')}`);
  if (auth.roles.length > 0) parts.push(`roles ${auth.roles.join(' ')}`);
  if (auth.isAppOnly) parts.push('app-only');
  return parts.join(', ');
}

/** The `kid` of a token's header. */
export function kidOf(token: string): string {
  const { kid } = decodeProtectedHeader(token);
  return typeof kid === 'string' ? kid : '(no kid)';
}

/** A challenge cut after commas into lines of at most `width` characters. */
export function wrapChallenge(value: string | null, width = 72): string {
  if (value === null) return '(none)';
  const lines: string[] = [];
  let current = '';
  for (const part of value.split(/, (?=[a-z_]+=)/)) {
    const next = current === '' ? part : `${current}, ${part}`;
    if (current !== '' && next.length > width) {
      lines.push(`${current},`);
      current = part;
    } else current = next;
  }
  lines.push(current);
  return lines.join('\n');
}

/** The attributes of a `Bearer` challenge (`realm`, `error`, `scope`…). */
export function challengeAttributes(value: string | null): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (value === null) return attributes;
  for (const [, name, content] of value.matchAll(/([a-z_]+)="([^"]*)"/g)) attributes[name!] = content!;
  return attributes;
}

/** What a step expects of the answer. */
export interface Expectation {
  status: number;
  /** `null`: no `WWW-Authenticate`; otherwise the attributes it must have (and no `error` unless listed). */
  challenge: null | { realm: string; error?: string; scope?: string };
  /** The client id `req.auth` must hold, `null` when no identity may be attached. */
  caller?: string | null;
}

/** Differences between `answer` (and what the API saw) and `expected`, as sentences. */
export function compare(answer: ApiAnswer, seen: AuthInfo | undefined, expected: Expectation): string[] {
  const problems: string[] = [];
  if (answer.status !== expected.status) problems.push(`expected status ${expected.status}, got ${answer.status}`);
  if (expected.challenge === null) {
    if (answer.wwwAuthenticate !== null) problems.push('expected no WWW-Authenticate');
  } else if (answer.wwwAuthenticate === null || !answer.wwwAuthenticate.startsWith('Bearer ')) {
    problems.push(`expected a Bearer challenge${expected.challenge.error !== undefined ? ` with error="${expected.challenge.error}"` : ''}`);
  } else {
    const actual = challengeAttributes(answer.wwwAuthenticate);
    for (const name of ['realm', 'error', 'scope'] as const) {
      if (actual[name] !== expected.challenge[name]) {
        problems.push(`expected ${name}=${JSON.stringify(expected.challenge[name] ?? null)}, got ${JSON.stringify(actual[name] ?? null)}`);
      }
    }
  }
  if (expected.caller !== undefined && (seen?.clientId ?? null) !== expected.caller) {
    problems.push(`expected req.auth of ${expected.caller ?? 'nobody'}, got ${seen?.clientId ?? 'nobody'}`);
  }
  return problems;
}
