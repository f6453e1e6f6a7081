/** The `--help` of each command, each with an example. */

/** Help of the CLI as a whole. */
export const MAIN_HELP = `bearer-guard: why is this access token refused? The middleware's own checks, from a shell.

Usage
  bearer-guard inspect  [--token-file F] [--json]            decode a token offline and say what it is
  bearer-guard verify   --issuer I --audience A [options]    run your API's checks, one line per check
  bearer-guard discover <issuer> [--json]                    fetch the issuer's metadata and keys

The token is read from standard input (or --token-file F). It never appears in any output.
Run "bearer-guard <command> --help" for a command's options and an example.

Exit codes: 0 accepted, 1 refused (400, 401, 403), 2 usage error or not a token, 3 keys unavailable (503).`;

/** Help of `inspect`. */
export const INSPECT_HELP = `bearer-guard inspect: decode an access token offline and say what it is

Usage
  bearer-guard inspect [--token-file F] [--at <ISO time>] [--json]

Shows the decoded header and claims (never the signature, which is not checked), the issuer family the
token looks like (Entra ID v1.0/v2.0, Azure AD B2C, Auth0, Okta, Keycloak, Cognito, OpenIddict, RFC 9068,
opaque, encrypted), the identity req.auth would hold, the key binding (cnf) and its times in words.
Nothing is fetched.

Options
  --token-file F   read the token from file F instead of standard input
  --at T           judge the times at T (an ISO 8601 time) instead of now
  --json           print one JSON object instead of text
  -h, --help       this help

Exit codes: 0 a token was decoded (or recognised as opaque), 2 the input is not a token.

Example
  pbpaste | npx bearer-guard inspect`;

/** Help of `verify`; `presets` are the lines describing each preset and its flags. */
export function verifyHelp(presets: readonly string[]): string {
  return `bearer-guard verify: run your API's checks on a token, exactly as the middleware does

Usage
  bearer-guard verify --issuer I --audience A [--jwks-uri U] [--scope S]... [--role R]... [options]
  bearer-guard verify --preset NAME [the preset's options] [--scope S]... [--role R]... [options]

Prints one line per check, passed or failed, with what was expected against what the token holds, then
the status and WWW-Authenticate header your API answers. Keys are fetched as the middleware fetches them.

Options
  --issuer I              an accepted issuer, exactly as in iss (repeat for several)
  --audience A            an accepted audience (repeat for several)
  --jwks-uri U            the key set URL (default: discovered from the issuer)
  --preset NAME           a preset, with its options as flags (... repeatable, true|false a boolean):
${presets.map((line) => `                            ${line}`).join('\n')}
                          --issuer, --audience and --jwks-uri a preset does not take override its result.
  --scope S               the route requires scope S, as requireScopes([S...]) (repeat for several)
  --role R                the route requires app role R, as requireRoles([R...]) (repeat for several)
  --any                   one listed scope or role is enough (match: 'any'; with both lists,
                          requireScopesOrRoles({ scopes, roles }))
  --clock-tolerance N     seconds of leeway on exp, nbf and iat (default 60)
  --challenge-realm R     the realm of your API's challenges (the realm option; default api)
  --at T                  verify at T (an ISO 8601 time) instead of now
  --token-file F          read the token from file F instead of standard input
  --json                  print { ok, status, reason, checks, wwwAuthenticate, ... } instead of text
  -h, --help              this help

Exit codes: 0 accepted, 1 refused (400, 401, 403), 2 usage error or no token, 3 keys unavailable (503).

Example
  pbpaste | npx bearer-guard verify --preset entra --tenant-id <tenant> --client-id <API client id> \\
    --role Receipts.Read`;
}

/** Help of `discover`. */
export const DISCOVER_HELP = `bearer-guard discover: fetch an issuer's metadata and keys as the middleware would

Usage
  bearer-guard discover <issuer> [--timeout MS] [--json]

Tries every metadata location (OpenID Connect Discovery, then RFC 8414), shows each answer, whether its
"issuer" equals the given issuer exactly, the jwks_uri, and every key of the key set (kid, kty, alg, size,
use, its own issuer member) with why a key is not used.

Options
  --timeout MS   the deadline of each fetch in milliseconds (default 5000)
  --json         print one JSON object instead of text
  -h, --help     this help

Exit codes: 0 metadata and usable keys found, 1 an answer bearer-guard would refuse (an issuer that differs,
no usable key), 2 usage error, 3 nothing answered (or the key set could not be fetched).

Example
  npx bearer-guard discover https://login.microsoftonline.com/<tenant>/v2.0`;
