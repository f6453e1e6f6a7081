/**
 * Console lines the test run drops: only the notice oidc-provider prints when it is loaded on a Node release
 * older than the LTS line it targets (`oidc-provider WARNING: Unsupported runtime. Use Node.js v22.x LTS, or
 * a later LTS release.`). bearer-guard supports Node ≥ 20.19, and what the suite uses of oidc-provider (a
 * development dependency) works there. Every other line, other oidc-provider warnings included, is kept.
 */

// oidc-provider colours the line when stderr is a terminal.
const ANSI = /\u001b\[[0-9;]*m/g;
const RUNTIME_NOTICE = /^oidc-provider WARNING: Unsupported runtime\. Use Node\.js v\d+\.x LTS, or a later LTS release\.$/;

/** True for oidc-provider's unsupported-runtime notice, and for nothing else. */
export function isOidcProviderRuntimeNotice(log: string): boolean {
  return RUNTIME_NOTICE.test(log.replace(ANSI, '').trim());
}

/** Vitest's `onConsoleLog`: `false` drops the runtime notice on stderr, `undefined` keeps everything else. */
export function filterConsoleLog(log: string, type: 'stdout' | 'stderr'): false | undefined {
  return type === 'stderr' && isOidcProviderRuntimeNotice(log) ? false : undefined;
}
