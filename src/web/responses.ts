/**
 * What a page handler returns (a page with its status, or a redirect), and the error pages: any thrown
 * value becomes a page with a plain message, never a stack or a token. The FHIR server's refusals keep
 * their meaning: 401 (access ended), 403 (outside the launch's patient context), 404.
 */
import { FhirHttpError } from '../client';
import { OperationOutcomeError, statusOf } from '../fhir/outcome';
import { html } from './html';
import { page } from './layout';

export type PageResult = { status: number; html: string } | { redirect: string };

/** A page with one heading and one message. */
export function errorPage(status: number, h1: string, message: string, csrfToken?: string): PageResult {
  const body = html`<p>${message}</p>\n<p><a href="/app">Clinician page</a> · <a href="/me">Patient page</a></p>`;
  return { status, html: page({ h1, body, ...(csrfToken !== undefined ? { csrfToken } : {}) }) };
}

export const notAllowed = (message: string, csrfToken?: string): PageResult => errorPage(403, 'Not allowed', message, csrfToken);

/** The first diagnostics of an OperationOutcomeError (what the FHIR server or the engine said). */
function diagnostics(err: unknown): string | undefined {
  return err instanceof OperationOutcomeError ? err.outcome.issue.find((i) => i.diagnostics !== undefined)?.diagnostics : undefined;
}

/** The HTTP status a failure means for the page: a FHIR server's 401 and 403 are the user's, not a gateway's. */
export function pageStatus(err: unknown): number {
  if (err instanceof FhirHttpError && (err.serverStatus === 401 || err.serverStatus === 403)) return err.serverStatus;
  return statusOf(err);
}

/** The page for a thrown value. */
export function pageForError(err: unknown, csrfToken?: string): PageResult {
  const status = pageStatus(err);
  switch (status) {
    case 401:
      return errorPage(401, 'Sign in needed', 'Your access ended. Launch Gradus again from your EHR or the sandbox.');
    case 403:
      return notAllowed('You can only see and change the records of the patient you opened Gradus for.', csrfToken);
    case 404:
      return errorPage(404, 'Not found', diagnostics(err) ?? 'There is nothing at this address.', csrfToken);
    case 409:
    case 412:
      return errorPage(409, 'Changed meanwhile', diagnostics(err) ?? 'The record changed while you were working. Reload the page.', csrfToken);
    case 422:
      return errorPage(422, 'Cannot use this record', diagnostics(err) ?? 'The record is not one Gradus can use.', csrfToken);
    case 502:
    case 503:
    case 504:
      return errorPage(status, 'FHIR server unavailable', 'The FHIR server did not answer as expected. Try again in a moment.', csrfToken);
    default:
      return errorPage(status >= 400 && status < 500 ? status : 500, 'Something went wrong', 'Gradus could not complete this request.', csrfToken);
  }
}
