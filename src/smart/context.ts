/**
 * The SMART context of a signed-in request. In comes a request with its session cookie; out goes
 * `res.locals.smart` (SmartContext: the FHIR server, the launch's patient and user, the granted scopes, a
 * FhirClient whose token is refreshed before expiry and once more after a 401, the CSRF token), or a 401
 * "Sign in needed" (a page, or an OperationOutcome for JSON clients) when there is no session or its access
 * has ended. smartErrors / withSmartErrors give a page handler's later 401 the same ending.
 * See: https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html
 */
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { OperationOutcome } from 'fhir/r4';
import { decodeJwt } from 'jose';
import { FhirClient, FhirHttpError } from '../client';
import { issue, outcome } from '../fhir/outcome';
import { referenceKey } from '../fhir/reference';
import type { TokenResponse } from './fhirclient';
import { resolveSmartOptions, type ResolvedSmartOptions, type SmartOptions } from './options';
import { sendPage, signInNeededPage, unavailablePage } from './pages';
import { attachedSession, endSession, sessionFor, type Session } from './session';
import { AuthServerUnavailable, currentAccessToken, launchStateOf, SmartAccessEnded, tokenAfterRejection, type TokenScope } from './tokens';

/** What a page handler gets in `res.locals.smart`. */
export interface SmartContext {
  /** The FHIR base URL (the launch's `iss`). */
  serverUrl: string;
  /** The launch context's patient id (no `Patient/`). */
  patientId: string;
  /** `Practitioner/<id>` or `Patient/<id>`. */
  fhirUser?: string;
  /** The scopes granted (else those asked for). */
  scopes: string[];
  /** A FhirClient for serverUrl with this session's token. */
  fhir: FhirClient;
  /** The session's CSRF token: a hidden field `csrf` in every form. */
  csrfToken: string;
}

/** The user a token response names: the id_token's `fhirUser` claim (a relative or absolute URL), else the response's `fhirUser`. */
export function fhirUserOf(tokenResponse: TokenResponse | undefined): string | undefined {
  let claim: unknown;
  if (typeof tokenResponse?.id_token === 'string') {
    try {
      claim = decodeJwt(tokenResponse.id_token).fhirUser;
    } catch {
      claim = undefined;
    }
  }
  claim ??= tokenResponse?.fhirUser;
  return typeof claim === 'string' ? referenceKey(claim) : undefined;
}

const JSON_TYPES = ['application/json', 'application/fhir+json'];

/** Whether the client asked for JSON rather than a page. */
function wantsJson(req: Request): boolean {
  const choice = req.accepts(['text/html', ...JSON_TYPES]);
  return typeof choice === 'string' && JSON_TYPES.includes(choice);
}

function sendJson(res: Response, status: number, oo: OperationOutcome): void {
  res.status(status).set({ 'content-type': 'application/fhir+json; charset=utf-8', 'cache-control': 'no-store' }).send(JSON.stringify(oo));
}

const NO_SESSION = 'You are not signed in to Gradus, or your session has expired.';
const ACCESS_ENDED = 'Your access ended; launch again.';

/** 401 "Sign in needed" as a page (with the launcher link) or as an OperationOutcome. */
function signInNeeded(req: Request, res: Response, options: ResolvedSmartOptions, reason: string): void {
  if (wantsJson(req)) return sendJson(res, 401, outcome([issue('error', 'login', reason)]));
  sendPage(res, 401, signInNeededPage(reason, options.launcherUrl));
}

/** Answers a SMART access failure (ended access, a FHIR 401, an unreachable authorization server); false for any other error. */
function answerAccessFailure(err: unknown, req: Request, res: Response, options: ResolvedSmartOptions): boolean {
  if (res.headersSent) return false;
  if (err instanceof AuthServerUnavailable) {
    if (wantsJson(req)) sendJson(res, 503, err.outcome);
    else sendPage(res, 503, unavailablePage(err.message));
    return true;
  }
  if (err instanceof SmartAccessEnded || (err instanceof FhirHttpError && err.serverStatus === 401)) {
    endSession(req, res, options.sessions, attachedSession(req));
    signInNeeded(req, res, options, ACCESS_ENDED);
    return true;
  }
  return false;
}

/** fetch that, on a 401 from the FHIR server, refreshes once and retries; when that fails the 401 stands. */
function retryingFetch(scope: TokenScope): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (response.status !== 401) return response;
    const headers = new Headers(init?.headers);
    const sent = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1];
    if (sent === undefined) return response;
    let token: string;
    try {
      token = await tokenAfterRejection(scope, sent);
    } catch {
      return response;
    }
    await response.body?.cancel().catch(() => undefined);
    headers.set('authorization', `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
}

function contextOf(session: Session, serverUrl: string, options: ResolvedSmartOptions): SmartContext | undefined {
  const state = launchStateOf(session, serverUrl);
  const patientId = state?.tokenResponse?.patient;
  if (!state || typeof patientId !== 'string') return undefined;
  const scope: TokenScope = { options, session, serverUrl };
  const fhirUser = fhirUserOf(state.tokenResponse);
  return {
    serverUrl,
    patientId,
    ...(fhirUser !== undefined ? { fhirUser } : {}),
    scopes: (state.tokenResponse?.scope ?? state.scope ?? '').split(/\s+/).filter((s) => s !== ''),
    fhir: new FhirClient({ baseUrl: serverUrl, token: () => currentAccessToken(scope), fetch: retryingFetch(scope) }),
    csrfToken: session.csrfToken,
  };
}

/**
 * Pages that need a signed-in user: sets `res.locals.smart` (refreshing the token first when it is about to
 * expire), else answers 401 "Sign in needed" (a page linking to the launcher, or an OperationOutcome for JSON).
 */
export function requireSmart(options: SmartOptions): RequestHandler {
  const resolved = resolveSmartOptions(options);
  return async (req: Request, res: Response, next: NextFunction) => {
    const session = sessionFor(req, resolved.sessions);
    const serverUrl = session?.current;
    const context = session && serverUrl !== undefined && resolved.issuers.includes(serverUrl) ? contextOf(session, serverUrl, resolved) : undefined;
    if (!session || serverUrl === undefined || !context) return signInNeeded(req, res, resolved, NO_SESSION);
    try {
      await currentAccessToken({ options: resolved, session, serverUrl });
    } catch (err) {
      if (answerAccessFailure(err, req, res, resolved)) return;
      throw err;
    }
    res.locals.smart = context;
    next();
  };
}

/** The SmartContext requireSmart set; throws when a route forgot requireSmart. */
export function smartContext(res: Response): SmartContext {
  const context = (res.locals as { smart?: SmartContext }).smart;
  if (!context) throw new Error('no SMART context: the route must run requireSmart first');
  return context;
}

/**
 * Error middleware for signed-in routes: a FHIR 401 that survived the refresh, or access that could not be
 * renewed, ends the session and answers 401 "Sign in needed"; an unreachable authorization server answers 503.
 * Any other error goes on to the next error handler.
 */
export function smartErrors(options: SmartOptions): ErrorRequestHandler {
  const resolved = resolveSmartOptions(options);
  return (err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (!answerAccessFailure(err, req, res, resolved)) next(err);
  };
}

/** Wraps one page handler so that its SMART access failures are answered as smartErrors does. */
export function withSmartErrors(options: SmartOptions, handler: (req: Request, res: Response, next: NextFunction) => unknown): RequestHandler {
  const onError = smartErrors(options);
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await handler(req, res, next);
    } catch (err) {
      onError(err, req, res, next);
    }
  };
}
