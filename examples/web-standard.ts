/**
 * web-standard: bearer-guard in a fetch handler, as Bun, Deno, Cloudflare Workers, Hono or a Next.js route
 * handler run it: a `Request` in; the verified identity, or a ready RFC 6750 `Response` (status, challenge,
 * JSON body) out. The same guards as on Express; `optional: true` serves a feed to everyone and more to
 * authenticated callers. Here the handler is served on node:http by a small bridge (examples/support).
 *
 * Run (after `npm run build`, from the repository root):
 *   npx tsx examples/web-standard.ts                      local test issuer; prints a token to try
 *   ISSUER=https://login.example.com/ AUDIENCE=api://receipts npx tsx examples/web-standard.ts
 *   npx tsx examples/web-standard.ts --check              self-check: sends requests, exits 0 or 1
 */
import { createWebAuthenticator, requireScopes, type VerifierOptions } from 'bearer-guard';
import { runExample } from './support/run-example.js';
import { serveFetch } from './support/serve-fetch.js';

function createHandler(options: VerifierOptions): (request: Request) => Promise<Response> {
  const authenticateRequest = createWebAuthenticator(options);
  const maybeAuthenticate = createWebAuthenticator(options, { optional: true });
  const canRead = requireScopes('receipts.read');

  return async (request) => {
    const { pathname } = new URL(request.url);
    const receipt = /^\/receipts\/(\w+)$/.exec(pathname);
    if (receipt !== null) {
      const auth = await authenticateRequest(request, canRead);
      if (auth instanceof Response) return auth; // 400, 401, 403 or 503, ready to send
      return Response.json({ id: receipt[1], caller: auth.clientId });
    }
    if (pathname === '/feed') {
      const auth = await maybeAuthenticate(request); // undefined without credentials; a bad token is refused
      if (auth instanceof Response) return auth;
      return Response.json({ items: auth === undefined ? ['public'] : ['public', `for ${auth.clientId}`] });
    }
    return new Response('Not found', { status: 404 });
  };
}

await runExample({
  audience: 'api://receipts',
  createApp: (options) => serveFetch(createHandler(options)),
  tryIt: { path: '/receipts/42', claims: { scope: 'receipts.read' } },
  checks: [
    {
      title: 'a token with receipts.read',
      path: '/receipts/42',
      claims: { scope: 'receipts.read' },
      status: 200,
      checkBody: (body) => (JSON.stringify(body) === '{"id":"42","caller":"test-client"}' ? undefined : 'wrong body'),
    },
    {
      title: 'no token',
      path: '/receipts/42',
      status: 401,
      error: null,
      checkBody: (body) => ((body as { error?: string }).error === 'unauthorized' ? undefined : 'wrong body'),
    },
    { title: 'a token without the scope', path: '/receipts/42', claims: { scope: 'other' }, status: 403, error: 'insufficient_scope' },
    {
      title: 'an expired token',
      path: '/receipts/42',
      claims: { scope: 'receipts.read' },
      tokenOptions: { expiresIn: -300 },
      status: 401,
      error: 'invalid_token',
    },
    {
      title: 'the feed without a token',
      path: '/feed',
      status: 200,
      checkBody: (body) => (JSON.stringify(body) === '{"items":["public"]}' ? undefined : 'wrong body'),
    },
    {
      title: 'the feed with a token',
      path: '/feed',
      claims: {},
      status: 200,
      checkBody: (body) => ((body as { items: string[] }).items.length === 2 ? undefined : 'wrong body'),
    },
    { title: 'the feed with an expired token', path: '/feed', claims: {}, tokenOptions: { expiresIn: -300 }, status: 401, error: 'invalid_token' },
  ],
});
