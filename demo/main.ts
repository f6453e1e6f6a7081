/**
 * `npm run demo`: plays the Payment → Receipts scenario against a local test issuer and prints the
 * transcript. Exits 0 when every step answered as expected, 1 otherwise. Nothing to configure.
 */
import { runDemoCli } from './run-cli.js';

process.exitCode = await runDemoCli({ stdout: process.stdout, stderr: process.stderr, env: process.env });
