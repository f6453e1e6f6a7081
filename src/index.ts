/**
 * bearer-guard: OAuth 2.0 access-token protection for Express and Connect, web-standard `Request`s
 * (`createWebAuthenticator`) and Fastify (`bearer-guard/fastify`). `req.auth` is not declared on Express's
 * `Request` here (read it with `getAuth(req)`); `bearer-guard/express` adds that declaration.
 *
 * middleware/ and adapters/ (the only code touching framework requests) → access/ (authentication and
 * route guards, framework neutral) → request/ (the credential) → verify/ (the pipeline:
 * format → issuer → key → signature → claims → binding → identity → caller) → guards/ (scopes, roles).
 * profiles/ holds one object per issuer family and its preset; verifier/ assembles a verifier.
 *
 * This module only re-exports.
 */
export { DEFAULTS } from './defaults.js';
export type { JsonObject } from './json.js';

export {
  AuthenticationRequiredError,
  AuthError,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  isAuthError,
  MissingTokenError,
  type AuthErrorCode,
  type AuthErrorOptions,
  type AuthErrorReason,
  type InsufficientScopeErrorOptions,
  type InsufficientScopeReason,
  type InvalidRequestReason,
  type InvalidTokenErrorOptions,
  type InvalidTokenReason,
  type IntrospectionUnavailableReason,
  type KeysUnavailableReason,
  type MissingTokenReason,
  type OAuthErrorCode,
} from './errors/auth-errors.js';
export {
  IntrospectionUnavailableError,
  KeysUnavailableError,
  type IntrospectionUnavailableErrorOptions,
  type KeysUnavailableErrorOptions,
} from './errors/unavailable-errors.js';
export type { AuthParam } from './errors/challenge.js';

export { InvalidDpopProofError, type InvalidDpopProofErrorOptions } from './errors/dpop-errors.js';
export type { DpopChallengeOptions } from './errors/dpop-challenge.js';
export type { InvalidDpopProofReason } from './errors/reasons.js';
export type { DpopOptions, MtlsOptions } from './verify/config/binding-options.js';
export {
  createMemoryReplayStore,
  type MemoryReplayStore,
  type MemoryReplayStoreOptions,
  type ReplayStore,
} from './verify/binding/replay-store.js';
export { createSharedReplayStore, type SharedReplayStoreOptions } from './verify/binding/shared-replay-store.js';

export { createVerifier, type BearerVerifier } from './verifier/create-verifier.js';
export type {
  DocumentStatus,
  FetchFailureStatus,
  IntrospectionStatus,
  IssuerStatus,
  KeySetDocumentStatus,
  VerifierStatus,
} from './verifier/verifier-status.js';
export type { Verifier } from './verify/verifier.js';
export type { PresetOptions, VerifierOptions } from './verify/verifier-options.js';
export type { ValidateRule } from './verify/caller/check-validate.js';
export type { PublicKeyInput, PublicKeys } from './verify/config/resolve-public-keys.js';
export type { IssuerResolver, ResolverRequest } from './verify/issuer/issuer-resolver.js';
export type { VerifyRequest } from './request/verify-request.js';
export type { AuthInfo } from './verify/identity/auth-info.js';
export type { ClaimLocationLists, ClaimLocations, ClaimPath, ClaimPathList } from './verify/identity/claim-types.js';
export type { IssuerProfile } from './verify/issuer-family.js';
export type { KeyOptions } from './verify/keys/key-options.js';
export type { SupportedAlgorithm } from './verify/keys/algorithms.js';
export type { TokenCacheOptions } from './verify/cache/token-cache.js';
export type {
  IntrospectionCacheOptions,
  IntrospectionClientAuth,
  IntrospectionOptions,
} from './introspection/introspection-options.js';
export type { DecryptionOptions } from './verify/format/decryption-options.js';
export type { DecryptionKeyInput } from './verify/format/decryption-keys.js';
export { KeyFetchError, type FetchFailureKind, type FetchLike } from './http/fetch-json.js';

export {
  extractToken,
  type CredentialScheme,
  type ExtractedToken,
  type ExtractTokenOptions,
  type TokenLocation,
  type TokenRequest,
} from './request/extract-token.js';

export {
  effectiveScopes,
  hasRoles,
  hasScopes,
  hasScopesOrRoles,
  type GrantMatchOptions,
  type MatchMode,
  type ScopesOrRoles,
} from './guards/check-grants.js';

export { authenticate, type AuthenticateOptions } from './middleware/authenticate.js';
export {
  requireClaims,
  requireRoles,
  requireScopes,
  requireScopesOrRoles,
  type GuardMiddleware,
} from './middleware/require-grants.js';
export type { GuardOptions, MatchGuardOptions } from './access/guard-options.js';
export type { ClaimRule } from './access/route-guards.js';
export type { GuardHandle } from './access/route-guard.js';
export { authErrorHandler, toAuthErrorBody, type AuthErrorBody } from './middleware/error-handler.js';
export { getAuth } from './middleware/get-auth.js';
export {
  authorize,
  createWebAuthenticator,
  MAX_FORM_BODY_BYTES,
  toAuthResponse,
  type Authorize,
  type OptionalWebAuthenticator,
  type WebAuthenticator,
} from './adapters/web-authenticator.js';
export type { AuthRequest, ErrorMiddleware, Middleware, MiddlewareRequest, NextFunction } from './middleware/handler-types.js';
export { protectedResourceMetadata } from './middleware/protected-resource-metadata.js';
export type { BearerMethod, ProtectedResourceMetadataOptions, Rfc9728MetadataOptions } from './middleware/resource-metadata-options.js';
export { toMcpAuthInfo, type McpAuthInfo, type McpAuthInfoExtra } from './middleware/to-mcp-auth-info.js';

export {
  KEY_EVENTS_CHANNEL,
  onKeyEvent,
  type KeyEvent,
  type KeyResource,
  type KeysFetchedEvent,
  type KeysRefreshFailedEvent,
  type KeysRotatedEvent,
  type KeysServedStaleEvent,
  type RefreshTrigger,
} from './events/key-events.js';
export {
  onVerifyEvent,
  VERIFY_EVENTS_CHANNEL,
  type OutcomeStage,
  type TokenAcceptedEvent,
  type TokenRejectedEvent,
  type VerifyEvent,
} from './events/verify-events.js';

export type { SharedStore } from './stores/shared-store.js';
export {
  createRedisStore,
  type IoRedisClientLike,
  type NodeRedisClientLike,
  type RedisStoreOptions,
} from './stores/redis-store.js';

export { entraId, type EntraIdOptions } from './profiles/entra/preset.js';
export { auth0, type Auth0Options } from './profiles/auth0/preset.js';
export { cognito, type CognitoOptions } from './profiles/cognito/preset.js';
export { keycloak, type KeycloakOptions } from './profiles/keycloak/preset.js';
export { okta, type OktaOptions } from './profiles/okta/preset.js';
export { rfc9068, type Rfc9068Options } from './profiles/rfc9068/preset.js';
export { openIddict, type OpenIddictOptions } from './profiles/openiddict/preset.js';
export { azureAdB2C, type AzureAdB2COptions } from './profiles/b2c/preset.js';
