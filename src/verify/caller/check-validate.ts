/**
 * The `validate` rule, judged where the caller rules run: after the signature, the claims and the binding,
 * for every token that is verified (a token answered from the verified-token cache was judged when it was
 * verified). The rule gets frozen, own-member-only views of the payload and the header. Exactly `true` (or a
 * promise of it) accepts the token; anything else refuses it as `claim_invalid`, and so does a rule that
 * throws or rejects: never a 500, the error going to the debug log only.
 */
import type { JsonObject } from '../../json.js';
import { jsonView } from '../identity/own-view.js';
import { TokenRejection } from '../rejection.js';

/**
 * A token rule of the API: `true` (or a promise of `true`) when the token is acceptable. It gets frozen,
 * own-member-only views of the verified payload and header.
 */
export type ValidateRule = (payload: Readonly<JsonObject>, header: Readonly<JsonObject>) => boolean | Promise<boolean>;

function refusal(verdict: unknown): TokenRejection {
  return new TokenRejection('claim_invalid', () => `validate answered ${verdict === false ? 'false' : `${typeof verdict}, not true`}`);
}

function thrown(error: unknown): TokenRejection {
  return new TokenRejection('claim_invalid', () =>
    `validate threw ${error instanceof Error ? `${error.name}: ${error.message}` : typeof error}`,
  );
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/**
 * Judges `payload` and `header` with `rule`: returns nothing when it accepts them at once, a promise when
 * its answer is a promise (fulfilled when accepted, rejected with the refusal otherwise); throws the refusal
 * when it refuses at once.
 */
export function checkValidate(rule: ValidateRule, payload: JsonObject, header: JsonObject): Promise<void> | undefined {
  let verdict: unknown;
  try {
    verdict = rule(jsonView(payload), jsonView(header));
  } catch (error) {
    throw thrown(error);
  }
  if (verdict === true) return undefined;
  if (!isThenable(verdict)) throw refusal(verdict);
  // A foreign thenable is settled through a real promise, so it can neither throw here nor settle twice.
  return Promise.resolve(verdict).then(
    (settled) => {
      if (settled !== true) throw refusal(settled);
    },
    (error: unknown) => {
      throw thrown(error);
    },
  );
}
