/**
 * Certificate-bound tokens (RFC 8705 §3) over a real `https.createServer({ requestCert: true })` on Express 5,
 * Express 4 and Connect, with a CA, a server certificate and client certificates made in the test; and the
 * proxy path, where a TLS-terminating proxy forwards the client certificate in a header read by
 * `mtls.getCertificate`.
 */
import type { OutgoingHttpHeaders, RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, type VerifyRequest } from '../../../src/index.js';
import { certificateConfirmation, createDpopKey, createTestIssuer, type TestIssuer } from '../../../src/testing/index.js';
import { createTestCa, selfSignedClient, type TestCa, type TestCertificate } from '../../helpers/certificates.js';
import { reasonErrorHandler } from '../../helpers/error-reason.js';
import { FRAMEWORKS } from '../../helpers/frameworks.js';
import { listen, send, stop, type Answer } from './support.js';

const invalidToken = (description: string): string =>
  `Bearer realm="api", error="invalid_token", error_description="${description}"`;

let issuer: TestIssuer;
let ca: TestCa;
let payments: TestCertificate;
let reports: TestCertificate;
let rogue: TestCertificate;
let bound: string;
let unbound: string;

beforeAll(async () => {
  issuer = await createTestIssuer({ audience: 'api://receipts' });
  ca = createTestCa();
  [payments, reports, rogue] = [ca.client('payments'), ca.client('reports'), selfSignedClient('self-signed payments')];
  bound = await issuer.sign({ cnf: certificateConfirmation(payments.x509) });
  unbound = await issuer.sign({});
});
afterAll(() => issuer.close());

/** One HTTPS request, presenting `certificate` when given. */
function sendTls(origin: string, path: string, headers: OutgoingHttpHeaders, certificate?: TestCertificate): Promise<Answer> {
  const { port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        headers,
        ca: ca.certificate.pem,
        agent: false,
        ...(certificate === undefined ? {} : { key: certificate.keyPem, cert: certificate.pem }),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text || '{}'), text }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe.each(FRAMEWORKS)('certificate-bound tokens over HTTPS on $name', ({ build }) => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const app = build(
      [
        { path: '/receipts', chain: [authenticate(issuer.verifierOptions({ mtls: {} }))] },
        { path: '/required', chain: [authenticate(issuer.verifierOptions({ mtls: { required: true } }))] },
        { path: '/both', chain: [authenticate(issuer.verifierOptions({ mtls: {}, dpop: { algorithms: ['ES256'] } }))] },
        { path: '/off', chain: [authenticate(issuer.verifierOptions())] },
      ],
      reasonErrorHandler,
    );
    const server0 = app.listeners('request')[0] as RequestListener;
    const server2 = ca.server();
    // The handshake asks for a client certificate and takes any: the binding, not a CA, decides (RFC 8705 §2.2).
    server = createHttpsServer({ key: server2.keyPem, cert: server2.pem, ca: ca.certificate.pem, requestCert: true, rejectUnauthorized: false }, server0) as unknown as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => stop(server));

  it('answers 200 to a certificate-bound token sent over the connection that presents that certificate', async () => {
    const res = await sendTls(origin, '/receipts', { authorization: `Bearer ${bound}` }, payments);
    expect(res.status).toBe(200);
    expect(res.body.clientId).toBe('test-client');
  });

  it.each(['MTLS_POP', 'mtls_pop'])('accepts the %s scheme where certificate binding is configured', async (scheme) => {
    const res = await sendTls(origin, '/receipts', { authorization: `${scheme} ${bound}` }, payments);
    expect(res.status).toBe(200);
  });

  it('answers 401 certificate_mismatch when the connection presents another certificate of the same CA', async () => {
    const res = await sendTls(origin, '/receipts', { authorization: `Bearer ${bound}` }, reports);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('certificate_mismatch');
    expect(res.headers['www-authenticate']).toBe(invalidToken('The access token is bound to another client certificate'));
  });

  it('answers 401 certificate_missing when the connection presents no certificate', async () => {
    const res = await sendTls(origin, '/receipts', { authorization: `Bearer ${bound}` });
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('certificate_missing');
    expect(res.headers['www-authenticate']).toBe(invalidToken('The access token is bound to a client certificate and none was presented'));
  });

  it('answers 200 to a token bound to a self-signed client certificate presented by its holder', async () => {
    const selfBound = await issuer.sign({ cnf: certificateConfirmation(rogue.pem) });
    expect((await sendTls(origin, '/receipts', { authorization: `Bearer ${selfBound}` }, rogue)).status).toBe(200);
    expect((await sendTls(origin, '/receipts', { authorization: `Bearer ${selfBound}` }, payments)).body.reason).toBe('certificate_mismatch');
  });

  it('accepts an unbound Bearer token where binding is not required, and answers 401 certificate_binding_required where it is', async () => {
    expect((await sendTls(origin, '/receipts', { authorization: `Bearer ${unbound}` }, payments)).status).toBe(200);
    const res = await sendTls(origin, '/required', { authorization: `Bearer ${unbound}` }, payments);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('certificate_binding_required');
    expect(res.headers['www-authenticate']).toBe(invalidToken('The access token must be bound to the client certificate'));
    expect((await sendTls(origin, '/required', { authorization: `Bearer ${bound}` }, payments)).status).toBe(200);
  });

  it('answers 401 token_not_bound to an unbound token sent with the MTLS_POP scheme', async () => {
    const res = await sendTls(origin, '/receipts', { authorization: `MTLS_POP ${unbound}` }, payments);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('token_not_bound');
  });

  it('answers 401 token_not_bound to a DPoP-bound token sent with the MTLS_POP scheme', async () => {
    const key = await createDpopKey();
    const dpopBound = await issuer.sign({ cnf: key.cnf });
    const res = await sendTls(origin, '/both', { authorization: `MTLS_POP ${dpopBound}` }, payments);
    expect(res.body.reason).toBe('token_not_bound');
    expect(res.headers['www-authenticate']).toBe(
      'Bearer realm="api", error="invalid_token", error_description="The access token is not bound to the proof of possession presented", ' +
        'DPoP realm="api", algs="ES256"',
    );
  });

  it('refuses certificate-bound tokens where mTLS is not configured, and treats MTLS_POP as no credentials there', async () => {
    const bearer = await sendTls(origin, '/off', { authorization: `Bearer ${bound}` }, payments);
    expect(bearer.status).toBe(401);
    expect(bearer.body.reason).toBe('token_sender_constrained');
    const pop = await sendTls(origin, '/off', { authorization: `MTLS_POP ${bound}` }, payments);
    expect(pop.status).toBe(401);
    expect(pop.body.reason).toBe('token_missing');
    expect(pop.headers['www-authenticate']).toBe('Bearer realm="api"');
  });
});

describe.each(FRAMEWORKS)('certificates forwarded by a TLS-terminating proxy on $name', ({ build }) => {
  let server: Server;
  let origin: string;
  const fromHeader = (request: VerifyRequest): string | undefined => {
    const value = request.headers?.['x-client-cert'];
    return typeof value === 'string' ? value : undefined;
  };

  beforeAll(async () => {
    server = build(
      [
        { path: '/proxied', chain: [authenticate(issuer.verifierOptions({ mtls: { getCertificate: fromHeader } }))] },
        { path: '/direct', chain: [authenticate(issuer.verifierOptions({ mtls: {} }))] },
      ],
      reasonErrorHandler,
    );
    origin = await listen(server);
  });
  afterAll(() => stop(server));

  it.each([
    ['a URL-encoded PEM (nginx $ssl_client_escaped_cert)', () => encodeURIComponent(payments.pem)],
    ['a PEM folded onto one line', () => payments.pem.replace(/\n/g, ' ')],
    ['the bare base64 of the DER', () => payments.der.toString('base64')],
  ])('answers 200 when the header holds %s of the bound certificate', async (_name, value) => {
    const res = await send(origin, '/proxied', { authorization: `Bearer ${bound}`, 'x-client-cert': value() });
    expect(res.status).toBe(200);
  });

  it.each([
    ['another certificate', () => encodeURIComponent(reports.pem), 'certificate_mismatch'],
    ['no header', undefined, 'certificate_missing'],
    ['text that is not a certificate', () => 'not a certificate', 'certificate_missing'],
    ['base64 that is not a certificate', () => Buffer.from('0123456789').toString('base64'), 'certificate_missing'],
    ['a PEM with a broken escape', () => '%E0%A4%A', 'certificate_missing'],
  ])('answers 401 when the header holds %s', async (_name, value, reason) => {
    const headers: OutgoingHttpHeaders = { authorization: `Bearer ${bound}` };
    if (value !== undefined) headers['x-client-cert'] = value();
    const res = await send(origin, '/proxied', headers);
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe(reason);
  });

  it('never reads a certificate header a client may forge, unless getCertificate reads it', async () => {
    const res = await send(origin, '/direct', {
      authorization: `Bearer ${bound}`,
      'x-client-cert': encodeURIComponent(payments.pem),
      'x-forwarded-client-cert': `Hash=${payments.thumbprint};Cert="${encodeURIComponent(payments.pem)}"`,
      'x-ssl-client-cert': encodeURIComponent(payments.pem),
    });
    expect(res.status).toBe(401);
    expect(res.body.reason).toBe('certificate_missing');
  });
});
