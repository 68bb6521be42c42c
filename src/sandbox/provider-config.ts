/**
 * oidc-provider's configuration for the sandbox EHR. In: the service's URLs, the keys, the stores and the demo
 * users; out: the configuration object for `new Provider(issuer, configuration)`: the public app client
 * (PKCE S256 required) and the backend client (private_key_jwt, ES384), SMART's `launch` and `aud` parameters,
 * the SMART scopes, opaque access tokens carrying the launch context, and our own sign-in page.
 * See: https://github.com/panva/node-oidc-provider/blob/v8.x/docs/README.md#configuration-options
 */
import type { JWK } from 'jose';
import type { BackendKey } from './backend-client';
import { html } from '../html';
import { CONTENT_SECURITY_POLICY, page } from './html';
import type { GrantContexts, LaunchStore } from './launch-store';
import type { KoaContext, OidcModule } from './oidc-types';
import { appClientScopes, resourceScopes, supportedScopes } from './scopes-supported';
import type { SandboxUser } from './types';

/** Refresh tokens and grants live a week; the in-memory sandbox forgets everything on restart anyway. */
export const REFRESH_TTL_SECONDS = 7 * 24 * 3600;
/** The authorization endpoint's route under the issuer (`/auth/authorize`). */
export const AUTHORIZATION_ROUTE = '/authorize';
/** How long a sign-in page may stay open. */
export const INTERACTION_TTL_SECONDS = 600;

export interface ProviderConfigInput {
  oidc: OidcModule;
  publicUrl: string;
  fhirBaseUrl: string;
  appClientId: string;
  accessTokenTtlSeconds: number;
  backend: BackendKey;
  signingKey: JWK;
  cookieKeys: string[];
  /** oidc-provider's storage factory (one adapter per model name). */
  adapter: (model: string) => unknown;
  users: readonly SandboxUser[];
  launches: LaunchStore;
  grants: GrantContexts;
}

const withoutSlash = (url: string): string => url.replace(/\/+$/, '');

/** The path oidc-provider is mounted at (the issuer's path, `/auth`). */
export function mountPath(issuer: string): string {
  return withoutSlash(new URL(issuer).pathname);
}

/** The error page oidc-provider shows when it cannot send the error back to the client. */
function renderError(ctx: KoaContext, out: Record<string, unknown>): Promise<void> {
  const code = typeof out.error === 'string' ? out.error : 'server_error';
  const description = typeof out.error_description === 'string' ? out.error_description : '';
  ctx.type = 'html';
  ctx.set('cache-control', 'no-store');
  ctx.set('content-security-policy', CONTENT_SECURITY_POLICY);
  ctx.set('referrer-policy', 'same-origin');
  ctx.body = page(
    'Sign-in failed',
    html`<h1>Sign-in failed</h1>
<p>The sandbox's authorization server refused the request: <code>${code}</code>${description === '' ? '' : html` (${description})`}.</p>
<p><a href="/sandbox">Back to the sandbox launcher</a></p>`,
  );
  return Promise.resolve();
}

export function providerConfiguration(input: ProviderConfigInput): Record<string, unknown> {
  const { oidc, publicUrl, fhirBaseUrl, launches, grants, users } = input;
  const { InvalidRequest } = oidc.errors;
  const base = mountPath(`${publicUrl}/auth`);

  const policy = oidc.interactionPolicy.base();
  // Every authorization request passes our sign-in page (or, for an EHR launch, its automatic sign-in):
  // an earlier sign-in in the same browser must not carry over to a launch for someone else.
  policy.get('login')?.checks.add(
    new oidc.interactionPolicy.Check('sandbox_sign_in', 'every authorization request signs in on the sandbox page', (ctx) => ctx.oidc?.result?.login === undefined),
    0,
  );

  return {
    adapter: input.adapter,
    clients: [
      {
        client_id: input.appClientId,
        client_name: 'Gradus',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${publicUrl}/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: appClientScopes().join(' '),
      },
      {
        client_id: input.backend.clientId,
        client_name: 'Gradus nightly progression',
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: 'ES384',
        jwks: { keys: [input.backend.publicJwk] },
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: resourceScopes('system').join(' '),
      },
    ],
    clientAuthMethods: ['none', 'private_key_jwt'],
    enabledJWA: { clientAuthSigningAlgValues: ['RS384', 'ES384'] },
    jwks: { keys: [input.signingKey] },
    cookies: {
      keys: input.cookieKeys,
      names: { session: 'gradus_auth_session', interaction: 'gradus_auth_interaction', resume: 'gradus_auth_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: { authorization: AUTHORIZATION_ROUTE },
    responseTypes: ['code'],
    scopes: supportedScopes(),
    claims: { openid: ['sub'], fhirUser: ['fhirUser'], profile: ['name'] },
    // Scope claims (fhirUser) go into the ID token too, not only to /userinfo.
    conformIdTokenClaims: false,
    extraParams: {
      aud(_ctx: unknown, value: unknown): void {
        if (typeof value !== 'string' || value === '') throw new InvalidRequest("the 'aud' parameter (the FHIR server's base URL) is required");
        if (withoutSlash(value) !== withoutSlash(fhirBaseUrl)) throw new InvalidRequest("'aud' is not this server's FHIR base URL");
      },
      launch(_ctx: unknown, value: unknown): void {
        if (value === undefined) return;
        if (typeof value !== 'string' || !launches.has(value)) throw new InvalidRequest('the launch is unknown, already used or expired');
      },
    },
    // Opaque access tokens keep the launch context with them (introspection returns it; verify reads it).
    extraTokenClaims(_ctx: unknown, token: { grantId?: unknown }): Promise<Record<string, string> | undefined> {
      const context = typeof token.grantId === 'string' ? grants.get(token.grantId) : undefined;
      if (context === undefined) return Promise.resolve(undefined);
      return Promise.resolve({ fhirUser: context.fhirUser, ...(context.patient === undefined ? {} : { patient: context.patient }) });
    },
    // Tokens live by their TTL and revocation, not by the browser's sign-in session (ended after each sign-in).
    expiresWithSession: () => Promise.resolve(false),
    findAccount(_ctx: unknown, sub: string) {
      const user = users.find((u) => u.id === sub);
      if (user === undefined) return Promise.resolve(undefined);
      return Promise.resolve({
        accountId: user.id,
        claims: () => Promise.resolve({ sub: user.id, fhirUser: user.fhirUser, name: user.name }),
      });
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      introspection: {
        enabled: true,
        // A public client may introspect only its own tokens.
        allowedPolicy: (ctx: KoaContext, client: { clientId: string; clientAuthMethod: string }, token: { clientId?: string }) =>
          Promise.resolve(!(client.clientAuthMethod === 'none' && token.clientId !== ctx.oidc?.client?.clientId)),
      },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      userinfo: { enabled: true },
    },
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => Promise.resolve(`${base}/interaction/${encodeURIComponent(interaction.uid)}`),
      policy,
    },
    pkce: { methods: ['S256'], required: () => true },
    ttl: {
      AccessToken: input.accessTokenTtlSeconds,
      ClientCredentials: input.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      RefreshToken: REFRESH_TTL_SECONDS,
      Grant: REFRESH_TTL_SECONDS,
      Interaction: INTERACTION_TTL_SECONDS,
      Session: INTERACTION_TTL_SECONDS,
    },
    renderError,
    // Every token request comes from the service itself (server side), never from a browser page.
    clientBasedCORS: () => false,
  };
}

/** For logs: an OAuth error code, never a description (which may quote request values). */
export function oauthErrorCode(err: unknown): string {
  const code = (err as { error?: unknown } | undefined)?.error;
  if (typeof code === 'string' && /^[a-z_]{1,64}$/.test(code)) return code;
  const name = (err as Error | undefined)?.name;
  return typeof name === 'string' && /^[A-Za-z]{1,64}$/.test(name) ? name : 'Error';
}
