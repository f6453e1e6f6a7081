/**
 * The Redis-backed shared store against a real redis-server, through both clients users have: node-redis
 * (`redis`) and `ioredis`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { redisClients } from '../helpers/redis-clients.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

const clients = redisClients(() => server.url);

describe.each(clients)('createRedisStore with %s', (_name, connect) => {
  it('adds a key once across two stores, gets and sets values, and lets them expire', async () => {
    const a = await connect();
    const b = await connect();
    try {
      const first = createRedisStore(a.client, { prefix: `t${Math.random()}:` });
      const prefix = `p${Math.random()}:`;
      const one = createRedisStore(a.client, { prefix });
      const two = createRedisStore(b.client, { prefix });
      expect(await one.addIfAbsent('jti-1', '1', 60_000)).toBe(true);
      expect(await two.addIfAbsent('jti-1', '1', 60_000)).toBe(false);
      expect(await first.addIfAbsent('jti-1', '1', 60_000)).toBe(true); // another prefix, another key
      await one.set('entry', '{"active":true}', 60_000);
      expect(await two.get('entry')).toBe('{"active":true}');
      expect(await two.get('missing')).toBeUndefined();
      await one.set('short', 'x', 50);
      await new Promise((resolve) => setTimeout(resolve, 120));
      expect(await two.get('short')).toBeUndefined();
      expect(await two.addIfAbsent('short', 'y', 1)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fails an operation that gets no answer within timeoutMs, instead of leaving it pending', async () => {
    const a = await connect();
    try {
      const store = createRedisStore(a.client, { prefix: `h${Math.random()}:`, timeoutMs: 200 });
      server.pause();
      await expect(store.addIfAbsent('jti', '1', 60_000)).rejects.toThrow('Redis did not answer SET within 200 ms');
      await expect(store.get('entry')).rejects.toThrow('Redis did not answer GET within 200 ms');
    } finally {
      server.resume();
      await a.close();
    }
  });
});

describe('createRedisStore options', () => {
  it('refuses something that is not a Redis client, and unknown options, with a TypeError naming them', () => {
    expect(() => createRedisStore({} as never)).toThrow(/createRedisStore\(\) option "client"/);
    expect(() => createRedisStore({ sendCommand: async () => 'OK' }, { prefx: 'a' } as never)).toThrow(
      /createRedisStore\(\) option "prefx" is not a known option/,
    );
    expect(() => createRedisStore({ sendCommand: async () => 'OK' }, { timeoutMs: 0 })).toThrow(
      'bearer-guard: createRedisStore() option "timeoutMs" must be a whole number of milliseconds from 1 to 60000',
    );
  });
});
