/**
 * SMART on FHIR for Gradus. In come browser visits (launches, callbacks, signed-in page requests) and their
 * session cookie; out go redirects to the authorization server, a SmartContext per signed-in request (the
 * FHIR server, patient, user, scopes, a FhirClient with a refreshed token, the CSRF token) and plain error
 * pages. Tokens stay in the server-side session. The only door to src/smart.
 */
// The app's SMART client side (launch, callback, sessions, CSRF, pages).
export { smartRoutes } from './launch';
export { requireSmart, smartContext, smartErrors, withSmartErrors, fhirUserOf, type SmartContext } from './context';
export { checkCsrf, csrfMatches } from './csrf';
export { EHR_SCOPES, STANDALONE_SCOPES, resolveSmartOptions, type SmartOptions, type ResolvedSmartOptions } from './options';
export { SessionStore, SESSION_COOKIE, type Session, type SessionStoreOptions } from './session';
export { SmartAccessEnded, AuthServerUnavailable, REFRESH_MARGIN_SECONDS } from './tokens';
export { sendPage, launchFailedPage, signInNeededPage, notAllowedPage, signedOutPage, type Page, type Link } from './pages';

// Scope parsing and access enforcement of /fhir (scopes.ts, access*.ts).
export { parseScopes, permits, type Interaction, type ScopeRule } from './scopes';
export { checkAccess, storeReader, type AccessDecision, type AccessRequest, type AccessToken, type ReadResource } from './access';

// SMART Backend Services: client credentials with a signed JWT assertion (backend-services.ts).
export {
  backendTokenSource,
  readPrivateKey,
  importBackendKey,
  clientAssertion,
  discoverTokenEndpoint,
  requestBackendToken,
  BackendAuthError,
  DEFAULT_BACKEND_SCOPE,
  type BackendAlg,
  type BackendKey,
  type PrivateKeyInput,
} from './backend-services';
