/**
 * Which URLs keys and metadata may be fetched from: HTTPS, or plain HTTP on a loopback host only
 * (127.0.0.0/8, ::1, localhost), never with credentials or a fragment. Subdomains of `localhost` do not
 * count: Node resolves them through DNS like any other name, so they could lead off the machine in cleartext.
 */
import { isIPv4 } from 'node:net';

/** True for `localhost`, 127.0.0.0/8 and `::1` only (as `URL.hostname` spells them). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost') return true;
  if (host === '[::1]' || host === '::1') return true;
  return isIPv4(host) && host.startsWith('127.');
}

/**
 * Parses `value` and returns the URL when it may be fetched, or a sentence saying why not.
 * Plain `http:` is allowed for loopback hosts so local issuers and tests work.
 */
export function toFetchableUrl(value: string): URL | string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return 'must use https (plain http is allowed on loopback hosts only)';
  }
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.hash !== '') return 'must not contain a fragment';
  return url;
}

/** `url` without its credentials (`https://user:secret@host/` → `https://host/`); other text as it is. */
export function redactUrl(url: string): string {
  if (!url.includes('@') || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return url;
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi;

/** `text` with the credentials of every URL in it removed. */
export function redactText(text: string): string {
  return text.includes('@') ? text.replace(USERINFO, '$1') : text;
}
