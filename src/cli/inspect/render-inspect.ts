/** The text of `inspect`: what the token looks like, its header and claims, times, identity and binding. */
import type { Style } from '../style.js';
import type { InspectReport, Likeness } from './inspect-token.js';

const FORMATS: Readonly<Record<InspectReport['format'], string>> = {
  jws: 'a signed JWT (JWS)',
  jwe: 'an encrypted JWT (JWE)',
  opaque: 'an opaque token',
};

/** `Microsoft Entra ID v2.0  (verify with --preset entra)`. */
export function likenessLine(likeness: Likeness): string {
  const name = likeness.variant === undefined ? likeness.family : `${likeness.family} ${likeness.variant}`;
  return likeness.preset === undefined ? name : `${name}  (verify with --preset ${likeness.preset})`;
}

/** The lines naming the family, its marks and its notes. */
export function likenessLines(style: Style, likeness: Likeness): string[] {
  const lines = [style.field('looks like', style.bold(likenessLine(likeness)))];
  if (likeness.marks.length > 0) lines.push(style.field('marks', likeness.marks.join(', ')));
  for (const note of likeness.notes) lines.push(style.field('note', style.warn(note)));
  return lines;
}

function shortJson(value: unknown): string {
  return JSON.stringify(value) ?? 'none';
}

/** The text report of `inspect`. */
export function renderInspect(report: InspectReport, style: Style): string[] {
  const signature = report.format === 'jws' ? '; its signature is neither shown nor checked' : '';
  const lines = [`${style.bold('bearer-guard inspect')}: ${FORMATS[report.format]} of ${report.length} characters${signature}`, ''];
  lines.push(...likenessLines(style, report.looksLike));
  if (report.header !== undefined) {
    lines.push('', style.field('header', Object.entries(report.header).map(([name, value]) => `${name} ${shortJson(value)}`).join(', ')));
  }
  if (report.claims !== undefined) lines.push(style.field('claims', JSON.stringify(report.claims, null, 2)));
  if (report.times !== undefined) {
    const times = report.times.map((time) => `${time.words} (${time.claim} ${time.value}, ${time.iso})`);
    lines.push(style.field('times', [...times, ...(report.problems ?? []).map((problem) => style.bad(problem))].join('\n') || 'none'));
  }
  const identity = report.identity;
  if (identity !== undefined) {
    const values = [
      `clientId ${shortJson(identity.clientId)}`,
      `tenantId ${shortJson(identity.tenantId)}`,
      `scopes ${shortJson(identity.scopes)}`,
      `roles ${shortJson(identity.roles)}`,
      `isAppOnly ${identity.isAppOnly}`,
      `subject ${shortJson(identity.subject)}`,
      style.dim(`(once verified; claim locations and app-only rule of the ${identity.profile} profile)`),
    ];
    lines.push(style.field('req.auth', values.join('\n')));
  }
  if (report.binding !== undefined) lines.push(style.field('binding', report.binding.detail));
  return lines;
}
