/**
 * The SMART App Launch routes. In come the browser's visits: GET /launch (EHR launch `?iss&launch`, standalone
 * `?iss`), GET /callback (`?code&state`, or `?error` from the authorization server) and POST /logout (a form with
 * `csrf`: the session ends, then its tokens are revoked at the authorization server, best effort, src/smart/revoke.ts).
 * Out go redirects (to the authorization server; after sign-in to /app for a Practitioner, /me for a Patient) or a
 * clear page ("Launch failed", "Not allowed", "Signed out"). fhirclient does discovery,
 * PKCE S256 and the token exchange; Gradus checks `iss`, the one-time `state`, and the launch context.
 * See: https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html
 */
import express, { type Request, type Response, type Router } from 'express';
import { decodeJwt, type JWTPayload } from 'jose';
import { fhirUserOf } from './context';
import { checkCsrf } from './csrf';
import { discover, isFhirclientHttpError, oauthErrorOf, objectStorage, SMART_KEY, smartApi, type LaunchState, type SmartClient } from './fhirclient';
import { normalizeBaseUrl, resolveSmartOptions, type ResolvedSmartOptions, type SmartOptions } from './options';
import { launchFailedPage, sendPage, signedOutPage } from './pages';
import { heldTokens, tokenRevoker } from './revoke';
import { endSession, randomToken, renewSession, sessionFor, startSession, type Session } from './session';

/** At most this many launches may be waiting for their callback in one session (the newest are kept). */
const MAX_PENDING_LAUNCHES = 5;

/** A query parameter given once as a non-empty string of at most `max` characters; else undefined. */
function single(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= max ? value : undefined;
}

/** A launch that cannot go on: the status and the reason shown on the "Launch failed" page. */
class LaunchFailure extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly event: string,
  ) {
    super(reason);
    this.name = 'LaunchFailure';
  }
}

const clip = (text: string, max = 300): string => (text.length > max ? `${text.slice(0, max)}...` : text);

async function withTimeout<T>(work: Promise<T>, ms: number, failure: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(failure()), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the authorization request and returns the authorization server's URL to redirect to. */
async function authorizeUrl(options: ResolvedSmartOptions, session: Session, iss: string, launch: string | undefined): Promise<string> {
  let config;
  try {
    config = await discover(iss, options.authTimeoutMs);
  } catch {
    throw new LaunchFailure(502, `Could not read the SMART configuration of the FHIR server at ${clip(iss)}.`, 'discovery-failed');
  }
  const methods = config.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    throw new LaunchFailure(502, `The FHIR server at ${clip(iss)} does not offer PKCE with S256, which Gradus requires.`, 'no-pkce');
  }
  const stateKey = randomToken();
  // fhirclient deletes the state of the launch it last started; other launches of this session must survive.
  delete session.storage[SMART_KEY];
  const url = await smartApi(options.publicUrl, objectStorage(session.storage)).authorize({
    iss,
    ...(launch !== undefined ? { launch } : {}),
    clientId: options.clientId,
    scope: launch !== undefined ? options.ehrScopes : options.standaloneScopes,
    redirectUri: options.redirectUri,
    pkceMode: options.pkceMode,
    stateKey,
    noRedirect: true,
  });
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) {
    delete session.storage[stateKey];
    throw new LaunchFailure(502, `The FHIR server at ${clip(iss)} names no authorization endpoint.`, 'no-authorize-endpoint');
  }
  options.sessions.addLaunch(session, stateKey, MAX_PENDING_LAUNCHES);
  return url;
}

/** Why the authorization server refused the code (or could not be asked), for the page. */
function exchangeFailure(err: unknown): LaunchFailure {
  if (err instanceof LaunchFailure) return err;
  if (isFhirclientHttpError(err) && err.status < 500) {
    const detail = oauthErrorOf(err);
    return new LaunchFailure(400, `The authorization server refused the sign-in code${detail !== undefined ? ` (${clip(detail)})` : ''}.`, 'code-refused');
  }
  return new LaunchFailure(502, 'The sign-in could not be completed with the authorization server.', 'exchange-failed');
}

/** Checks what the token exchange gave: a token, the patient context, a Practitioner or Patient user, an id_token for this app. */
function checkGrant(options: ResolvedSmartOptions, state: LaunchState): { fhirUser: string; home: string } {
  const tokens = state.tokenResponse;
  if (typeof tokens?.access_token !== 'string') throw new LaunchFailure(502, 'The authorization server gave no access token.', 'no-token');
  if (typeof tokens.patient !== 'string' || tokens.patient === '') {
    throw new LaunchFailure(400, 'The sign-in gave Gradus no patient to work with (no patient context).', 'no-patient');
  }
  if (typeof tokens.id_token === 'string') {
    let claims: JWTPayload;
    try {
      claims = decodeJwt(tokens.id_token);
    } catch {
      throw new LaunchFailure(502, 'The authorization server gave an unreadable identity token.', 'bad-id-token');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(options.clientId) || (claims.exp !== undefined && claims.exp * 1000 < Date.now())) {
      throw new LaunchFailure(502, 'The identity token is not for this app or has expired.', 'bad-id-token');
    }
  }
  const fhirUser = fhirUserOf(tokens);
  if (fhirUser?.startsWith('Practitioner/')) return { fhirUser, home: options.practitionerHome };
  if (fhirUser?.startsWith('Patient/')) return { fhirUser, home: options.patientHome };
  throw new LaunchFailure(400, 'Gradus has pages for clinicians (Practitioner) and patients (Patient) only; the sign-in named neither.', 'no-fhir-user');
}

/** Completes a launch: the code for tokens; returns where the user goes. Callers have checked and used up `stateKey`. */
async function completeLaunch(options: ResolvedSmartOptions, session: Session, stateKey: string, code: string): Promise<{ serverUrl: string; home: string }> {
  let client: SmartClient;
  let open = true; // a token exchange that answers after the timeout must not write into the session
  try {
    const ready = smartApi(options.publicUrl, objectStorage(session.storage, () => open)).ready({ stateKey, code });
    client = await withTimeout(ready, options.authTimeoutMs, () => new LaunchFailure(504, 'The authorization server did not answer in time.', 'exchange-timeout'));
  } catch (err) {
    throw exchangeFailure(err);
  } finally {
    open = false;
  }
  const state = client.state;
  const serverUrl = normalizeBaseUrl(state.serverUrl);
  if (!options.issuers.includes(serverUrl)) throw new LaunchFailure(400, 'The sign-in was for a FHIR server Gradus is not set up for.', 'wrong-server');
  const { home } = checkGrant(options, state);
  if (session.ended) throw new LaunchFailure(400, 'This session ended while signing in.', 'session-ended');
  // fhirclient refreshes only when the granted scope lists offline_access; a server may omit an unchanged scope.
  state.tokenResponse = { ...state.tokenResponse, scope: state.tokenResponse?.scope ?? state.scope ?? '' };
  session.storage[stateKey] = state;
  const previous = session.servers[serverUrl];
  if (previous !== undefined && previous !== stateKey) delete session.storage[previous];
  session.servers[serverUrl] = stateKey;
  session.current = serverUrl;
  delete session.storage[SMART_KEY];
  return { serverUrl, home };
}

/** The authorization endpoint's error codes (only these are logged by name). See: https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 */
const OAUTH_ERRORS = ['invalid_request', 'unauthorized_client', 'access_denied', 'unsupported_response_type', 'invalid_scope', 'server_error', 'temporarily_unavailable', 'login_required', 'consent_required', 'interaction_required'];

const NOT_STARTED_HERE = 'This sign-in link was not started in this browser, or it was already used.';

/** GET /launch, GET /callback and POST /logout, as an express Router mounted at the app's root. */
export function smartRoutes(options: SmartOptions): Router {
  const o = resolveSmartOptions(options);
  const router = express.Router();
  const requestIdOf = (res: Response): string | undefined => (typeof res.locals.requestId === 'string' ? res.locals.requestId : undefined);
  const log = (res: Response, message: string, outcome: string, extra: Record<string, string> = {}): void =>
    o.logger?.log(outcome === 'ok' ? 'info' : 'warn', message, { requestId: requestIdOf(res), outcome, ...extra });
  const revoke = tokenRevoker({ clientId: o.clientId, ...(o.logger !== undefined ? { logger: o.logger } : {}) });
  const fail = (res: Response, message: string, err: unknown): void => {
    const failure = err instanceof LaunchFailure ? err : new LaunchFailure(500, 'Something went wrong while signing in.', 'error');
    log(res, message, failure.event);
    sendPage(res, failure.status, launchFailedPage(failure.reason, o.launcherUrl));
  };

  router.get('/launch', async (req: Request, res: Response) => {
    const iss = single(req.query.iss, 2048);
    const launch = req.query.launch === undefined ? undefined : single(req.query.launch, 1024);
    try {
      if (iss === undefined) throw new LaunchFailure(400, 'The launch link names no FHIR server (iss).', 'no-iss');
      const issuer = o.issuers.find((known) => known === normalizeBaseUrl(iss));
      if (issuer === undefined) throw new LaunchFailure(400, `Gradus is not set up for the FHIR server at ${clip(iss)}.`, 'unknown-iss');
      if (req.query.launch !== undefined && launch === undefined) throw new LaunchFailure(400, 'The launch link has an unreadable launch id.', 'bad-launch');
      const session = startSession(req, res, o.sessions);
      const url = await authorizeUrl(o, session, issuer, launch);
      log(res, 'smart launch', 'ok', { kind: launch !== undefined ? 'ehr' : 'standalone' });
      res.set('cache-control', 'no-store').redirect(302, url);
    } catch (err) {
      fail(res, 'smart launch', err);
    }
  });

  router.get('/callback', async (req: Request, res: Response) => {
    try {
      const session = sessionFor(req, o.sessions);
      const stateKey = single(req.query.state, 256);
      if (!session || stateKey === undefined || !o.sessions.launchPending(session, stateKey)) {
        throw new LaunchFailure(400, NOT_STARTED_HERE, 'state-not-pending');
      }
      session.pending.delete(stateKey); // one use, before anything else can fail
      const error = single(req.query.error, 256);
      if (error !== undefined) {
        delete session.storage[stateKey];
        const description = single(req.query.error_description, 1000);
        const denied = error === 'access_denied' ? 'The sign-in was declined.' : 'The authorization server refused the sign-in.';
        const event = OAUTH_ERRORS.includes(error) ? `error-${error}` : 'error-other';
        throw new LaunchFailure(400, `${denied} It answered: ${clip(description !== undefined ? `${error}: ${description}` : error)}`, event);
      }
      const code = single(req.query.code, 2048);
      if (code === undefined) {
        delete session.storage[stateKey];
        throw new LaunchFailure(400, 'The authorization server sent no sign-in code.', 'no-code');
      }
      let done;
      try {
        done = await completeLaunch(o, session, stateKey, code);
      } catch (err) {
        delete session.storage[stateKey];
        throw err;
      }
      renewSession(req, res, o.sessions, session);
      log(res, 'smart callback', 'ok');
      res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).redirect(303, done.home);
    } catch (err) {
      fail(res, 'smart callback', err);
    }
  });

  router.post(
    '/logout',
    express.urlencoded({ extended: false, limit: '4kb', parameterLimit: 10 }),
    (req: Request, res: Response, next) => {
      if (sessionFor(req, o.sessions)) return next();
      endSession(req, res, o.sessions, undefined);
      sendPage(res, 200, signedOutPage(o.launcherUrl));
    },
    checkCsrf,
    async (req: Request, res: Response) => {
      const session = sessionFor(req, o.sessions);
      // The tokens are read first (ending the session drops them); the session ends before anything can fail.
      const held = session ? heldTokens(session) : [];
      endSession(req, res, o.sessions, session);
      log(res, 'smart logout', 'ok');
      // Best effort, bounded by the revoker's timeouts: a failure is logged and the sign-out page is shown anyway.
      await revoke(held, { requestId: requestIdOf(res) });
      sendPage(res, 200, signedOutPage(o.launcherUrl));
    },
  );

  return router;
}
