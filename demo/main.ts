/**
 * `npm run demo`: plays the Payment → Receipts scenario against a local test issuer and prints the
 * transcript. Exits 0 when every step answered as expected, 1 otherwise. Nothing to configure.
 */
import { runDemo } from './scenario.js';
import { wantsColor } from './transcript.js';

try {
  const result = await runDemo({
    write: (line) => process.stdout.write(`${line}\n`),
    color: wantsColor(process.stdout, process.env),
  });
  process.exitCode = result.failed.length === 0 ? 0 : 1;
} catch (error) {
  console.error('The demo could not run:', error);
  process.exitCode = 1;
}
