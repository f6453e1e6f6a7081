/**
 * The pipeline: the order of the stages (the earliest failing stage decides), the stage each refusal is
 * reported at, the request passed along as context, and bugs rethrown rather than disguised as 401s.
 */
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  authenticate,
  authErrorHandler,
  createVerifier,
  onVerifyEvent,
  type AuthInfo,
  type Verifier,
  type VerifyEvent,
  type VerifyRequest,
} from '../../src/index.js';
import { createTestIssuer, type TestIssuer } from '../../src/testing/index.js';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
});
afterAll(async () => {
  await issuer.close();
});

async function refusal(token: string): Promise<{ reason: string; stage: string }> {
  const events: VerifyEvent[] = [];
  const stop = onVerifyEvent((event) => events.push(event));
  try {
    const verifier = createVerifier({ ...issuer.verifierOptions(), algorithms: ['RS256'] });
    const error = await verifier.verify(token).then(
      () => {
        throw new Error('accepted');
      },
      (failure: { reason: string }) => failure,
    );
    const event = events.find((e) => e.type === 'rejected') as Extract<VerifyEvent, { type: 'rejected' }>;
    return { reason: error.reason, stage: event.stage };
  } finally {
    stop();
  }
}

describe('the order of the stages', () => {
  it('decides by the earliest failing stage', async () => {
    const expiredForeign = await issuer.sign({ iss: 'https://other.example.com', aud: 'api://other' }, { expiresIn: -600 });
    expect(await refusal(expiredForeign)).toEqual({ reason: 'issuer_mismatch', stage: 'issuer' });

    const es = await issuer.sign({ iss: 'https://other.example.com' }, { alg: 'ES256' });
    expect(await refusal(es)).toEqual({ reason: 'algorithm_not_allowed', stage: 'format' });

    const good = await issuer.sign({ aud: 'api://other' }, { expiresIn: -600 });
    const [h, p] = good.split('.');
    const forged = `${h}.${p}.${Buffer.alloc(256, 1).toString('base64url')}`;
    expect(await refusal(forged)).toEqual({ reason: 'signature_invalid', stage: 'signature' });

    const expiredElsewhere = await issuer.sign({ aud: 'api://other' }, { expiresIn: -600 });
    expect(await refusal(expiredElsewhere)).toEqual({ reason: 'token_expired', stage: 'claims' });

    const bound = await issuer.sign({ cnf: { jkt: 'x'.repeat(43) } });
    expect(await refusal(bound)).toEqual({ reason: 'token_sender_constrained', stage: 'binding' });
  });

  it('refuses encrypted and opaque tokens at the format stage when nothing is configured for them', async () => {
    expect(await refusal('a.b.c.d.e')).toEqual({ reason: 'token_encrypted', stage: 'format' });
    expect(await refusal('Vu3bVLxPEtW8mRrYzX8hTGhRwXJr5eDbma')).toEqual({ reason: 'token_malformed', stage: 'format' });
  });

  it('reports a caller refusal at the caller stage, after the identity is built', async () => {
    const events: VerifyEvent[] = [];
    const stop = onVerifyEvent((event) => events.push(event));
    const verifier = createVerifier(issuer.verifierOptions({ allowedClientIds: ['billing'] }));
    await expect(verifier.verify(await issuer.sign())).rejects.toMatchObject({ reason: 'client_not_allowed' });
    stop();
    expect(events).toEqual([{ type: 'rejected', stage: 'caller', status: 401, reason: 'client_not_allowed' }]);
  });
});

describe('the request context', () => {
  it('reaches a custom verifier from authenticate(), with the URL as sent under a mount path', async () => {
    const seen: { method?: string; url?: string; auth?: string }[] = [];
    const inner = createVerifier(issuer.verifierOptions());
    const spy: Verifier = {
      verify(token: string, req?: VerifyRequest): Promise<AuthInfo> {
        seen.push({ method: req?.method, url: req?.url, auth: String(req?.headers?.authorization).slice(0, 6) });
        return inner.verify(token, req);
      },
    };
    const router = express.Router();
    router.post('/receipts', authenticate(spy), (_req, res) => res.end('ok'));
    const app = express().use('/v1', router).use(authErrorHandler());
    const response = await request(app).post('/v1/receipts?x=1').set('Authorization', `Bearer ${await issuer.sign()}`);
    expect(response.status).toBe(200);
    expect(seen).toEqual([{ method: 'POST', url: '/v1/receipts?x=1', auth: 'Bearer' }]);
  });

  it('verifies without a request, as before', async () => {
    const verifier = createVerifier(issuer.verifierOptions());
    await expect(verifier.verify(await issuer.sign())).resolves.toMatchObject({ clientId: 'test-client', format: 'jws' });
  });
});

describe('bugs', () => {
  it('are rethrown as they are, never turned into a 401', async () => {
    const verifier = createVerifier(issuer.verifierOptions({ cache: false }));
    const token = await issuer.sign();
    const boom = new Error('a listener bug');
    const stop = onVerifyEvent(() => undefined);
    const original = Date.now;
    let calls = 0;
    Date.now = () => {
      calls += 1;
      if (calls === 2) throw boom; // the clock of the claims stage
      return original();
    };
    try {
      await expect(verifier.verify(token)).rejects.toBe(boom);
    } finally {
      Date.now = original;
      stop();
    }
  });
});
