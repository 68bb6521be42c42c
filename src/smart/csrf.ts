/**
 * CSRF protection for the pages' forms (synchronizer token). In comes a POSTed urlencoded form with a `csrf`
 * field and the request's session (attached by requireSmart or the logout route); out goes the request, or a
 * 403 page "Not allowed" when the field is missing or is not this session's token.
 * See: https://cheatsheetseries.owasp.org/cheatsheets/Cross-Site_Request_Forgery_Prevention_Cheat_Sheet.html
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { isJsonObject } from '../fhir/json';
import { notAllowedPage, sendPage } from './pages';
import { attachedSession } from './session';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Whether a submitted token equals the session's, compared in constant time (digests of equal length). */
export function csrfMatches(submitted: unknown, expected: string): boolean {
  if (typeof submitted !== 'string' || submitted === '' || expected === '') return false;
  return timingSafeEqual(digest(submitted), digest(expected));
}

/**
 * POST forms only: `req.body.csrf` must equal the session's CSRF token, else 403 "Not allowed". Runs after a
 * urlencoded body parser and after requireSmart (which attaches the session).
 */
export const checkCsrf: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const session = attachedSession(req);
  const body: unknown = req.body;
  const submitted = isJsonObject(body) ? body.csrf : undefined;
  if (session && csrfMatches(submitted, session.csrfToken)) return next();
  sendPage(
    res,
    403,
    notAllowedPage('This form did not come from your current Gradus page, or the page is out of date. Go back, reload the page and try again.'),
  );
};
