/**
 * The steps of the demo scenario. Each calls the Receipts API and states what it expects: the status,
 * the challenge, and whose identity `req.auth` must hold.
 */
import type { TestIssuer } from '../src/testing/index.js';
import { kidOf, type Expectation } from './describe.js';
import { callApi, type ApiAnswer, type ServiceClient, type TokenUse } from './service-client.js';

/** The realm of the Receipts API's challenges. */
export const REALM = 'receipts';

/**
 * Why step 9 refetches at once: the unknown-`kid` cooldown (30 s by default, kept by
 * `issuer.verifierOptions()`) is started only by a JWKS fetch that missed a token's `kid`, never by a
 * routine fetch such as the first call's a moment earlier.
 */
const COOLDOWN_NOTE = [
  '30 s, the default (issuer.verifierOptions()). Only a fetch that missed a',
  'kid starts it, so a new kid costs one JWKS fetch and no refusal',
].join('\n');

/** What one step did. */
export interface Outcome {
  token: string;
  request: string;
  answer: ApiAnswer;
  expected: Expectation;
  /** Extra labelled lines, and extra problems. */
  notes?: [string, string][];
  problems?: string[];
}

/** One step: a title and what it does. */
export interface Step {
  title: string;
  run(): Promise<Outcome>;
}

function describeUse(client: ServiceClient, use: TokenUse, method: string): string {
  const origin = use.source === 'fetched' ? `new via ${method}` : 'cached';
  return `${client.clientId}, ${origin}, kid ${kidOf(use.token)}, ${use.expiresInSeconds} s left`;
}

function fetches(n: number): string {
  return `${n} ${n === 1 ? 'fetch' : 'fetches'}`;
}

/** The steps, in order; they share the id of the receipt created by the second one. */
export function buildSteps(
  issuer: TestIssuer,
  api: string,
  clients: { payment: ServiceClient; reporting: ServiceClient; admin: ServiceClient },
): Step[] {
  const { payment, reporting, admin } = clients;
  const noError = { realm: REALM };
  const invalidToken = { realm: REALM, error: 'invalid_token' };
  const paymentClaims = { sub: 'payment-service', client_id: 'payment-service', scope: 'receipts.read' };
  let receiptId = 'r-1';
  let jwksBeforeRotation = 0;
  return [
    {
      title: 'Health check: an open route needs no token',
      run: async () => ({
        token: '(none)',
        request: 'GET /health',
        answer: await callApi(api, 'GET', '/health'),
        expected: { status: 200, challenge: null, caller: null },
      }),
    },
    {
      title: 'Payment creates a receipt (scope receipts.write)',
      run: async () => {
        const body = { amount: 42.5, currency: 'EUR' };
        const { answer, token } = await payment.call('POST', '/receipts', body);
        if (typeof (answer.body as { id?: unknown } | undefined)?.id === 'string') receiptId = (answer.body as { id: string }).id;
        return {
          token: describeUse(payment, token, 'client_secret_basic'),
          request: `POST /receipts  ${JSON.stringify(body)}`,
          answer,
          expected: { status: 201, challenge: null, caller: 'payment-service' },
        };
      },
    },
    {
      title: 'Payment reads it back, reusing its cached token',
      run: async () => {
        const { answer, token } = await payment.call('GET', `/receipts/${receiptId}`);
        return {
          token: describeUse(payment, token, 'client_secret_basic'),
          request: `GET /receipts/${receiptId}`,
          answer,
          expected: { status: 200, challenge: null, caller: 'payment-service' },
          notes: [['token endpoint', `${issuer.tokensIssued} ${issuer.tokensIssued === 1 ? 'token' : 'tokens'} issued so far`]],
          problems: token.source === 'cached' ? [] : ['expected the cached token to be reused'],
        };
      },
    },
    {
      title: 'Reporting (scope receipts.read only) tries to create a receipt',
      run: async () => {
        const { answer, token } = await reporting.call('POST', '/receipts', { amount: 1, currency: 'EUR' });
        return {
          token: describeUse(reporting, token, 'client_secret_post'),
          request: 'POST /receipts',
          answer,
          expected: { status: 403, challenge: { realm: REALM, error: 'insufficient_scope', scope: 'receipts.write' }, caller: 'reporting-service' },
        };
      },
    },
    {
      title: 'A call without a token',
      run: async () => ({
        token: '(none)',
        request: `GET /receipts/${receiptId}`,
        answer: await callApi(api, 'GET', `/receipts/${receiptId}`),
        expected: { status: 401, challenge: noError, caller: null },
      }),
    },
    {
      title: 'An expired token',
      run: async () => ({
        token: 'payment-service, minted with exp 10 minutes ago',
        request: `GET /receipts/${receiptId}`,
        answer: await callApi(api, 'GET', `/receipts/${receiptId}`, { token: await issuer.sign(paymentClaims, { expiresIn: -600 }) }),
        expected: { status: 401, challenge: invalidToken, caller: null },
      }),
    },
    {
      title: 'A token issued for another API (aud api://ledger)',
      run: async () => ({
        token: 'payment-service, minted for aud api://ledger',
        request: `GET /receipts/${receiptId}`,
        answer: await callApi(api, 'GET', `/receipts/${receiptId}`, { token: await issuer.sign({ ...paymentClaims, aud: 'api://ledger' }) }),
        expected: { status: 401, challenge: invalidToken, caller: null },
      }),
    },
    {
      title: 'The issuer rotates its signing key; the cached token (old key) still verifies',
      run: async () => {
        jwksBeforeRotation = issuer.jwksRequests;
        const previous = issuer.signingKid;
        const kid = await issuer.rotateKeys();
        const { answer, token } = await payment.call('GET', `/receipts/${receiptId}`);
        const refetches = issuer.jwksRequests - jwksBeforeRotation;
        return {
          token: describeUse(payment, token, 'client_secret_basic'),
          request: `GET /receipts/${receiptId}`,
          answer,
          expected: { status: 200, challenge: null, caller: 'payment-service' },
          notes: [
            ['issuer', `now signs with ${kid}, still publishes ${previous}`],
            ['JWKS', `${fetches(issuer.jwksRequests)} so far, ${refetches === 0 ? `no refetch: ${previous} is cached` : `${refetches} since the rotation`}`],
          ],
          problems: refetches === 0 ? [] : [`expected no JWKS refetch, saw ${refetches}`],
        };
      },
    },
    {
      title: "Payment's next token is signed with the new key: one JWKS refetch",
      run: async () => {
        payment.forgetToken(); // as when the cached token reaches its refresh time
        const { answer, token } = await payment.call('GET', `/receipts/${receiptId}`);
        const again = await payment.call('GET', `/receipts/${receiptId}`);
        const refetches = issuer.jwksRequests - jwksBeforeRotation;
        return {
          token: describeUse(payment, token, 'client_secret_basic'),
          request: `GET /receipts/${receiptId}  (twice)`,
          answer,
          expected: { status: 200, challenge: null, caller: 'payment-service' },
          notes: [
            ['JWKS', `${fetches(issuer.jwksRequests)} so far: ${refetches === 1 ? 'exactly one refetch' : `${refetches} refetches`} for the two calls`],
            ['keys.cooldownMs', COOLDOWN_NOTE],
          ],
          problems: [
            ...(refetches === 1 ? [] : [`expected exactly one JWKS refetch, saw ${refetches}`]),
            ...(again.answer.status === 200 ? [] : [`expected the second call to answer 200, got ${again.answer.status}`]),
          ],
        };
      },
    },
    {
      title: 'Payment tries to delete the receipt (needs app role Receipts.Admin)',
      run: async () => {
        const { answer, token } = await payment.call('DELETE', `/receipts/${receiptId}`);
        return {
          token: describeUse(payment, token, 'client_secret_basic'),
          request: `DELETE /receipts/${receiptId}`,
          answer,
          expected: { status: 403, challenge: { realm: REALM, error: 'insufficient_scope', scope: 'Receipts.Admin' }, caller: 'payment-service' },
        };
      },
    },
    {
      title: 'The receipts-admin service (private_key_jwt, role Receipts.Admin) deletes it',
      run: async () => {
        const { answer, token } = await admin.call('DELETE', `/receipts/${receiptId}`);
        return {
          token: describeUse(admin, token, 'private_key_jwt'),
          request: `DELETE /receipts/${receiptId}`,
          answer,
          expected: { status: 204, challenge: null, caller: 'receipts-admin' },
        };
      },
    },
  ];
}
