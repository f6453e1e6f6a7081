/**
 * The demo scenario: a Payment service calls a Receipts service with the OAuth 2.0 client credentials
 * grant (no user involved), against a local test issuer. Every step prints what was sent, what came back
 * and what the API saw in `req.auth`, and is checked against what bearer-guard must answer.
 */
import * as oidc from 'openid-client';
import type { AuthInfo } from '../src/index.js';
import { createClientKey, createTestIssuer } from '../src/testing/index.js';
import { listenOnLoopback } from '../src/testing/loopback-server.js';
import { compare, describeAuth, wrapChallenge } from './describe.js';
import { createReceiptsApi, type ReceiptsGrants } from './receipts-app.js';
import { ServiceClient } from './service-client.js';
import { opaqueStep } from './opaque-step.js';
import { buildSteps, REALM } from './steps.js';
import { Transcript, type TranscriptOptions } from './transcript.js';

/** Options of {@link runDemo}. */
export interface DemoOptions extends TranscriptOptions {
  /** Other grant names for the Receipts API (a misconfigured API makes steps fail, and the demo says so). */
  apiGrants?: Partial<ReceiptsGrants>;
}

/** How the scenario went. */
export interface DemoResult {
  /** Number of steps played. */
  steps: number;
  /** Numbers of the steps that did not answer as expected. */
  failed: number[];
}

const AUDIENCE = 'api://receipts';
const SECRETS = { payment: 'payment-secret', reporting: 'reporting-secret', ledger: 'ledger-secret', api: 'receipts-api-secret' };


/** Plays the scenario, writing the transcript; never throws for a wrong answer, only reports it. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const out = new Transcript(options);
  const adminKey = await createClientKey();
  const issuer = await createTestIssuer({
    audience: AUDIENCE,
    clients: [
      { clientId: 'payment-service', clientSecret: SECRETS.payment, scopes: ['receipts.write', 'receipts.read'] },
      { clientId: 'reporting-service', clientSecret: SECRETS.reporting, scopes: ['receipts.read'] },
      { clientId: 'receipts-admin', jwks: adminKey.jwks, roles: ['Receipts.Admin'] },
      { clientId: 'ledger-service', clientSecret: SECRETS.ledger, scopes: ['receipts.write', 'receipts.read'], tokenFormat: 'opaque' },
      // The Receipts API's own client, for the introspection endpoint.
      { clientId: 'receipts-api', clientSecret: SECRETS.api },
    ],
  });
  let seen: AuthInfo | undefined;
  const api = await listenOnLoopback(
    '127.0.0.1',
    0,
    createReceiptsApi({
      verifier: issuer.verifierOptions({ realm: REALM, introspection: { clientId: 'receipts-api', clientSecret: SECRETS.api } }),
      ...(options.apiGrants !== undefined ? { grants: options.apiGrants } : {}),
      onAuthenticated: (auth) => {
        seen = auth;
      },
    }),
  );
  try {
    const connect = (clientId: string, clientAuth: oidc.ClientAuth, scope?: string): Promise<ServiceClient> =>
      ServiceClient.connect({ issuer: issuer.url, clientId, clientAuth, api: api.origin, ...(scope !== undefined ? { scope } : {}) });
    const clients = {
      payment: await connect('payment-service', oidc.ClientSecretBasic(SECRETS.payment), 'receipts.write receipts.read'),
      reporting: await connect('reporting-service', oidc.ClientSecretPost(SECRETS.reporting), 'receipts.read'),
      admin: await connect('receipts-admin', oidc.PrivateKeyJwt({ key: adminKey.privateKey, kid: adminKey.kid })),
    };
    const ledger = await connect('ledger-service', oidc.ClientSecretBasic(SECRETS.ledger), 'receipts.write receipts.read');

    out.title('bearer-guard demo: Payment calls Receipts with the OAuth 2.0 client credentials grant (no user)');
    out.line();
    out.field('issuer', `${issuer.url}  (local test issuer, signing key ${issuer.signingKid})`);
    out.field('Receipts API', `${api.origin}  (audience ${AUDIENCE}, realm "${REALM}")`);
    out.field('payment-service', 'client_secret_basic, may request receipts.write receipts.read');
    out.field('reporting-service', 'client_secret_post, may request receipts.read');
    out.field('receipts-admin', 'private_key_jwt, app role Receipts.Admin');
    out.field('ledger-service', 'client_secret_basic, opaque tokens (Boruta-style), may request receipts.write receipts.read');

    const steps = [...buildSteps(issuer, api.origin, clients), opaqueStep(issuer, ledger)];
    const failed: number[] = [];
    for (const [index, step] of steps.entries()) {
      seen = undefined;
      out.step(index + 1, step.title);
      let problems: string[];
      try {
        const outcome = await step.run();
        const { answer } = outcome;
        problems = [...compare(answer, seen, outcome.expected), ...(outcome.problems ?? [])];
        out.field('token', outcome.token);
        out.field('request', outcome.request);
        out.field('status', out.mark(problems.length === 0, `${answer.status} ${answer.statusText}`));
        out.field('WWW-Authenticate', wrapChallenge(answer.wwwAuthenticate));
        out.field('req.auth', describeAuth(seen));
        for (const [label, value] of outcome.notes ?? []) out.field(label, value);
      } catch (error) {
        problems = [`the step failed: ${error instanceof Error ? error.message : String(error)}`];
      }
      for (const problem of problems) out.problem(problem);
      if (problems.length > 0) failed.push(index + 1);
    }

    const counts =
      `token requests ${issuer.tokenRequests}, JWKS fetches ${issuer.jwksRequests}, metadata fetches ${issuer.discoveryRequests}, ` +
      `introspection calls ${issuer.introspectionRequests}`;
    if (failed.length === 0) out.summary(true, `All ${steps.length} steps answered as expected (${counts}).`);
    else out.summary(false, `${failed.length} of ${steps.length} steps did not answer as expected: ${failed.join(', ')}.`);
    return { steps: steps.length, failed };
  } finally {
    await api.close();
    await issuer.close();
  }
}
