/**
 * The two Redis clients the shared stores are tested with, node-redis and ioredis, each as a `[name,
 * connect]` row for `describe.each`: `connect()` opens a connection to the server `url()` names at that time
 * (the server starts in `beforeAll`, after the rows are made).
 */
import { Redis } from 'ioredis';
import { createClient } from 'redis';

/** `[name, connect]` rows for node-redis and ioredis. */
export function redisClients(url: () => string) {
  return [
    [
      'node-redis',
      async () => {
        const client = await createClient({ url: url() }).connect();
        return { client, close: () => client.quit().then(() => undefined) };
      },
    ],
    [
      'ioredis',
      async () => {
        const client = new Redis(url(), { lazyConnect: true });
        await client.connect();
        return { client, close: () => client.quit().then(() => undefined) };
      },
    ],
  ] as const;
}
