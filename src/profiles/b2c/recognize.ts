/**
 * Azure AD B2C tokens: an issuer on `<tenant>.b2clogin.com`, or the user-flow claim (`tfp`, or `acr`
 * naming a `B2C_1…` policy), read with the B2C family's claim locations (scopes in `scp`, the caller in `azp`).
 */
import { ownMember, type JsonObject } from '../../json.js';
import { isHostIn, issuerUrl, mark, type TokenLikeness } from '../token-likeness.js';

/** A B2C token's likeness, or `undefined`. */
export function recognizeB2c(_header: JsonObject, payload: JsonObject): TokenLikeness | undefined {
  const host = issuerUrl(payload)?.hostname;
  const tfp = ownMember(payload, 'tfp');
  const acr = ownMember(payload, 'acr');
  const policy = typeof tfp === 'string' ? tfp : typeof acr === 'string' && /^b2c_1a?_/i.test(acr) ? acr : undefined;
  if (!isHostIn(host, 'b2clogin.com') && policy === undefined) return undefined;
  const marks = host === undefined ? [] : [`iss host ${host}`];
  if (policy !== undefined) marks.push(mark(typeof tfp === 'string' ? 'tfp' : 'acr', policy));
  return {
    family: 'Azure AD B2C',
    ...(policy === undefined ? {} : { variant: `user flow ${policy}` }),
    profile: 'b2c',
    preset: 'b2c',
    marks,
    notes: Object.hasOwn(payload, 'scp') ? ['scopes are in scp'] : [],
  };
}
