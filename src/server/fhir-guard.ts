/**
 * The bearer-token guard of `/fhir` when the embedded server is a SMART sandbox (`serve --auth`): a request
 * without a valid access token is 401 (with `WWW-Authenticate: Bearer`); a valid one is decided by
 * src/smart's access rules (scopes, the launch's patient context), and the decision rides along in
 * `res.locals.access` for the embedded server (a narrowed search, a filter over its answer). The CapabilityStatement
 * and the SMART configuration stay public.
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html#access-denied-response-handling;
 * https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { OperationOutcome } from 'fhir/r4';
import { issue, outcome } from '../fhir/outcome';
import { checkAccess, type AccessDecision, type AccessToken, type ReadResource } from '../smart';
import { progressInput } from './operations';

/** Whether a request's $progress input asks for a dry run (a malformed one counts as a run that writes; the operation refuses it). */
function asksDryRun(query: Record<string, unknown>, body: unknown): boolean {
  try {
    return progressInput(query, body).dryRun === true;
  } catch {
    return false;
  }
}

export interface FhirGuardOptions {
  /** The token's grant, or undefined when it is unknown, expired or revoked. */
  verify(accessToken: string): Promise<AccessToken | undefined>;
  read: ReadResource;
}

const PUBLIC = new Set(['/metadata', '/.well-known/smart-configuration']);
const BEARER = /^Bearer ([\x21-\x7e]{1,4096})$/;

function unauthorized(res: Response, error: 'invalid_request' | 'invalid_token', text: string): void {
  const body: OperationOutcome = outcome([issue('error', 'login', text)]);
  res
    .status(401)
    .set({
      'content-type': 'application/fhir+json; charset=utf-8',
      'www-authenticate': `Bearer realm="gradus"${error === 'invalid_token' ? ', error="invalid_token"' : ''}`,
    })
    .send(JSON.stringify(body));
}

/** The decision the guard made for this request (absent when no guard runs). */
export function accessOf(res: Response): Extract<AccessDecision, { allowed: true }> | undefined {
  return (res.locals as { access?: Extract<AccessDecision, { allowed: true }> }).access;
}

/** Mounted at `/fhir`, after the JSON body parser and before the operations and the embedded server. */
export function fhirGuard(options: FhirGuardOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && PUBLIC.has(req.path)) return next();
    const header = req.get('authorization');
    if (header === undefined) return unauthorized(res, 'invalid_request', 'this FHIR server needs a bearer access token (SMART App Launch or Backend Services)');
    const token = BEARER.exec(header)?.[1];
    const grant = token === undefined ? undefined : await options.verify(token);
    if (!grant) return unauthorized(res, 'invalid_token', 'the access token is not valid: unknown, expired or revoked');
    const request = { method: req.method, path: req.path, query: req.query, body: req.body as unknown, headers: req.headers };
    const decision = await checkAccess(grant, { ...request, ...(req.path.endsWith('/$progress') ? { dryRun: asksDryRun(req.query, req.body) } : {}) }, options.read);
    if (!decision.allowed) return next(decision.error);
    res.locals.access = decision;
    next();
  };
}
