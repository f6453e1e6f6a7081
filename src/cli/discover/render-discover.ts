/** The text of `discover`: each metadata location and its answer, the key set URL, and each key. */
import type { Style } from '../style.js';
import type { DiscoverReport, KeyLine } from './discover-issuer.js';

const VERDICTS: Readonly<Record<DiscoverReport['verdict'], string>> = {
  ok: 'metadata and usable keys found',
  unusable: 'answers bearer-guard would refuse',
  unavailable: 'nothing usable answered',
};

function keyText(key: KeyLine): string {
  const parts = [
    `kid ${JSON.stringify(key.kid)}`,
    [key.kty, key.size].filter((part) => part !== null).join(' '),
    key.alg === null ? 'no alg' : `alg ${key.alg}`,
    key.use === null ? 'no use' : `use ${key.use}`,
  ];
  if (key.issuer !== null) parts.push(`issuer ${JSON.stringify(key.issuer)}`);
  return parts.join(', ');
}

/** The text report of `discover`. */
export function renderDiscover(report: DiscoverReport, style: Style): string[] {
  const verdict = report.verdict === 'ok' ? style.good(VERDICTS.ok) : style.bad(VERDICTS[report.verdict]);
  const lines = [`${style.bold('bearer-guard discover')} ${report.issuer}: ${verdict}`, '', style.dim('metadata')];
  for (const attempt of report.metadata) {
    lines.push(`  ${style.mark(attempt.usable)} ${attempt.url}`);
    lines.push(`      ${attempt.usable ? attempt.answer : style.bad(attempt.answer)}`);
    if (attempt.issuer !== null) {
      const same = attempt.issuer === report.issuer;
      lines.push(`      issuer    ${JSON.stringify(attempt.issuer)} ${same ? style.good('equals the issuer') : style.bad('is not the issuer exactly')}`);
    }
    if (attempt.jwksUri !== null) lines.push(`      jwks_uri  ${attempt.jwksUri}`);
  }
  lines.push('', style.field('jwks_uri', report.jwksUri ?? 'none: no usable metadata', 10));
  if (report.jwks !== null) {
    lines.push(style.field('keys', report.jwks.answer, 10));
    for (const key of report.jwks.keys) {
      const why = key.unusable === null ? style.dim(`verifies ${key.algorithms.join(' ')}`) : style.bad(`not used: ${key.unusable}`);
      lines.push(`  ${style.mark(key.unusable === null)} ${keyText(key)}`, `      ${why}`);
    }
  }
  return lines;
}
