/**
 * `bearer-guard/fastify`: the Fastify plugin (`request.auth`, an authentication hook for a context),
 * per-route `authenticate()` hooks, `preHandler` guards and an error handler. Fastify is only a type here:
 * nothing is loaded at runtime that the application does not load itself.
 *
 * This module only re-exports.
 */
import './fastify-augment.js';
import { bearerGuard } from './bearer-guard-plugin.js';

export { bearerGuard, type BearerGuardPluginOptions } from './bearer-guard-plugin.js';
export { authenticate, type FastifyHook } from './authenticate-hook.js';
export {
  authErrorHandler,
  requireClaims,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  type FastifyGuard,
} from './fastify-guards.js';
export type { AuthenticateOptions } from '../../access/authenticator.js';
export type { GuardOptions, MatchGuardOptions } from '../../access/guard-options.js';
export type { ClaimRule } from '../../access/route-guards.js';
export type { AuthInfo } from '../../verify/identity/auth-info.js';

export default bearerGuard;
