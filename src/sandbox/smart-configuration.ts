/**
 * The SMART App Launch 2.x discovery document of the sandbox (served by the service at
 * /fhir/.well-known/smart-configuration). In: the running provider (its endpoint URLs); out: the JSON.
 * See: https://hl7.org/fhir/smart-app-launch/conformance.html#metadata
 */
import type { OidcProvider } from './oidc-types';
import { supportedScopes } from './scopes-supported';

/** What the sandbox supports, in the spec's capability names. */
export const CAPABILITIES = [
  'launch-ehr',
  'launch-standalone',
  'client-public',
  'client-confidential-asymmetric',
  'context-ehr-patient',
  'context-standalone-patient',
  'permission-offline',
  'permission-patient',
  'permission-user',
  'permission-v2',
  'sso-openid-connect',
] as const;

export function smartConfiguration(provider: OidcProvider): Record<string, unknown> {
  return {
    issuer: provider.issuer,
    jwks_uri: provider.urlFor('jwks'),
    authorization_endpoint: provider.urlFor('authorization'),
    token_endpoint: provider.urlFor('token'),
    revocation_endpoint: provider.urlFor('revocation'),
    introspection_endpoint: provider.urlFor('introspection'),
    userinfo_endpoint: provider.urlFor('userinfo'),
    token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
    grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
    scopes_supported: supportedScopes(),
    response_types_supported: ['code'],
    code_challenge_methods_supported: ['S256'],
    capabilities: [...CAPABILITIES],
  };
}
