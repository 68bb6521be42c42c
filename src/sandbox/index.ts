/**
 * The sandbox EHR's authorization server: oidc-provider (loaded at start: it is ESM-only) configured for SMART
 * App Launch and Backend Services, with our sign-in page and launcher. In: the service's URL, the demo patients,
 * a data folder, a token lifetime and a logger; out: `SandboxAuth` (mount it on the express app before any body
 * parser; `verify` checks a bearer token for the /fhir guard). Logs carry no tokens, codes or patient ids.
 * See: https://hl7.org/fhir/smart-app-launch/ ; https://github.com/panva/node-oidc-provider/tree/v8.x
 */
import express, { type Express } from 'express';
import { randomBytes } from 'node:crypto';
import { isJsonObject } from '../fhir/json';
import type { Logger } from '../server/logger';
import { createBackendKey, createSigningKey } from './backend-client';
import { demoUsers } from './demo-users';
import { showInteraction, submitInteraction } from './interaction';
import { grantCount, launch, launcherPage, revoke, stylesheet } from './launcher-page';
import { GrantContexts, LaunchStore } from './launch-store';
import type { KoaMiddleware, OidcProvider } from './oidc-types';
import { loadOidcProvider } from './oidc-types';
import { AUTHORIZATION_ROUTE, mountPath, oauthErrorCode, providerConfiguration, REFRESH_TTL_SECONDS } from './provider-config';
import { smartConfiguration } from './smart-configuration';
import { StoreAdapter, TokenStore } from './token-store';
import type { SandboxAuth, SandboxAuthOptions, TokenContext } from './types';

export type { SandboxAuth, SandboxAuthOptions, SandboxUser, TokenContext } from './types';

/** The token models whose live entries make a grant active (for the admin view's count). */
const GRANT_TOKENS: ReadonlySet<string> = new Set(['AccessToken', 'RefreshToken']);

/** Opaque token values oidc-provider issues (base64url); anything else is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,512}$/;

/**
 * SMART clients ask for offline_access without prompt=consent, which oidc-provider (following OpenID Connect
 * Core 11) would then drop. Every request passes our sign-in step anyway, so consent is asked for them. The
 * parsed query is changed in place (Koa caches it per query string), leaving the request URL as it came.
 */
function offlineAccessAsksConsent(authorizationPath: string): KoaMiddleware {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === authorizationPath) {
      const query = ctx.query;
      const scopes = typeof query.scope === 'string' ? query.scope.split(' ') : [];
      const prompts = typeof query.prompt === 'string' ? query.prompt.split(' ') : [];
      if (scopes.includes('offline_access') && query.prompt === undefined) query.prompt = 'consent';
      else if (scopes.includes('offline_access') && prompts.length > 0 && !prompts.includes('none') && !prompts.includes('consent')) query.prompt = [...prompts, 'consent'].join(' ');
    }
    await next();
  };
}

/** The token response carries the launch patient (SMART's `patient`), also after a refresh. */
const tokenResponsePatient: KoaMiddleware = async (ctx, next) => {
  await next();
  if (ctx.oidc?.route !== 'token' || ctx.status !== 200 || !isJsonObject(ctx.body)) return;
  const patient = ctx.oidc.entities.AccessToken?.extra?.patient;
  if (typeof patient === 'string') ctx.body.patient = patient;
};

/**
 * The browser's sign-in session ends as soon as the authorization response is sent: tokens do not depend on it,
 * and the next launch (perhaps as someone else) starts clean instead of meeting oidc-provider's account switch.
 */
const endSignInSession: KoaMiddleware = async (ctx, next) => {
  await next();
  const session = ctx.oidc?.route === 'resume' ? ctx.oidc.session : undefined;
  if (session?.accountId !== undefined) await session.destroy();
};

function listen(provider: OidcProvider, logger: Logger): void {
  provider.app.silent = true;
  provider.app.on('error', (err) => logger.log('error', 'sandbox authorization server failed', { error: oauthErrorCode(err) }));
  provider.on('server_error', (_ctx, err) => logger.log('error', 'sandbox authorization server failed', { error: oauthErrorCode(err) }));
  for (const event of ['authorization.error', 'grant.error', 'introspection.error', 'revocation.error']) {
    provider.on(event, (_ctx, err) => logger.log('warn', 'sandbox request refused', { event, error: oauthErrorCode(err) }));
  }
  provider.on('grant.success', (ctx) => {
    const oidc = (ctx as { oidc?: { params?: Record<string, unknown>; client?: { clientId: string } } }).oidc;
    const grantType = oidc?.params?.grant_type;
    logger.log('info', 'sandbox token issued', { client: oidc?.client?.clientId, grant: typeof grantType === 'string' ? grantType : undefined });
  });
}

function checkUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${name} must be http or https`);
  return value.replace(/\/+$/, '');
}

export async function startSandboxAuth(options: SandboxAuthOptions): Promise<SandboxAuth> {
  const publicUrl = checkUrl('publicUrl', options.publicUrl);
  const fhirBaseUrl = checkUrl('fhirBaseUrl', options.fhirBaseUrl);
  if (!Number.isInteger(options.accessTokenTtlSeconds) || options.accessTokenTtlSeconds < 1) throw new Error('accessTokenTtlSeconds must be a positive integer');
  const { logger, patients, appClientId } = options;
  const issuer = `${publicUrl}/auth`;
  const users = demoUsers(patients);

  const [oidc, backend, signingKey] = await Promise.all([loadOidcProvider(), createBackendKey(options.dataDir), createSigningKey()]);
  const store = new TokenStore();
  const launches = new LaunchStore();
  const grants = new GrantContexts(REFRESH_TTL_SECONDS);
  const configuration = providerConfiguration({
    oidc,
    publicUrl,
    fhirBaseUrl,
    appClientId,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    backend,
    signingKey,
    cookieKeys: [randomBytes(32).toString('base64url')],
    adapter: (model: string) => new StoreAdapter(store, model),
    users,
    launches,
    grants,
  });
  const provider = new oidc.default(issuer, configuration);
  listen(provider, logger);
  provider.use(offlineAccessAsksConsent(AUTHORIZATION_ROUTE));
  provider.use(tokenResponsePatient);
  provider.use(endSignInSession);

  const discovery = smartConfiguration(provider);
  const backendClient = { clientId: backend.clientId, keyFile: backend.keyFile };

  async function revokeUser(fhirUser: string): Promise<number> {
    const ids = grants.grantsOf(fhirUser);
    for (const grantId of ids) {
      await Promise.all([provider.AccessToken, provider.RefreshToken, provider.AuthorizationCode].map((model) => model.revokeByGrantId(grantId)));
      await (await provider.Grant.find(grantId))?.destroy();
      grants.delete(grantId);
    }
    return ids.length;
  }

  /** How many grants of the user still have a live access or refresh token. */
  function activeGrants(fhirUser: string): number {
    return grants.grantsOf(fhirUser).filter((grantId) => store.hasLive(grantId, GRANT_TOKENS)).length;
  }

  async function verify(accessToken: string): Promise<TokenContext | undefined> {
    if (typeof accessToken !== 'string' || !TOKEN_SHAPE.test(accessToken)) return undefined;
    const token = await provider.AccessToken.find(accessToken);
    if (token !== undefined) {
      if (token.isExpired || token.grantId === undefined) return undefined;
      const grant = await provider.Grant.find(token.grantId);
      if (grant === undefined || grant.clientId !== token.clientId || grant.accountId !== token.accountId) return undefined;
      const { patient, fhirUser } = token.extra ?? {};
      return {
        clientId: token.clientId,
        scopes: (token.scope ?? '').split(' ').filter((s) => s !== ''),
        ...(typeof patient === 'string' ? { patient } : {}),
        ...(typeof fhirUser === 'string' ? { fhirUser } : {}),
        expiresAt: token.exp,
      };
    }
    const system = await provider.ClientCredentials.find(accessToken);
    if (system === undefined || system.isExpired) return undefined;
    return { clientId: system.clientId, scopes: (system.scope ?? '').split(' ').filter((s) => s !== ''), expiresAt: system.exp };
  }

  let closed = false;
  return {
    issuer,
    users,
    backendClient,
    smartConfiguration: () => structuredClone(discovery),
    verify: (token) => (closed ? Promise.resolve(undefined) : verify(token)),
    mount(app: Express): void {
      const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 });
      const base = mountPath(issuer);
      const interactionDeps = { provider, users, patients, launches, grants, logger };
      const launcherDeps = { fhirBaseUrl, patients, users, launches, backendClient, tokenEndpoint: provider.urlFor('token'), revokeUser, activeGrants, logger };
      app.get('/sandbox', launcherPage(launcherDeps));
      app.get('/sandbox/sandbox.css', stylesheet);
      app.post('/sandbox/launch', form, launch(launcherDeps));
      app.post('/sandbox/revoke', form, revoke(launcherDeps));
      app.get('/sandbox/grants', grantCount(launcherDeps));
      app.get(`${base}/interaction/:uid`, showInteraction(interactionDeps));
      app.post(`${base}/interaction/:uid`, form, submitInteraction(interactionDeps));
      app.use(base, provider.callback());
    },
    close(): Promise<void> {
      closed = true;
      store.clear();
      launches.clear();
      grants.clear();
      return Promise.resolve();
    },
  };
}
