/**
 * The client certificate of a request as DER bytes, from what `mtls.getCertificate` returns (or the TLS
 * peer certificate): an `X509Certificate`, DER bytes, or text as proxies forward it in a header — a PEM, a
 * URL-encoded PEM (nginx `$ssl_client_escaped_cert`, AWS ALB), or the bare base64 of the DER. Bytes and text
 * must parse as an X.509 certificate; anything else counts as no certificate.
 */
import { X509Certificate } from 'node:crypto';

const PEM = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
/** Longest text or byte string looked at: far beyond any real client certificate. */
const MAX_LENGTH = 64 * 1024;

function fromText(text: string): Buffer | undefined {
  let value = text;
  if (value.length > MAX_LENGTH) return undefined;
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  const pem = PEM.exec(value);
  const body = (pem === null ? value : pem[1]!).replace(/\s+/g, '');
  return BASE64.test(body) ? Buffer.from(body, 'base64') : undefined;
}

/** The DER of a certificate given in any of the accepted forms; `undefined` when there is none. */
export function toCertificateDer(value: unknown): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof X509Certificate) return value.raw;
  let der: Buffer | undefined;
  if (typeof value === 'string') der = fromText(value);
  else if (value instanceof Uint8Array && value.byteLength <= MAX_LENGTH) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    // PEM text handed over as bytes is still text.
    der = bytes[0] === 0x30 ? bytes : fromText(bytes.toString('latin1'));
  }
  if (der === undefined || der.length === 0) return undefined;
  try {
    return new X509Certificate(der).raw;
  } catch {
    return undefined;
  }
}
