/**
 * A {@link SharedStore} on Redis, through the client the application already has: `redis` (node-redis 4
 * and later) or `ioredis`, both optional peer dependencies, never loaded by bearer-guard itself. Each
 * operation is one Redis command (`SET … PX … NX`, `GET`, `SET … PX`), so expiry and first-sight decisions
 * are Redis's own and hold across the fleet. Keys are prefixed (default `bearer-guard:`).
 */
import { fail, optionsObject, stringOption } from '../options/option-checks.js';
import type { SharedStore } from './shared-store.js';

/** A node-redis client (v4 and later): `createClient()` from the `redis` package, connected. */
export interface NodeRedisClientLike {
  /** Sends one raw command (`['SET', key, value, …]`). */
  sendCommand(args: string[]): Promise<unknown>;
}

/** An `ioredis` client. */
export interface IoRedisClientLike {
  /** Sends one raw command (`call('SET', key, value, …)`). */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** Prepended to every key, so several uses of one Redis never collide. @default "bearer-guard:" */
  prefix?: string;
  /**
   * Longest wait for one command, in ms: past it the operation fails (a DPoP replay check answers 503, an
   * introspection lookup goes on without the store), so a Redis that is down or unreachable never leaves a
   * request hanging (node-redis queues commands while it reconnects). @default 1000
   */
  timeoutMs?: number;
}

const WHERE = 'createRedisStore()';

/** Sends one command with whichever client was given. */
function commandSender(client: unknown): (args: string[]) => Promise<unknown> {
  if (typeof client === 'object' && client !== null) {
    const { sendCommand, call } = client as Partial<NodeRedisClientLike & IoRedisClientLike>;
    // ioredis also has a `sendCommand`, taking a Command object: its `call` comes first.
    if (typeof call === 'function') return ([command, ...args]) => call.call(client, command!, ...args);
    if (typeof sendCommand === 'function') return (args) => sendCommand.call(client, args);
  }
  return fail('client', 'must be a connected node-redis (redis) or ioredis client', WHERE);
}

/** `pending`, or a rejection once `timeoutMs` pass without an answer (a late answer is dropped). */
function withTimeout(pending: Promise<unknown>, timeoutMs: number, command: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${command} within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  pending.catch(() => undefined);
  return Promise.race([pending, expired]).finally(() => clearTimeout(timer));
}

/** A whole number of milliseconds, at least 1 (Redis refuses `PX 0`). */
function px(ttlMs: number): string {
  return String(Math.max(1, Math.ceil(ttlMs)));
}

/**
 * A {@link SharedStore} on the Redis that `client` is connected to.
 *
 * @example
 * import { createClient } from 'redis';
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * const store = createRedisStore(redis);
 */
export function createRedisStore(client: NodeRedisClientLike | IoRedisClientLike, options?: RedisStoreOptions): SharedStore {
  const sendNow = commandSender(client);
  const given = optionsObject(options, '', ['prefix', 'timeoutMs'], WHERE) ?? {};
  const prefix = given.prefix === undefined ? 'bearer-guard:' : (stringOption(given.prefix, 'prefix', WHERE) ?? '');
  const timeoutMs = given.timeoutMs === undefined ? 1000 : given.timeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 60_000) {
    fail('timeoutMs', 'must be a whole number of milliseconds from 1 to 60000', WHERE);
  }
  const send = (args: string[]): Promise<unknown> => withTimeout(sendNow(args), timeoutMs, args[0]!);
  return {
    async addIfAbsent(key, value, ttlMs) {
      return (await send(['SET', prefix + key, value, 'PX', px(ttlMs), 'NX'])) === 'OK';
    },
    async get(key) {
      const value = await send(['GET', prefix + key]);
      if (value === null || value === undefined) return undefined;
      return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
    },
    async set(key, value, ttlMs) {
      await send(['SET', prefix + key, value, 'PX', px(ttlMs)]);
    },
  };
}
