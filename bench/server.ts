/**
 * One benchmark server: Express 5 with one contender in front of `GET /receipts/42`, which answers
 * `{"ok":true}`. Started by `bench/run.ts` (pinned to its own core when `taskset` exists); reports its
 * port and, on request, its CPU time over IPC.
 *
 * Environment: BENCH_CONTENDER, BENCH_CONFIG (JSON IssuerConfig).
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { createContender, type Contender, type IssuerConfig } from './contenders.js';

const contender = process.env.BENCH_CONTENDER as Contender;
const config = JSON.parse(process.env.BENCH_CONFIG ?? '{}') as IssuerConfig;

const app = express();
app.set('env', 'production');
app.set('etag', false);
app.set('x-powered-by', false);
app.get('/receipts/42', ...createContender(contender, config), (_req, res) => {
  res.json({ ok: true });
});
app.use(((error: { status?: number }, _req, res, _next) => {
  res.status(error.status ?? 500).end();
}) as express.ErrorRequestHandler);

const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'listening', port: (server.address() as AddressInfo).port });
});
server.keepAliveTimeout = 60_000;

process.on('message', (message: { type: string }) => {
  if (message.type === 'cpu') {
    const usage = process.cpuUsage();
    process.send?.({ type: 'cpu', micros: usage.user + usage.system, rss: process.memoryUsage().rss });
  } else if (message.type === 'exit') {
    server.close();
    process.exit(0);
  }
});
