/**
 * One verifier over several option sets, each for its own issuers with its own rules: the token's `iss`
 * (or a `{tenantid}` template's shape) selects exactly one set before anything else is judged, so an Auth0
 * token is never checked against an Entra audience, and a token naming no configured issuer is refused
 * (401 `issuer_mismatch`, or earlier for a malformed token) without any fetch. The sets share one realm,
 * one `resource` and the same `dpop` and `mtls` switches, so every challenge and credential scheme of a route
 * agrees; an issuer may appear in one set only; an issuer resolver has no place in a list.
 */
import { fail } from '../options/option-checks.js';
import { ownMember } from '../json.js';
import { decodeJws } from '../verify/format/decode-jws.js';
import { identifyFormat } from '../verify/format/identify-format.js';
import { IssuerMatcher } from '../verify/issuer/match-issuer.js';
import { IssuerRouter } from '../verify/issuer/route-issuer.js';
import { createPipeline, type VerifyNow } from '../verify/verify-token.js';
import type { KeySource } from '../verify/keys/key-source.js';
import type { VerifierOptions } from '../verify/verifier-options.js';
import { assembleVerifier, type AssembledVerifier } from './assemble-verifier.js';

/** `error` with its option path put under the option set at `index` (`"audience"` → `"[1].audience"`). */
function inSet(error: unknown, index: number): unknown {
  if (!(error instanceof TypeError) || !error.message.startsWith('bearer-guard: ')) return error;
  return new TypeError(
    error.message.includes('option "')
      ? error.message.replace('option "', `option "[${index}].`)
      : `${error.message} (option set [${index}])`,
  );
}

function assembleAt(options: unknown, index: number): AssembledVerifier {
  if (typeof options === 'object' && options !== null && typeof (options as VerifierOptions).issuer === 'function') {
    fail(`[${index}].issuer`, 'must be issuer URLs: an issuer resolver cannot be part of a list of option sets');
  }
  try {
    return assembleVerifier(options as VerifierOptions);
  } catch (error) {
    throw inSet(error, index);
  }
}

/**
 * The pipeline that refuses what no set claims: the first set's rules, every set's algorithms (a token of no
 * configured issuer is told `issuer_mismatch`, not another set's algorithm rule) and no issuer at all.
 */
function refuserOf(parts: readonly AssembledVerifier[], maxTokenLength: number): VerifyNow {
  const { config, family, binding } = parts[0]!;
  const algorithms = new Set(parts.flatMap((part) => [...part.config.header.algorithms]));
  return createPipeline({
    config: {
      ...config,
      maxTokenLength,
      header: { algorithms, requireAtJwt: false },
      issuers: parts.flatMap((part) => part.config.issuers),
    },
    family,
    issuers: new IssuerMatcher([]),
    cache: undefined,
    binding,
  });
}

/** Assembles the verifier of `list`. Throws a `TypeError` naming the option set and option when invalid. */
export function assembleIssuers(list: readonly VerifierOptions[]): AssembledVerifier {
  if (list.length === 0) {
    throw new TypeError('bearer-guard: options must be an object with at least "issuer" and "audience", or a non-empty list of them');
  }
  const parts = list.map(assembleAt);
  const first = parts[0]!;
  // One route, one set of challenges and credential schemes: what shapes them must agree across the sets.
  const shape = ({ config }: AssembledVerifier) => ({
    realm: config.realm,
    dpop: config.dpop === undefined ? 'off' : config.dpop.required ? 'required' : 'on',
    mtls: config.mtls === undefined ? 'off' : config.mtls.required ? 'required' : 'on',
    resource: `${config.issuedBy.resource ?? ''} ${config.issuedBy.resourceMetadataUrl ?? ''}`,
  });
  const expected = shape(first);
  parts.forEach((part, index) => {
    const actual = shape(part);
    for (const name of ['realm', 'dpop', 'mtls', 'resource'] as const) {
      if (actual[name] === expected[name]) continue;
      fail(
        `[${index}].${name}`,
        name === 'dpop' || name === 'mtls'
          ? 'must be set in every option set or in none, and required in all or none'
          : 'must be the same in every option set',
      );
    }
  });
  const router = new IssuerRouter(
    parts.map((part) => ({ issuers: part.config.issuers, target: part })),
    (index, issuer) => fail(`[${index}].issuer`, `names ${JSON.stringify(issuer)}, which an earlier option set names`),
  );
  // Decoding to find `iss` is bounded like the pipeline's own first check.
  const maxLength = Math.max(...parts.map((part) => part.config.maxTokenLength));
  const refuse = refuserOf(parts, maxLength);
  const select = (token: string): VerifyNow => {
    if (typeof token !== 'string') return refuse;
    // A token already verified is handed to its set without decoding.
    for (const part of parts) if (part.cache?.holds(token) === true) return part.verifyNow;
    if (token.length > maxLength) return refuse;
    // Only a JWS names its issuer in the clear: an encrypted or opaque token goes to the first set, whose
    // decryption or introspection (when configured) judges it.
    if (identifyFormat(token) !== 'jws') return first.verifyNow;
    try {
      return router.route(ownMember(decodeJws(token).payload, 'iss'))?.verifyNow ?? refuse;
    } catch {
      return refuse; // not a JWS: refused as such
    }
  };
  const sources = (): ReadonlyMap<string, KeySource> => {
    const all = new Map<string, KeySource>();
    for (const part of parts) for (const [issuer, source] of part.sources()) all.set(issuer, source);
    return all;
  };
  return {
    config: first.config,
    family: first.family,
    verifyNow: (token, request, extras) => select(token)(token, request, extras),
    cache: undefined,
    binding: first.binding,
    sources,
    introspectors: parts.flatMap((part) => part.introspectors),
  };
}
