/**
 * Load runs: start a contender server (on core 0 when `taskset` exists), drive it with autocannon from this
 * process (on core 1), and measure throughput, p99 latency and the server's CPU time per request.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import type { Contender, IssuerConfig } from './contenders.js';

/** One measured run. */
export interface RunResult {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly responses: number;
  readonly failures: number;
  readonly cpuMicrosPerRequest: number;
}

/** Load settings. */
export interface LoadSettings {
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
}

const canPin = cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;

/** Pins this process (the load generator) to core 1 when possible; returns whether pinning is active. */
export function pinLoadGenerator(): boolean {
  if (!canPin) return false;
  return spawnSync('taskset', ['-cp', '1', String(process.pid)]).status === 0;
}

type ServerMessage = { type: 'listening'; port: number } | { type: 'cpu'; micros: number; rss: number };

/** The server's CPU time so far (µs, all threads). */
export function ask(child: ChildProcess, type: 'cpu'): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: ServerMessage): void => {
      if (message.type === type) {
        child.off('message', onMessage);
        resolve(message.micros);
      }
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

/** A running contender server. */
export interface BenchServer {
  readonly child: ChildProcess;
  readonly port: number;
}

/** Starts the server of `contender` (on core 0 when `taskset` exists). */
export async function startServer(contender: Contender, config: IssuerConfig): Promise<BenchServer> {
  const nodeArgs = ['--import', 'tsx', new URL('./server.ts', import.meta.url).pathname];
  const child = canPin
    ? spawn('taskset', ['-c', '0', process.execPath, ...nodeArgs], {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, NODE_ENV: 'production', BENCH_CONTENDER: contender, BENCH_CONFIG: JSON.stringify(config) },
      })
    : spawn(process.execPath, nodeArgs, {
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: { ...process.env, NODE_ENV: 'production', BENCH_CONTENDER: contender, BENCH_CONFIG: JSON.stringify(config) },
      });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: ServerMessage) => {
      if (message.type === 'listening') resolve(message.port);
    });
    child.once('exit', (code) => reject(new Error(`bench server for ${contender} exited with ${code}`)));
  });
  return { child, port };
}

/** Where a run is in its token pool: shared by the warm-up and the measured run, so no token repeats early. */
export interface Cursor {
  next: number;
}

/**
 * Drives `GET /receipts/42` on `port` for `durationSec`, each request carrying the next token of the pool;
 * with `proofs`, the (one) token with the DPoP scheme and the next proof of that pool.
 */
export function fire(
  port: number,
  tokens: readonly string[],
  cursor: Cursor,
  connections: number,
  durationSec: number,
  proofs?: readonly string[],
): Promise<autocannon.Result> {
  const options: autocannon.Options = {
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: durationSec,
    requests: [
      proofs !== undefined
        ? {
            method: 'GET',
            path: '/receipts/42',
            setupRequest: (request) => {
              request.headers = { ...request.headers, authorization: `DPoP ${tokens[0]}`, dpop: proofs[cursor.next++ % proofs.length]! };
              return request;
            },
          }
        : tokens.length === 1
        ? { method: 'GET', path: '/receipts/42', headers: { authorization: `Bearer ${tokens[0]}` } }
        : {
            method: 'GET',
            path: '/receipts/42',
            setupRequest: (request) => {
              request.headers = { ...request.headers, authorization: `Bearer ${tokens[cursor.next++ % tokens.length]}` };
              return request;
            },
          },
    ],
  };
  return autocannon(options);
}

/** Runs one contender under one workload. */
export async function runLoad(
  contender: Contender,
  config: IssuerConfig,
  tokens: readonly string[],
  settings: LoadSettings,
  proofs?: readonly string[],
): Promise<RunResult> {
  const { child, port } = await startServer(contender, config);
  try {
    const cursor: Cursor = { next: 0 };
    await fire(port, tokens, cursor, settings.connections, settings.warmupSec, proofs);
    const before = await ask(child, 'cpu');
    const result = await fire(port, tokens, cursor, settings.connections, settings.durationSec, proofs);
    const after = await ask(child, 'cpu');
    return toRunResult(result, after - before, settings.durationSec);
  } finally {
    await stopServer({ child, port });
  }
}

/** The figures of one measured run, from autocannon's result and the server CPU time it took. */
export function toRunResult(result: autocannon.Result, cpuMicros: number, durationSec: number): RunResult {
  const responses = result['2xx'] + result.non2xx;
  // autocannon's own start and finish: a busy load generator can end a run later than asked.
  const measuredSec = (result.finish.getTime() - result.start.getTime()) / 1000;
  return {
    requestsPerSecond: responses / (measuredSec > 0 ? measuredSec : durationSec),
    p99Ms: result.latency.p99,
    responses,
    failures: result.non2xx + result.errors + result.timeouts,
    cpuMicrosPerRequest: cpuMicros / Math.max(1, responses),
  };
}

/** Stops a server and waits for it to exit. */
export async function stopServer(server: BenchServer): Promise<void> {
  server.child.send({ type: 'exit' });
  await new Promise((resolve) => server.child.once('exit', resolve));
}
