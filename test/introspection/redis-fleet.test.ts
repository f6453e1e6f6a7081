/**
 * The introspection cache across a fleet, on a real redis-server through both clients users have
 * (node-redis and ioredis): two verifiers sharing one Redis make one introspection call for 100 concurrent
 * requests spread over both, a third instance started later makes none, and a store that fails or hangs
 * never fails a request (each instance then introspects on its own).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore, createVerifier, type SharedStore } from '../../src/index.js';
import { startRedisServer, type RedisServer } from '../helpers/redis-server.js';
import { redisClients } from '../helpers/redis-clients.js';
import { activeAnswer, startIntrospectionServer, type IntrospectionServer } from '../helpers/introspection-server.js';

let redis: RedisServer;
let server: IntrospectionServer;
beforeAll(async () => {
  [redis, server] = await Promise.all([startRedisServer(), startIntrospectionServer()]);
});
afterAll(async () => {
  await Promise.all([redis.stop(), server.close()]);
});

function verifier(store: SharedStore) {
  return createVerifier({
    issuer: server.url,
    audience: 'api://receipts',
    introspection: { endpoint: server.endpoint, clientId: 'receipts-api', clientSecret: 'rs-secret', cache: { store } },
  });
}

function callsFor(token: string): number {
  return server.requests.filter((r) => r.form.get('token') === token).length;
}

/** The keys matching `pattern`, through either client. */
async function listKeys(client: unknown, pattern: string): Promise<string[]> {
  if (client instanceof Redis) return (await client.call('KEYS', pattern)) as string[];
  return (await (client as { sendCommand(args: string[]): Promise<unknown> }).sendCommand(['KEYS', pattern])) as string[];
}

const clients = redisClients(() => redis.url);

describe.each(clients)('two verifiers sharing one Redis through %s', (_name, connect) => {
  it('make one introspection call for 100 concurrent requests spread over both, and a third instance makes none', async () => {
    const [a, b, c] = await Promise.all([connect(), connect(), connect()]);
    try {
      const prefix = `fleet-${Math.random()}:`;
      const one = verifier(createRedisStore(a.client, { prefix }));
      const two = verifier(createRedisStore(b.client, { prefix }));
      let open!: () => void;
      server.behaviour = { kind: 'gate', until: new Promise<void>((resolve) => (open = resolve)) };
      const token = randomBytes(64).toString('base64url');
      const pending = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? one : two).verify(token));
      await new Promise((resolve) => setTimeout(resolve, 100));
      open();
      const identities = await Promise.all(pending);
      server.behaviour = { kind: 'ok' };
      expect(identities.every((auth) => auth.clientId === 'payments' && auth.format === 'opaque')).toBe(true);
      expect(callsFor(token)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 50)); // the answer is written after the call returns
      const three = verifier(createRedisStore(c.client, { prefix }));
      expect((await three.verify(token)).clientId).toBe('payments');
      expect(callsFor(token)).toBe(1);
      const keys = await listKeys(a.client, `${prefix}*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.join(' ')).not.toContain(token.slice(0, 16));
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('keep an answer read from the store no longer than the instance that asked may: revocation within maxTtlMs', async () => {
    const [a, b] = await Promise.all([connect(), connect()]);
    try {
      const prefix = `revoke-${Math.random()}:`;
      const short = (store: SharedStore) =>
        createVerifier({
          issuer: server.url,
          audience: 'api://receipts',
          introspection: { endpoint: server.endpoint, clientId: 'receipts-api', clientSecret: 'rs-secret', cache: { store, maxTtlMs: 800 } },
        });
      const one = short(createRedisStore(a.client, { prefix }));
      const two = short(createRedisStore(b.client, { prefix }));
      const token = randomBytes(64).toString('base64url');
      const revoked = new Set<string>();
      server.answer = (form) => (revoked.has(form.get('token') ?? '') ? { active: false } : activeAnswer(server.url));
      expect((await one.verify(token)).clientId).toBe('payments');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await two.verify(token)).clientId).toBe('payments'); // from the store, written 500 ms ago
      expect(callsFor(token)).toBe(1);
      revoked.add(token);
      await new Promise((resolve) => setTimeout(resolve, 450)); // past the first answer's 800 ms
      await expect(two.verify(token)).rejects.toMatchObject({ status: 401, reason: 'token_inactive' });
    } finally {
      server.answer = () => activeAnswer(server.url);
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('a store that fails', () => {
  const token = (): string => {
    const value = randomBytes(64).toString('base64url');
    server.answer = () => activeAnswer(server.url);
    return value;
  };

  it('never fails a request when every store operation rejects: each instance introspects on its own', async () => {
    const broken: SharedStore = {
      addIfAbsent: () => Promise.reject(new Error('connection lost')),
      get: () => Promise.reject(new Error('connection lost')),
      set: () => Promise.reject(new Error('connection lost')),
    };
    const t = token();
    expect((await verifier(broken).verify(t)).clientId).toBe('payments');
    expect((await verifier(broken).verify(t)).clientId).toBe('payments');
    expect(callsFor(t)).toBe(2);
  });

  it('goes on without a store that does not answer, after its one-second deadline', async () => {
    const never = new Promise<never>(() => undefined);
    const hanging: SharedStore = { addIfAbsent: () => never, get: () => never, set: () => never };
    const t = token();
    expect((await verifier(hanging).verify(t)).clientId).toBe('payments');
    expect(callsFor(t)).toBe(1);
  });
});
