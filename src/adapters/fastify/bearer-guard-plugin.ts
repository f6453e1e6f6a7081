/**
 * The Fastify plugin: decorates `request.auth` and, given a verifier, authenticates every request of the
 * context it is registered in (the whole app when registered at the root; one encapsulated context
 * otherwise). It does not create a context of its own (like `fastify-plugin`), so its hook applies where
 * it is registered.
 */
import type { FastifyInstance, FastifyPluginCallback } from 'fastify';
import { AUTHENTICATE_OPTIONS, type AuthenticateOptions } from '../../access/authenticator.js';
import { fail, oneOf, optionsObject } from '../../options/option-checks.js';
import type { Verifier } from '../../verify/verifier.js';
import type { VerifierOptions } from '../../verify/verifier-options.js';
import { authenticate } from './authenticate-hook.js';
import './fastify-augment.js';

/** Options of the {@link bearerGuard} plugin. */
export interface BearerGuardPluginOptions extends AuthenticateOptions {
  /**
   * Verifier options (a list of option sets for several issuers) or a verifier. Without it the plugin only
   * decorates `request.auth`, for routes that use the `authenticate()` hook themselves.
   */
  verifier?: VerifierOptions | readonly VerifierOptions[] | Verifier;
  /**
   * The hook that authenticates. `onRequest` refuses before the body is read; a body token
   * (`tokenLocations` with `'body'`) needs the parsed body, so `preValidation` or `preHandler`.
   * @default "onRequest", or "preValidation" when tokenLocations holds "body"
   */
  hook?: 'onRequest' | 'preValidation' | 'preHandler';
}

const WHERE = 'bearer-guard/fastify plugin';
/** Options Fastify's `register()` itself reads. */
const REGISTER_OPTIONS = ['prefix', 'logLevel', 'logSerializers'];
const KNOWN = [...AUTHENTICATE_OPTIONS, 'verifier', 'hook', ...REGISTER_OPTIONS];

function register(fastify: FastifyInstance, options: BearerGuardPluginOptions, done: (error?: Error) => void): void {
  try {
    const given = optionsObject(options, '', KNOWN, WHERE) ?? {};
    const hook = oneOf(given.hook, 'hook', ['onRequest', 'preValidation', 'preHandler'] as const, WHERE);
    const { verifier, tokenLocations, realm, optional } = given as BearerGuardPluginOptions;
    const withBody = Array.isArray(tokenLocations) && tokenLocations.includes('body');
    if (hook === 'onRequest' && withBody) fail('hook', 'cannot be "onRequest" with a body token location: the body is not parsed yet', WHERE);
    if (verifier === undefined && (hook ?? tokenLocations ?? realm ?? optional) !== undefined) {
      fail('verifier', 'is required with "hook", "tokenLocations", "realm" or "optional"', WHERE);
    }
    if (!fastify.hasRequestDecorator('auth')) fastify.decorateRequest('auth', undefined);
    if (verifier !== undefined) {
      const authOptions = {
        ...(tokenLocations === undefined ? {} : { tokenLocations }),
        ...(realm === undefined ? {} : { realm }),
        ...(optional === undefined ? {} : { optional }),
      };
      fastify.addHook(hook ?? (withBody ? 'preValidation' : 'onRequest'), authenticate(verifier, authOptions));
    }
    done();
  } catch (error) {
    done(error as Error);
  }
}

/**
 * The bearer-guard Fastify plugin.
 *
 * @example
 * await app.register(bearerGuard, { verifier: { issuer: 'https://login.example.com/', audience: 'api://receipts' } });
 * app.get('/receipts', { preHandler: requireScopes('receipts.read') }, async (request) => ({ caller: request.auth?.clientId }));
 */
export const bearerGuard: FastifyPluginCallback<BearerGuardPluginOptions> = Object.assign(register, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'bearer-guard',
  [Symbol.for('plugin-meta')]: { name: 'bearer-guard', fastify: '5.x' },
});
