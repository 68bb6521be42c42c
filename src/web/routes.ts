/**
 * The pages as an express router: a thin adapter that hands each handler the SMART context
 * (res.locals.smart), the path parameters, the query and the urlencoded form as plain strings, and turns its
 * result into a response (a page with the security headers, or a 303 redirect). SMART access failures go
 * on to the next error handler (mount src/smart's smartErrors after these routes); any other failure
 * becomes an error page, and failures of the service itself (5xx) are logged without PHI.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { FhirHttpError } from '../client';
import { OperationOutcomeError } from '../fhir/outcome';
import type { Validator } from '../validation';
import * as clinician from './clinician-handlers';
import { systemOffsetMinutes } from './dates';
import { formValues } from './fields';
import { PAGE_HEADERS } from './layout';
import type { PageRequest, WebDeps } from './page-request';
import * as patient from './patient-handlers';
import { errorPage, pageForError, type PageResult } from './responses';
import type { SmartContext } from './smart-context';

export interface WebOptions {
  /** Validates the patient's Observations and the clinician's edited doses against the profiles. */
  validator: Validator;
  /** Default: the system clock. */
  clock?: () => Date;
  /** Offset from UTC (minutes east) that new dateTimes are written in; default the process's time zone. */
  offsetMinutes?: (at: Date) => number;
  /** Gets one line per failed page (status and error name only). */
  logger?: { log(level: 'error', message: string, fields?: Record<string, string | number | boolean | undefined>): void };
}

type Handler = (req: PageRequest, deps: WebDeps) => Promise<PageResult>;

/**
 * SMART access failures (access ended: a 401 that survived the refresh; the authorization server
 * unreachable) go on to src/smart's smartErrors, which ends the session and answers "Sign in needed".
 */
export function isAccessFailure(err: unknown): boolean {
  if (err instanceof FhirHttpError && err.serverStatus === 401) return true;
  return err instanceof OperationOutcomeError && (err.status === 401 || err.name === 'AuthServerUnavailable');
}

function send(res: Response, result: PageResult): void {
  if ('redirect' in result) {
    res.set('cache-control', 'no-store').redirect(303, result.redirect);
    return;
  }
  res.status(result.status).set(PAGE_HEADERS).send(result.html);
}

/**
 * GET /app, GET /app/plans/:id, POST /app/plans/:id/{approve,edit,reject}, GET /me, POST /me/check-in,
 * POST /me/sessions. Mount after requireSmart (res.locals.smart), checkCsrf and an urlencoded parser, and
 * before smartErrors.
 */
export function webRoutes(options: WebOptions): express.Router {
  const deps: WebDeps = {
    validator: options.validator,
    clock: options.clock ?? ((): Date => new Date()),
    offsetMinutes: options.offsetMinutes ?? systemOffsetMinutes,
  };
  const adapt =
    (handler: Handler) =>
    async (req: Request, res: Response, next: NextFunction): Promise<void> => {
      const smart = res.locals.smart as SmartContext | undefined;
      if (smart === undefined) return send(res, errorPage(401, 'Sign in needed', 'Open Gradus from your EHR or the sandbox to use this page.'));
      const request: PageRequest = { smart, params: formValues(req.params), query: formValues(req.query), form: formValues(req.body) };
      let result: PageResult;
      try {
        result = await handler(request, deps);
      } catch (err) {
        if (isAccessFailure(err)) return next(err);
        result = pageForError(err, smart.csrfToken);
        if ('status' in result && result.status >= 500) {
          options.logger?.log('error', 'page failed', { requestId: String(res.locals.requestId ?? ''), status: result.status, error: err instanceof Error ? err.name : 'unknown' });
        }
      }
      send(res, result);
    };

  const router = express.Router();
  router.get('/app', adapt(clinician.openApp));
  router.get('/app/plans/:id', adapt(clinician.showPlan));
  router.post('/app/plans/:id/approve', adapt(clinician.approve));
  router.post('/app/plans/:id/edit', adapt(clinician.edit));
  router.post('/app/plans/:id/reject', adapt(clinician.reject));
  router.get('/me', adapt(patient.showPatient));
  router.post('/me/check-in', adapt(patient.saveCheckIn));
  router.post('/me/sessions', adapt(patient.saveSession));
  return router;
}
