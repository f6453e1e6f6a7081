/**
 * The test issuer's introspection endpoint (RFC 7662 §2): `POST` of a form holding `token` (and optionally
 * `token_type_hint`), from a registered client authenticated as at the token endpoint (`invalid_client`,
 * 401, otherwise: RFC 7662 §2.1 forbids answering anonymous callers). The answer is `{"active": false}` for
 * a token the issuer does not know, that expired or that was revoked; otherwise `active: true` with the
 * token's members: those granted to an opaque token, or the claims of a JWT signed by one of its keys.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { authenticateClient, type ClientAuthContext } from './client-auth.js';
import { sendJson, sendTokenError, TokenEndpointError } from './oauth-error.js';
import type { OpaqueTokens } from './opaque-tokens.js';
import { TEST_SIGNING_ALGORITHMS } from './signing-keys.js';
import { readParams } from './token-endpoint.js';

/** What the introspection endpoint needs from the issuer. */
export interface IntrospectionContext extends ClientAuthContext {
  readonly opaque: OpaqueTokens;
  jwks(): { keys: JWK[] };
}

/** The active answer for `token`, or `undefined` when it is inactive. */
async function activeAnswer(context: IntrospectionContext, token: string): Promise<Record<string, unknown> | undefined> {
  if (context.opaque.isRevoked(token)) return undefined;
  const granted = context.opaque.granted(token);
  const now = Date.now() / 1000;
  if (granted !== undefined) {
    const exp = granted.exp;
    return typeof exp === 'number' && exp <= now ? undefined : { ...granted };
  }
  try {
    const { payload } = await jwtVerify(token, createLocalJWKSet(context.jwks()), {
      issuer: context.issuer,
      algorithms: [...TEST_SIGNING_ALGORITHMS],
    });
    return { ...payload, active: true, token_type: 'Bearer' };
  } catch {
    return undefined; // not a JWT of ours, or expired, or not valid yet
  }
}

/** Answers one introspection request. */
export async function handleIntrospectionRequest(req: IncomingMessage, res: ServerResponse, context: IntrospectionContext): Promise<void> {
  try {
    const params = await readParams(req, 'introspection endpoint');
    await authenticateClient(context, req.headers.authorization, params);
    const token = params.get('token');
    if (token === null || token === '') throw new TokenEndpointError('invalid_request', 'Missing token');
    sendJson(res, 200, (await activeAnswer(context, token)) ?? { active: false });
  } catch (error) {
    if (!(error instanceof TokenEndpointError)) throw error;
    sendTokenError(res, error);
  }
}
