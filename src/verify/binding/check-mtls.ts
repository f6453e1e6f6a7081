/**
 * Certificate-bound tokens (RFC 8705 §3): a token whose `cnf["x5t#S256"]` names a client certificate passes
 * only when the request's client certificate has that SHA-256 thumbprint, compared in constant time. No
 * certificate, or another one: 401 `invalid_token`. The certificate is read only for such tokens.
 */
import type { VerifyRequest } from '../../request/verify-request.js';
import type { MtlsConfig } from '../config/binding-options.js';
import { reject } from '../rejection.js';
import { toCertificateDer } from './read-certificate.js';
import { certificateThumbprint, sameThumbprint } from './thumbprint.js';

/** Checks that the client certificate of `request` is the one whose thumbprint is `expected`. */
export function checkCertificate(expected: string, request: VerifyRequest | undefined, config: MtlsConfig): void {
  let given: unknown;
  if (request !== undefined) given = config.getCertificate === undefined ? request.certificate : config.getCertificate(request);
  const der = toCertificateDer(given);
  if (der === undefined) reject('certificate_missing', () => 'no usable client certificate for a certificate-bound token');
  if (!sameThumbprint(expected, certificateThumbprint(der))) {
    reject('certificate_mismatch', () => 'the client certificate is not the one cnf["x5t#S256"] names');
  }
}
