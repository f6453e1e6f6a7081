/** The report of `verify`: as JSON (`--json`, the schema in docs/cli-verify-report.schema.json) or as text. */
import { STATUS_CODES } from 'node:http';
import type { AuthError } from '../../errors/auth-errors.js';
import type { AuthInfo } from '../../verify/identity/auth-info.js';
import type { Likeness } from '../inspect/inspect-token.js';
import { likenessLines } from '../inspect/render-inspect.js';
import type { Style } from '../style.js';
import type { CheckLine, Verdict } from './run-checks.js';

/** The verified identity as `req.auth` holds it, without the token, its header and its claims. */
export interface AuthSummary {
  readonly issuer: string;
  readonly subject: string | null;
  readonly audience: readonly string[];
  readonly clientId: string | null;
  readonly tenantId: string | null;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly isAppOnly: boolean;
  readonly expiresAt: string;
}

/** What `verify --json` prints. */
export interface VerifyReport {
  /** True when the route's handler would run. */
  readonly ok: boolean;
  /** The status the API answers; 200 stands for "the route's handler runs". */
  readonly status: 200 | 400 | 401 | 403 | 503;
  /** The stable reason of a refusal, else `null`. */
  readonly reason: string | null;
  /** Every check made, in order, passed or refused. */
  readonly checks: readonly CheckLine[];
  /** The `WWW-Authenticate` header the API sends, else `null`. */
  readonly wwwAuthenticate: string | null;
  /** The `Retry-After` seconds of a 503, else `null`. */
  readonly retryAfter: number | null;
  /** What the token looks like (`null` when it does not decode). */
  readonly looksLike: Likeness | null;
  /** The identity `req.auth` holds once the token is verified, else `null`. */
  readonly auth: AuthSummary | null;
  /** What to do about a refusal. */
  readonly hints: readonly string[];
}

function summarize(auth: AuthInfo): AuthSummary {
  return {
    issuer: auth.issuer,
    subject: auth.subject ?? null,
    audience: [...auth.audience],
    clientId: auth.clientId ?? null,
    tenantId: auth.tenantId ?? null,
    scopes: [...auth.scopes],
    roles: [...auth.roles],
    isAppOnly: auth.isAppOnly,
    expiresAt: auth.expiresAt.toISOString(),
  };
}

/** The report of a verdict. */
export function toVerifyReport(verdict: Verdict, looksLike: Likeness | undefined, hints: readonly string[]): VerifyReport {
  const error: AuthError | undefined = verdict.error;
  return {
    ok: error === undefined,
    status: error?.status ?? 200,
    reason: error?.reason ?? null,
    checks: verdict.checks,
    wwwAuthenticate: error?.headers['WWW-Authenticate'] ?? null,
    retryAfter: error === undefined || error.headers['Retry-After'] === undefined ? null : Number(error.headers['Retry-After']),
    looksLike: looksLike ?? null,
    auth: verdict.auth === undefined ? null : summarize(verdict.auth),
    hints: error === undefined ? [] : hints,
  };
}

function headline(report: VerifyReport, style: Style): string {
  const title = style.bold('bearer-guard verify');
  if (report.ok) return `${title}: ${style.good('accepted')}: the route's handler runs with req.auth below`;
  const verdict = report.status === 503 ? 'not decided, keys unavailable' : 'refused';
  return `${title}: ${style.bad(verdict)}, ${report.status} ${report.reason ?? ''}`;
}

/** The text report of `verify`. */
export function renderVerify(report: VerifyReport, style: Style): string[] {
  const lines = [headline(report, style), ''];
  if (report.looksLike !== null) lines.push(...likenessLines(style, report.looksLike), '');
  for (const check of report.checks) {
    const text = check.passed ? (check.detail ?? '') : `${check.reason ?? ''}${check.detail === null ? '' : `: ${check.detail}`}`;
    lines.push(`  ${style.mark(check.passed)} ${check.stage.padEnd(12)}${check.passed ? text : style.bad(text)}`);
  }
  const last = report.checks.at(-1);
  if (last !== undefined && !last.passed && last.stage !== 'guard') lines.push(style.dim('    (no later check is made)'));
  lines.push('');
  lines.push(style.field('status', report.ok ? 'passes to the route\'s handler' : `${report.status} ${STATUS_CODES[report.status] ?? ''}`));
  if (report.wwwAuthenticate !== null) lines.push(style.field('WWW-Authenticate', report.wwwAuthenticate));
  if (report.retryAfter !== null) lines.push(style.field('Retry-After', String(report.retryAfter)));
  const auth = report.auth;
  if (auth !== null) {
    const who = `client ${JSON.stringify(auth.clientId)}, tenant ${JSON.stringify(auth.tenantId)}, ${auth.isAppOnly ? 'app-only' : 'on behalf of a user'}`;
    lines.push(style.field('req.auth', `${who}\nscopes ${JSON.stringify(auth.scopes)}, roles ${JSON.stringify(auth.roles)}`));
  }
  for (const hint of report.hints) lines.push(style.field('hint', style.warn(hint)));
  return lines;
}
