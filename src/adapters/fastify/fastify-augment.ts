/**
 * Types `request.auth` on Fastify requests. Only declarations: importing `bearer-guard/fastify` is enough.
 */
import type {} from 'fastify';
import type { AuthInfo } from '../../verify/identity/auth-info.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller, set by bearer-guard's Fastify plugin or `authenticate()` hook. */
    auth?: AuthInfo | undefined;
  }
}

export {};
