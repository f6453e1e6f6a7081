/**
 * The middlewares compared: bare Express (no auth), two floors (setting `req.auth` only; one `crypto.verify`
 * only), bearer-guard with and without its verified-token cache, express-oauth2-jwt-bearer,
 * express-jwt + jwks-rsa, and a hand-written jose.jwtVerify middleware.
 * Each is configured the way its documentation recommends for an RS/ES/EdDSA JWKS issuer.
 */
import { createPublicKey, verify, type JsonWebKey } from 'node:crypto';
import type { RequestHandler } from 'express';
import { auth as eojbAuth } from 'express-oauth2-jwt-bearer';
import { expressjwt } from 'express-jwt';
import jwksRsa from 'jwks-rsa';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { authenticate } from '../dist/index.js';

/** The contenders, in report order. */
export const CONTENDERS = [
  'bare',
  'req.auth only',
  'crypto.verify only',
  'bearer-guard',
  'bearer-guard (no cache)',
  'express-oauth2-jwt-bearer',
  'express-jwt + jwks-rsa',
  'jose.jwtVerify',
] as const;

/** A contender's name. */
export type Contender = (typeof CONTENDERS)[number];

/** What every contender is configured with. */
export interface IssuerConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwksUri: string;
  readonly algorithms: string[];
  /** The public JWK of the workload's algorithm (for the crypto.verify-only floor). */
  readonly jwk?: Record<string, unknown>;
  /** Introspection for bearer-guard (opaque-token workloads). */
  readonly introspection?: { readonly endpoint: string; readonly clientId: string; readonly clientSecret: string };
  /** The private JWK that decrypts the workload's encrypted tokens (bearer-guard's `decryption.keys`). */
  readonly decryptionJwk?: Record<string, unknown>;
  /** A DPoP workload: the origin its proofs name (`dpop.publicOrigin`). */
  readonly dpopOrigin?: string;
}

/** The contenders of a DPoP workload: the floors that ignore proofs, and bearer-guard. */
export const DPOP_CONTENDERS: readonly Contender[] = ['bare', 'req.auth only', 'bearer-guard'];

/**
 * The floor of the `req.auth` contract, not an authorizer: reads the `Authorization` header and sets
 * `req.auth`, nothing else. Express gives every request object a shape of its own, so adding a property to
 * one is a slow store every middleware that decorates `req` pays.
 */
function decorateOnly(): RequestHandler {
  return (req, _res, next) => {
    (req as unknown as { auth: unknown }).auth = req.headers.authorization;
    next();
  };
}

/**
 * The physical floor, not an authorizer: checks only the signature of the Bearer token with a ready
 * KeyObject (no claims, no issuer, no audience). Its added CPU is what one `crypto.verify` costs inside a
 * busy HTTP server.
 */
function signatureOnly(config: IssuerConfig): RequestHandler {
  const alg = config.algorithms[0];
  const key = createPublicKey({ key: config.jwk as JsonWebKey, format: 'jwk' });
  const hash = alg === 'EdDSA' ? null : 'sha256';
  const keyOption = alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
  return (req, _res, next) => {
    const token = (req.headers.authorization ?? '').slice(7);
    const dot = token.lastIndexOf('.');
    const ok = verify(hash, Buffer.from(token.slice(0, dot), 'latin1'), keyOption, Buffer.from(token.slice(dot + 1), 'base64url'));
    next(ok ? undefined : Object.assign(new Error('bad signature'), { status: 401 }));
  };
}

/** Contenders that decrypt encrypted tokens (and the baselines that do not look at the token). */
const DECRYPTING: ReadonlySet<Contender> = new Set(['bare', 'req.auth only', 'bearer-guard', 'bearer-guard (no cache)']);

/** Contenders that cannot verify an algorithm (jsonwebtoken has no EdDSA), or decrypt an encrypted token. */
export function supports(contender: Contender, alg: string, encrypted = false): boolean {
  if (encrypted && !DECRYPTING.has(contender)) return false;
  return !(contender === 'express-jwt + jwks-rsa' && alg === 'EdDSA');
}

/** The middleware chain of `contender`. */
export function createContender(contender: Contender, config: IssuerConfig): RequestHandler[] {
  const { issuer, audience, jwksUri, algorithms } = config;
  const decryption = config.decryptionJwk === undefined ? {} : { decryption: { keys: [config.decryptionJwk] } };
  switch (contender) {
    case 'bare':
      return [];
    case 'req.auth only':
      return [decorateOnly()];
    case 'crypto.verify only':
      return [signatureOnly(config)];
    case 'bearer-guard': {
      const introspection = config.introspection === undefined ? {} : { introspection: { ...config.introspection } };
      const dpop = config.dpopOrigin === undefined ? {} : { dpop: { publicOrigin: config.dpopOrigin, algorithms: ['ES256'] } };
      return [authenticate({ issuer, audience, jwksUri, algorithms, ...introspection, ...decryption, ...dpop }) as unknown as RequestHandler];
    }
    case 'bearer-guard (no cache)':
      return [authenticate({ issuer, audience, jwksUri, algorithms, cache: false, ...decryption }) as unknown as RequestHandler];
    case 'express-oauth2-jwt-bearer':
      return [eojbAuth({ issuer, audience, jwksUri, tokenSigningAlg: algorithms[0] })];
    case 'express-jwt + jwks-rsa':
      return [
        expressjwt({
          secret: jwksRsa.expressJwtSecret({ jwksUri, cache: true, rateLimit: true, jwksRequestsPerMinute: 10 }),
          audience,
          issuer,
          algorithms: algorithms as never,
        }),
      ];
    case 'jose.jwtVerify': {
      const jwks = createRemoteJWKSet(new URL(jwksUri));
      const middleware: RequestHandler = (req, _res, next) => {
        const header = req.headers.authorization;
        if (header === undefined || !header.startsWith('Bearer ')) {
          next(Object.assign(new Error('unauthorized'), { status: 401 }));
          return;
        }
        jwtVerify(header.slice(7), jwks, { issuer, audience, algorithms }).then(
          (result) => {
            (req as unknown as { auth: unknown }).auth = result.payload;
            next();
          },
          (error: unknown) => next(Object.assign(error as Error, { status: 401 })),
        );
      };
      return [middleware];
    }
  }
}
