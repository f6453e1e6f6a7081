/**
 * Run by outages.test.ts in a child process with NODE_DEBUG=bearer-guard (the debug log is switched on when
 * the process starts): verifies opaque tokens against an endpoint that fails in several ways, writes each
 * error to stderr the way an application would log it, and prints the tokens used, so that the test can
 * check that neither they nor the client secret reached any output.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createVerifier } from '../../../src/index.js';
import { activeAnswer, startIntrospectionServer, type IntrospectionBehaviour } from '../../helpers/introspection-server.js';

const secret = process.env.INTROSPECTION_SECRET ?? 'missing';
const server = await startIntrospectionServer();
const tokens: string[] = [];
const cases: [IntrospectionBehaviour, unknown][] = [
  [{ kind: 'ok' }, activeAnswer(server.url)],
  [{ kind: 'ok' }, { active: false }],
  [{ kind: 'status', status: 500, body: `echo ${secret}` }, undefined],
  [{ kind: 'status', status: 401, body: `{"error":"invalid_client","error_description":"${secret}"}` }, undefined],
  [{ kind: 'body', body: `<html>${secret}</html>` }, undefined],
];
for (const clientAuth of ['client_secret_basic', 'client_secret_post'] as const) {
  for (const [behaviour, answer] of cases) {
    server.behaviour = behaviour;
    server.answer = () => answer;
    const token = randomBytes(64).toString('base64url');
    tokens.push(token);
    const verifier = createVerifier({
      issuer: server.url,
      audience: 'api://receipts',
      introspection: { endpoint: server.endpoint, clientId: 'receipts-api', clientSecret: secret, clientAuth },
    });
    await verifier.verify(token).then(
      () => undefined,
      (error: unknown) => console.error(inspect(error, { depth: 10 })),
    );
  }
}
await server.close();
console.log(`TOKENS ${tokens.join(',')}`);
