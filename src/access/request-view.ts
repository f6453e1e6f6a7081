/**
 * The {@link VerifyRequest} that authentication on Node (Express, Connect, Fastify's raw request) passes to
 * the verifier: a view over the Node request that reads a field only when a stage or an event asks for it,
 * so a request whose token needs none of them costs one small object. The URL is the one the client sent
 * (`originalUrl` under an Express or Connect mount path), the certificate is the TLS peer certificate, when
 * the connection has one, and `secure` says whether the connection is TLS.
 */
import type { X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { VerifyRequest } from '../request/verify-request.js';

/** A lazily read {@link VerifyRequest} of a Node request. */
export class RequestView implements VerifyRequest {
  readonly #req: IncomingMessage & { originalUrl?: string };

  constructor(req: IncomingMessage) {
    this.#req = req;
  }

  get method(): string | undefined {
    return this.#req.method;
  }

  get url(): string | undefined {
    return this.#req.originalUrl ?? this.#req.url;
  }

  get headers(): IncomingMessage['headers'] {
    return this.#req.headers;
  }

  get certificate(): X509Certificate | undefined {
    const socket = this.#req.socket as Partial<TLSSocket> | undefined;
    return socket?.getPeerX509Certificate?.() ?? undefined;
  }

  get secure(): boolean {
    return (this.#req.socket as Partial<TLSSocket> | undefined)?.encrypted === true;
  }
}
