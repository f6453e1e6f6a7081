/**
 * DPoP replay protection across a fleet: two API instances (two verifiers, two servers) share one real
 * redis-server through `createSharedReplayStore(createRedisStore(client))`, with node-redis and with
 * ioredis. A proof accepted by one is refused by the other; without the shared store each instance only
 * knows its own proofs. A store that fails answers 503, never lets the proof through.
 */
import type { Server } from 'node:http';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, createRedisStore, createSharedReplayStore, type VerifierOptions } from '../../../src/index.js';
import { createDpopKey, createTestIssuer, type TestDpopKey, type TestIssuer } from '../../../src/testing/index.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { startRedisServer, type RedisServer } from '../../helpers/redis-server.js';
import { redisClients } from '../../helpers/redis-clients.js';
import { listen, send, stop } from './support.js';

const PUBLIC = 'https://receipts.example.test';

let redis: RedisServer;
let issuer: TestIssuer;
let key: TestDpopKey;
let token: string;
const servers: Server[] = [];

beforeAll(async () => {
  [redis, issuer, key] = await Promise.all([startRedisServer(), createTestIssuer({ audience: 'api://receipts' }), createDpopKey()]);
  token = await issuer.sign({ cnf: key.cnf });
});
afterAll(async () => {
  await Promise.all(servers.map((server) => stop(server)));
  await Promise.all([redis.stop(), issuer.close()]);
});

/** One API instance: its own verifier (so its own cache and keys), behind the fleet's public origin. */
async function instance(dpop: VerifierOptions['dpop']): Promise<string> {
  const server = FRAMEWORKS[0]!.build([{ path: '/receipts', chain: [authenticate(issuer.verifierOptions({ dpop }))] }], reasonErrorHandler);
  servers.push(server);
  return listen(server);
}

const proof = () => key.headers(token, { method: 'GET', url: `${PUBLIC}/receipts` });

const clients = redisClients(() => redis.url);

describe.each(clients)('a DPoP replay store shared on Redis through %s', (_name, connect) => {
  it('refuses on one instance a proof the other already accepted', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    try {
      const prefix = `fleet-${Math.random()}:`;
      const first = await instance({ publicOrigin: PUBLIC, replayStore: createSharedReplayStore(createRedisStore(a.client, { prefix })) });
      const second = await instance({ publicOrigin: PUBLIC, replayStore: createSharedReplayStore(createRedisStore(b.client, { prefix })) });
      const headers = await proof();
      expect((await send(first, '/receipts', headers)).status).toBe(200);
      const replayed = await send(second, '/receipts', headers);
      expect(replayed.status).toBe(401);
      expect(replayed.body.reason).toBe('dpop_proof_replayed');
      expect(replayed.headers['www-authenticate']).toContain('error="invalid_dpop_proof", error_description="The DPoP proof was already used"');
      expect((await send(first, '/receipts', headers)).body.reason).toBe('dpop_proof_replayed');
      expect((await send(second, '/receipts', await proof())).status).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps a proof identifier in Redis until the proof window ends, and no longer', async () => {
    const client = await connect();
    try {
      const prefix = `ttl-${Math.random()}:`;
      const origin = await instance({ publicOrigin: PUBLIC, proofMaxAgeSec: 120, replayStore: createSharedReplayStore(createRedisStore(client.client, { prefix })) });
      expect((await send(origin, '/receipts', await proof())).status).toBe(200);
      const reader = createClient({ url: redis.url });
      await reader.connect();
      try {
        const keys = await reader.keys(`${prefix}*`);
        expect(keys).toHaveLength(1);
        expect(keys[0]).toMatch(new RegExp(`^${prefix.replace(/\./g, '\\.')}dpop-jti:[A-Za-z0-9_-]{43}$`));
        const ttl = await reader.pTTL(keys[0]!);
        expect(ttl).toBeGreaterThan(110_000);
        expect(ttl).toBeLessThanOrEqual(120_000);
      } finally {
        await reader.quit();
      }
    } finally {
      await client.close();
    }
  });
});

describe('replay protection without a shared store', () => {
  it('refuses a replay on the instance that saw the proof, and not on another instance', async () => {
    const first = await instance({ publicOrigin: PUBLIC });
    const second = await instance({ publicOrigin: PUBLIC });
    const headers = await proof();
    expect((await send(first, '/receipts', headers)).status).toBe(200);
    expect((await send(first, '/receipts', headers)).body.reason).toBe('dpop_proof_replayed');
    expect((await send(second, '/receipts', headers)).status).toBe(200);
  });
});

describe('a replay store that fails', () => {
  it('answers 503 replay_store_unavailable with Retry-After when Redis is gone, never accepting the proof', async () => {
    const own = await startRedisServer();
    const client = new Redis(own.url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const origin = await instance({ publicOrigin: PUBLIC, replayStore: createSharedReplayStore(createRedisStore(client)) });
      expect((await send(origin, '/receipts', await proof())).status).toBe(200);
      await own.stop();
      const res = await send(origin, '/receipts', await proof());
      expect(res.status).toBe(503);
      expect(res.body.reason).toBe('replay_store_unavailable');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.headers['www-authenticate']).toBeUndefined();
    } finally {
      client.disconnect();
      await own.stop();
    }
  });
});
