/**
 * bearer-guard: OAuth 2.0 Bearer access-token protection for Express and Connect.
 *
 * request → token/ (RFC 6750 §2) → keys/ (discovery, JWKS, cache) → verify/ (signature, claims)
 * → identity/ (req.auth) → guards/ (scopes, roles) → middleware/ (RFC 6750 §3 answers)
 *
 * This module only re-exports.
 */
import './middleware/express-augment.js';

export type {
  AuthInfo,
  ClaimLocationLists,
  ClaimLocations,
  ClaimPath,
  ClaimPathList,
  FetchLike,
  IssuerProfile,
  JsonObject,
  KeyOptions,
  PresetOptions,
  SupportedAlgorithm,
  TokenCacheOptions,
  Verifier,
  VerifierOptions,
} from './types.js';

export {
  AuthenticationRequiredError,
  AuthError,
  DEFAULT_REALM,
  InsufficientScopeError,
  InvalidRequestError,
  InvalidTokenError,
  isAuthError,
  KeysUnavailableError,
  MissingTokenError,
} from './errors.js';
export type {
  AuthErrorCode,
  AuthErrorOptions,
  AuthErrorReason,
  InsufficientScopeErrorOptions,
  InsufficientScopeReason,
  InvalidRequestReason,
  InvalidTokenReason,
  KeysUnavailableErrorOptions,
  KeysUnavailableReason,
  MissingTokenReason,
  OAuthErrorCode,
} from './errors.js';

export { createVerifier, type BearerVerifier } from './verify/create-verifier.js';
export { DEFAULT_CLOCK_TOLERANCE, DEFAULT_MAX_TOKEN_LENGTH } from './verify/resolve-options.js';
export { TOKEN_CACHE_DEFAULTS } from './verify/token-cache.js';
export { KEY_DEFAULTS } from './keys/key-options.js';
export { SUPPORTED_ALGORITHMS } from './keys/algorithms.js';
export { KeyFetchError, type FetchFailureKind } from './keys/fetch-json.js';

export {
  extractToken,
  type ExtractedToken,
  type ExtractTokenOptions,
  type TokenLocation,
  type TokenRequest,
} from './token/extract-token.js';

export {
  hasRoles,
  hasScopes,
  hasScopesOrRoles,
  type GrantMatchOptions,
  type MatchMode,
  type ScopesOrRoles,
} from './guards/check-grants.js';

export { authenticate, type AuthenticateOptions } from './middleware/authenticate.js';
export { requireRoles, requireScopes, requireScopesOrRoles } from './middleware/require-grants.js';
export type { GuardOptions, MatchGuardOptions } from './middleware/guard-options.js';
export { authErrorHandler, toAuthErrorBody, type AuthErrorBody } from './middleware/error-handler.js';
export type { AuthRequest, ErrorMiddleware, Middleware, NextFunction } from './middleware/handler-types.js';

export {
  KEY_EVENTS_CHANNEL,
  onKeyEvent,
  onVerifyEvent,
  VERIFY_EVENTS_CHANNEL,
  type KeyEvent,
  type KeyResource,
  type KeysFetchedEvent,
  type KeysRefreshFailedEvent,
  type KeysRotatedEvent,
  type KeysServedStaleEvent,
  type RefreshTrigger,
  type TokenAcceptedEvent,
  type TokenRejectedEvent,
  type VerifyEvent,
} from './events.js';

export { entraId, type EntraIdOptions } from './profiles/entra-id.js';
export {
  auth0,
  cognito,
  keycloak,
  okta,
  rfc9068,
  type Auth0Options,
  type CognitoOptions,
  type KeycloakOptions,
  type OktaOptions,
  type Rfc9068Options,
} from './profiles/issuer-presets.js';
