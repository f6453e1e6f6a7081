/**
 * The `access_token` query parameter (RFC 6750 §2.3), read with the WHATWG `application/x-www-form-urlencoded`
 * rules that `URLSearchParams` applies (`&` separates, the first `=` splits, `+` is a space, `%XX` escapes in
 * names count: `access%5Ftoken` is `access_token`), but without decoding the whole query: the query of every
 * request is scanned, even where query tokens are off, to refuse a second token, so the scan must stay cheap
 * whatever a client sends.
 *
 * Work is linear in the query length: one pass visits each character once to find where parameters start;
 * only a name that starts with `a` (or `%61`) is compared, escape by escape, with `access_token[`, for at
 * most its first 13 decoded characters (39 raw ones). Only the value of the first `access_token` parameter is
 * ever decoded.
 */
import { InvalidRequestError } from '../errors/auth-errors.js';

const NAME = 'access_token';
/** `[`, which makes a name `access_token[…]` (an array or object parameter, refused). */
const BRACKET = 0x5b;

/** What a parameter name decodes to, judged on its first 13 decoded characters. */
type NameKind = typeof OTHER | typeof TOKEN | typeof BRACKETED;
const OTHER = 0;
const TOKEN = 1;
const BRACKETED = 2;

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/**
 * The kind of the parameter name that starts at `start` and ends at the first `=` or `&`. Percent escapes
 * decode to bytes; a byte above 0x7f can only decode to a non-ASCII character, so comparing bytes with the
 * ASCII name is exact. An escape that is not two hex digits stays a literal `%`, as in WHATWG. Reads at most
 * 13 decoded characters (39 raw ones), never past the parameter.
 */
function nameKind(query: string, start: number): NameKind {
  const end = query.length;
  let matched = 0;
  for (let i = start; i < end; ) {
    let code = query.charCodeAt(i);
    if (code === 0x3d || code === 0x26) break; // `=` or `&`: the name ends
    i += 1;
    if (code === 0x2b) code = 0x20;
    else if (code === 0x25 && i + 1 < end) {
      const high = hexValue(query.charCodeAt(i));
      const low = high === -1 ? -1 : hexValue(query.charCodeAt(i + 1));
      if (low !== -1) {
        code = high * 16 + low;
        i += 2;
      }
    }
    if (matched === NAME.length) return code === BRACKET ? BRACKETED : OTHER;
    if (code !== NAME.charCodeAt(matched)) return OTHER;
    matched += 1;
  }
  return matched === NAME.length ? TOKEN : OTHER;
}

/** True when the parameter at `at` may decode to a name starting with `a`: `a` itself, or `%61`. */
function mayStartWithA(query: string, at: number): boolean {
  const code = query.charCodeAt(at);
  return code === 0x61 || (code === 0x25 && query.charCodeAt(at + 1) === 0x36 && query.charCodeAt(at + 2) === 0x31);
}

/**
 * The `access_token` query parameter of `url`, if any. Throws {@link InvalidRequestError} for a repeated
 * parameter (`token_multiple`), an empty one or one written `access_token[…]` (`token_parameter_invalid`).
 */
export function queryToken(url: string, realm: string | undefined): string | undefined {
  const mark = url.indexOf('?');
  if (mark === -1) return undefined;
  let at = mark + 1;
  // Names are percent-decoded too, so only a query with neither the plain name nor any escape can be
  // skipped without a scan.
  if (url.indexOf(NAME, at) === -1 && url.indexOf('%', at) === -1) return undefined;
  if (url.charCodeAt(at) === 0x3f) at += 1; // `URLSearchParams` drops one leading `?`
  let first = -1;
  let count = 0;
  // One pass: each parameter's first character decides whether its name is read at all.
  for (let atStart = true; at < url.length; at++) {
    if (!atStart) {
      atStart = url.charCodeAt(at) === 0x26;
      continue;
    }
    if (url.charCodeAt(at) === 0x26) continue; // an empty parameter
    atStart = false;
    if (!mayStartWithA(url, at)) continue;
    const kind = nameKind(url, at);
    if (kind === BRACKETED) throw invalid('token_parameter_invalid', realm);
    if (kind === TOKEN && ++count === 1) first = at;
  }
  if (count === 0) return undefined;
  if (count > 1) throw invalid('token_multiple', realm);
  // One parameter, decoded by the platform's own rules.
  const end = url.indexOf('&', first);
  const value = new URLSearchParams(url.slice(first, end === -1 ? url.length : end)).values().next().value ?? '';
  if (value === '') throw invalid('token_parameter_invalid', realm);
  return value;
}

function invalid(reason: 'token_multiple' | 'token_parameter_invalid', realm: string | undefined): InvalidRequestError {
  return new InvalidRequestError(reason, realm === undefined ? undefined : { realm });
}
