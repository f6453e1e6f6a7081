/**
 * `bearer-guard/express`: everything `bearer-guard` exports, plus `req.auth` typed as `AuthInfo` on
 * Express's `Request`. Opt in by importing from here (or `import 'bearer-guard/express'` once); leave it out
 * when another library declares `req.auth` too, as the MCP SDK does, and read the identity with `getAuth(req)`.
 *
 * This module only re-exports.
 */
import './middleware/express-augment.js';

export * from './index.js';
