/** Caller rules: the calling application and its tenant against the configured allow-lists. */
import { shown } from '../../events/debug-log.js';
import { reject } from '../rejection.js';

/** The caller allow-lists of one verifier; `undefined` accepts any. */
export interface CallerPolicy {
  readonly allowedClientIds: ReadonlySet<string> | undefined;
  readonly allowedTenants: ReadonlySet<string> | undefined;
}

/** Checks the calling application and tenant against the allow-lists. */
export function checkCaller(clientId: string | undefined, tenantId: string | undefined, policy: CallerPolicy): void {
  const { allowedClientIds, allowedTenants } = policy;
  if (allowedTenants !== undefined && (tenantId === undefined || !allowedTenants.has(tenantId))) {
    reject('tenant_not_allowed', () => `tenant ${shown(tenantId)} is not one of ${shown([...allowedTenants])}`);
  }
  if (allowedClientIds !== undefined && (clientId === undefined || !allowedClientIds.has(clientId))) {
    reject('client_not_allowed', () => `client ${shown(clientId)} is not one of ${shown([...allowedClientIds])}`);
  }
}
