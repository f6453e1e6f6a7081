/**
 * The demo's step with an opaque access token: the Ledger service's tokens are opaque, like Boruta's (86
 * URL-safe characters, no JWT), so the Receipts API validates them at the issuer's introspection endpoint,
 * authenticated as its own client, and reuses the answer for the next call.
 */
import type { TestIssuer } from '../src/testing/index.js';
import type { ServiceClient } from './service-client.js';
import type { Step } from './steps.js';

/** The step: Ledger files a receipt and reads it back with one opaque token, one introspection call. */
export function opaqueStep(issuer: TestIssuer, ledger: ServiceClient): Step {
  return {
    title: "Ledger's tokens are opaque (Boruta-style): validated by introspection",
    run: async () => {
      const before = issuer.introspectionRequests;
      const body = { amount: 7, currency: 'EUR' };
      const created = await ledger.call('POST', '/receipts', body);
      const id = (created.answer.body as { id?: unknown } | undefined)?.id;
      const read = await ledger.call('GET', `/receipts/${String(id)}`);
      const calls = issuer.introspectionRequests - before;
      const { token } = created;
      return {
        token: `${ledger.clientId}, ${token.source === 'fetched' ? 'new via client_secret_basic' : 'cached'}, opaque (${token.token.length} characters), ${token.expiresInSeconds} s left`,
        request: `POST /receipts  ${JSON.stringify(body)}  (then GET it back)`,
        answer: created.answer,
        expected: { status: 201, challenge: null, caller: 'ledger-service' },
        notes: [['introspection', `${calls} ${calls === 1 ? 'call' : 'calls'} for the two requests: the answer is cached`]],
        problems: [
          ...(calls === 1 ? [] : [`expected exactly one introspection call, saw ${calls}`]),
          ...(read.answer.status === 200 ? [] : [`expected the second call to answer 200, got ${read.answer.status}`]),
        ],
      };
    },
  };
}
