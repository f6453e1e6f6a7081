/**
 * `bearer-guard/testing`: a local OAuth 2.0 authorization server for your tests and demos.
 *
 * NEVER use it in production. It listens on loopback only, keeps keys and client secrets in memory and
 * exists so that tests exercise the real path (discovery, JWKS fetch, signature, claims) with real tokens
 * instead of mocks.
 *
 * This module only re-exports.
 */
export { createTestIssuer } from './create-test-issuer.js';
export type { RotateKeysOptions, TestIssuer } from './test-issuer.js';
export type { TestEntraOptions, TestIssuerOptions } from './test-issuer-options.js';
export type { TestEntraTenant } from './entra-tenant.js';
export { createClientCertificate, type TestClientCertificate } from './client-certificate.js';
export { DEFAULT_CLIENT_ID, type SignTokenOptions, type TestTokenClaims } from './mint-token.js';
export type { OpaqueTokenOptions, TestIssuerIntrospection } from './opaque-tokens.js';
export type { EncryptTokenOptions, TestDecryptionKeys } from './encrypt-token.js';
export { TOKEN_PRESETS, type TokenPreset } from './token-presets.js';
export { TEST_SIGNING_ALGORITHMS, type TestSigningAlgorithm } from './signing-keys.js';
export { createClientKey, type TestClient, type TestClientAuthMethod, type TestClientKey } from './test-client.js';
export {
  certificateConfirmation,
  createDpopKey,
  type DpopProofRequest,
  type TestDpopKey,
} from './dpop-key.js';
