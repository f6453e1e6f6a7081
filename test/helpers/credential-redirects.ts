/**
 * An issuer on 127.0.0.1 whose metadata or JWKS endpoint can answer with a redirect whose `Location`
 * carries credentials (`http://user:secret@127.0.0.1:<port>/…`): the same host, so the redirect is followed
 * as far as the URL check, which refuses it. Shared by the redaction tests and the child process that
 * records the `NODE_DEBUG` log.
 */
import { listenOnLoopback } from '../../src/testing/loopback-server.js';

/** The password in every redirect; it must appear nowhere bearer-guard reports. */
export const REDIRECT_SECRET = 's3cret-Pa55';
/** The user name in every redirect. */
export const REDIRECT_USER = 'key-reader';

/** How each endpoint answers. */
export interface CredentialRedirectIssuer {
  readonly issuer: string;
  readonly jwksUri: string;
  /** `redirect`: 302 to a URL with credentials; `ok`: the document. */
  metadata: 'ok' | 'redirect';
  jwks: 'ok' | 'redirect';
  /** The keys served while `jwks` is `ok`. */
  keys: unknown[];
  /** The `Location` the redirects send. */
  readonly location: (path: string) => string;
  close(): Promise<void>;
}

let serial = 0;

/** Starts the issuer under a unique path (key stores are shared per URL across the process). */
export async function startCredentialRedirectIssuer(keys: unknown[] = []): Promise<CredentialRedirectIssuer> {
  const prefix = `/redirecting-${process.pid}-${++serial}`;
  let origin = '';
  const location = (path: string): string => `http://${REDIRECT_USER}:${REDIRECT_SECRET}@${origin.slice('http://'.length)}${prefix}${path}`;
  const state = { metadata: 'ok' as 'ok' | 'redirect', jwks: 'ok' as 'ok' | 'redirect', keys };
  const server = await listenOnLoopback('127.0.0.1', 0, (req, res) => {
    const json = (value: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    };
    const redirect = (path: string): void => {
      res.writeHead(302, { location: location(path) }).end();
    };
    if (req.url === `${prefix}/.well-known/openid-configuration`) {
      if (state.metadata === 'redirect') redirect('/moved-metadata');
      else json({ issuer: `${origin}${prefix}`, jwks_uri: `${origin}${prefix}/jwks` });
    } else if (req.url === `${prefix}/jwks`) {
      if (state.jwks === 'redirect') redirect('/moved-jwks');
      else json({ keys: state.keys });
    } else {
      res.writeHead(404).end();
    }
  });
  origin = server.origin;
  return Object.assign(state, {
    issuer: `${origin}${prefix}`,
    jwksUri: `${origin}${prefix}/jwks`,
    location,
    close: () => server.close(),
  });
}
