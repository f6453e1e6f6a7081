/**
 * OpenIddict tokens: its private claims (`oi_prst`, `oi_au_id`, `oi_tkn_id`…). OpenIddict encrypts access
 * tokens by default; a signed one (or one the CLI cannot decrypt) is read with the OpenIddict family's rules.
 */
import type { JsonObject } from '../../json.js';
import type { TokenLikeness } from '../token-likeness.js';

/** An OpenIddict token's likeness, or `undefined`. */
export function recognizeOpenIddict(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const marks = Object.keys(payload).filter((name) => name.startsWith('oi_'));
  if (marks.length === 0) return undefined;
  return { family: 'OpenIddict', profile: 'openiddict', preset: 'openiddict', marks, notes: [] };
}
