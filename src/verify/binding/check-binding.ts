/**
 * The binding stage: a token bound to a key (a `cnf` claim, RFC 7800) must be presented with proof of that
 * key. No proof-of-possession method is configured, so a bound token is refused: accepting it as a plain
 * Bearer token would strip the binding that protects it (DPoP, RFC 9449 §7.2; mutual TLS, RFC 8705 §3).
 */
import type { JsonObject } from '../../json.js';
import type { VerifyRequest } from '../../request/verify-request.js';
import { reject } from '../rejection.js';

/** Checks the token's binding against the request that carried it. */
export function checkBinding(payload: JsonObject, _request: VerifyRequest | undefined): void {
  if (Object.hasOwn(payload, 'cnf')) {
    reject('token_sender_constrained', () => 'the token has a cnf claim, and no proof-of-possession method is configured');
  }
}
