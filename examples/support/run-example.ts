/**
 * The runner shared by the examples; it is not part of bearer-guard and holds nothing you need to copy.
 *
 * - With ISSUER and AUDIENCE (optional JWKS_URI, PORT) set: serves the example against that issuer.
 * - Without them: starts a local test issuer (`bearer-guard/testing`), serves the example and prints a
 *   token and a curl command to try it.
 * - With `--check` or EXAMPLE_SELF_TEST=1: starts a test issuer, sends the example's requests with tokens
 *   minted for each, prints the answers and exits 0 when all were as expected, 1 otherwise.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { VerifierOptions } from 'bearer-guard';
import { createTestIssuer, type SignTokenOptions, type TestTokenClaims } from 'bearer-guard/testing';

/** One request of the self-check and the answer it must get. */
export interface ExampleCheck {
  /** What the request shows. */
  title: string;
  /** @default "GET" */
  method?: string;
  path: string;
  /** Claims of the token to send (minted by the test issuer); no token when absent. */
  claims?: TestTokenClaims;
  /** How to mint it (expired, another key…). */
  tokenOptions?: SignTokenOptions;
  /** A JSON body. */
  body?: unknown;
  /** The expected status. */
  status: number;
  /** The expected `error` attribute of `WWW-Authenticate`; `null` for a challenge without one. */
  error?: string | null;
  /** Checks the parsed body; returns a problem, or `undefined` when it is right. */
  checkBody?: (body: unknown, headers: Headers) => string | undefined;
}

/** An example: how to build its server and how to check it. */
export interface ExampleDefinition {
  /** The audience of the example API. */
  audience: string;
  /** Builds the request listener (an Express or Connect app, a ready Fastify app, a bridged fetch handler). */
  createApp: (options: VerifierOptions) => RequestListener | Promise<RequestListener>;
  /** The self-check requests. */
  checks: readonly ExampleCheck[];
  /** The request shown with a ready-made token when serving with a test issuer. */
  tryIt: { path: string; claims: TestTokenClaims };
}

function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve) => server.listen(port, host, () => resolve((server.address() as AddressInfo).port)));
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function check(definition: ExampleDefinition): Promise<boolean> {
  const issuer = await createTestIssuer({ audience: definition.audience });
  const server = createServer(await definition.createApp(issuer.verifierOptions()));
  const port = await listen(server, 0, '127.0.0.1');
  let failures = 0;
  try {
    for (const step of definition.checks) {
      const headers: Record<string, string> = {};
      if (step.claims !== undefined) {
        headers.authorization = `Bearer ${await issuer.sign(step.claims, step.tokenOptions)}`;
      }
      if (step.body !== undefined) headers['content-type'] = 'application/json';
      const method = step.method ?? 'GET';
      const res = await fetch(`http://127.0.0.1:${port}${step.path}`, {
        method,
        headers,
        ...(step.body !== undefined ? { body: JSON.stringify(step.body) } : {}),
      });
      const text = await res.text();
      const challenge = res.headers.get('www-authenticate');
      const error = challenge === null ? undefined : (/error="([^"]*)"/.exec(challenge)?.[1] ?? null);
      const problems: string[] = [];
      if (res.status !== step.status) problems.push(`expected ${step.status}`);
      if (step.error !== undefined && error !== step.error) {
        problems.push(`expected error=${String(step.error)}, got ${String(error)}`);
      }
      const bodyProblem = step.checkBody?.(text === '' ? undefined : JSON.parse(text), res.headers);
      if (bodyProblem !== undefined) problems.push(bodyProblem);
      console.log(`${problems.length === 0 ? '✓' : '✗'} ${res.status} ${method} ${step.path}  ${step.title}`);
      if (challenge !== null) console.log(`      WWW-Authenticate: ${challenge}`);
      for (const problem of problems) console.log(`      ✗ ${problem}`);
      if (problems.length > 0) failures += 1;
    }
  } finally {
    await close(server);
    await issuer.close();
  }
  console.log(failures === 0 ? 'All checks passed.' : `${failures} check(s) failed.`);
  return failures === 0;
}

async function serve(definition: ExampleDefinition): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const { ISSUER: issuerUrl, AUDIENCE: audience, JWKS_URI: jwksUri } = process.env;
  if (issuerUrl !== undefined && issuerUrl !== '' && audience !== undefined && audience !== '') {
    const options: VerifierOptions = { issuer: issuerUrl, audience, ...(jwksUri ? { jwksUri } : {}) };
    const bound = await listen(createServer(await definition.createApp(options)), port);
    console.log(`Listening on http://localhost:${bound} (issuer ${issuerUrl}, audience ${audience}). Ctrl-C stops.`);
    return;
  }
  const issuer = await createTestIssuer({ audience: definition.audience });
  const bound = await listen(createServer(await definition.createApp(issuer.verifierOptions())), port);
  const token = await issuer.sign(definition.tryIt.claims);
  console.log(`Listening on http://localhost:${bound} with a local test issuer at ${issuer.url}. Ctrl-C stops.`);
  console.log('Try:');
  console.log(`  curl -i -H "Authorization: Bearer ${token}" http://localhost:${bound}${definition.tryIt.path}`);
}

/** Runs an example in the mode its command line and environment ask for. */
export async function runExample(definition: ExampleDefinition): Promise<void> {
  try {
    if (process.argv.includes('--check') || process.env.EXAMPLE_SELF_TEST === '1') {
      process.exitCode = (await check(definition)) ? 0 : 1;
    } else {
      await serve(definition);
    }
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  }
}
