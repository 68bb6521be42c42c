/**
 * OperationOutcome helpers and the one error type that carries an OperationOutcome.
 * See: https://hl7.org/fhir/R4/operationoutcome.html
 */
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';

export type Severity = OperationOutcomeIssue['severity'];
export type IssueCode = OperationOutcomeIssue['code'];

/** One issue; `expression` is a FHIRPath to the offending element when there is one. */
export function issue(
  severity: Severity,
  code: IssueCode,
  diagnostics: string,
  expression?: string | string[],
): OperationOutcomeIssue {
  const out: OperationOutcomeIssue = { severity, code, diagnostics };
  if (expression !== undefined) out.expression = Array.isArray(expression) ? expression : [expression];
  return out;
}

export function outcome(issues: OperationOutcomeIssue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.length > 0 ? issues : [{ severity: 'information', code: 'informational', diagnostics: 'All OK' }],
  };
}

/** Whether an issue is an error (severity `error` or `fatal`), the kind that fails a request or a validation. */
export const isErrorIssue = (i: OperationOutcomeIssue): boolean => i.severity === 'error' || i.severity === 'fatal';

export function hasErrors(oo: OperationOutcome): boolean {
  return oo.issue.some(isErrorIssue);
}

/** An error that carries an OperationOutcome; thrown by library code, turned into a response at the edge. */
export class OperationOutcomeError extends Error {
  readonly outcome: OperationOutcome;
  /** The HTTP status when the issue code alone does not say it (422, 502, a server's own status). */
  readonly status: number | undefined;
  constructor(oo: OperationOutcome, status?: number) {
    super(oo.issue.map((i) => i.diagnostics ?? i.code).join('; '));
    this.name = 'OperationOutcomeError';
    this.outcome = oo;
    this.status = status;
  }
}

export const badRequest = (details: string, expression?: string): OperationOutcomeError =>
  new OperationOutcomeError(outcome([issue('error', 'invalid', details, expression)]), 400);
export const notFound = (details: string): OperationOutcomeError =>
  new OperationOutcomeError(outcome([issue('error', 'not-found', details)]), 404);
export const conflict = (details: string): OperationOutcomeError =>
  new OperationOutcomeError(outcome([issue('error', 'conflict', details)]), 409);
/** 422: well-formed, but the business rules refuse it (e.g. a CarePlan that is not a Gradus plan). */
export const unprocessable = (details: string, expression?: string): OperationOutcomeError =>
  new OperationOutcomeError(outcome([issue('error', 'processing', details, expression)]), 422);

const STATUS_BY_CODE: Partial<Record<IssueCode, number>> = {
  'not-found': 404,
  deleted: 410,
  conflict: 409,
  security: 401,
  login: 401,
  forbidden: 403,
  'too-costly': 413,
  exception: 500,
  timeout: 504,
  transient: 503,
};

/** The HTTP status that fits an OperationOutcome's first error (400 for any other error code). */
export function toStatus(oo: OperationOutcome): number {
  const first = oo.issue.find(isErrorIssue);
  if (!first) return 200;
  return STATUS_BY_CODE[first.code] ?? 400;
}

/** The HTTP status of a thrown value: the error's own status, else the one its outcome implies, else 500. */
export function statusOf(err: unknown): number {
  if (err instanceof OperationOutcomeError) return err.status ?? toStatus(err.outcome);
  return 500;
}

/** Any thrown value as an OperationOutcome (the one place the edge calls). */
export function normalizeOutcome(err: unknown): OperationOutcome {
  if (err instanceof OperationOutcomeError) return err.outcome;
  const message = err instanceof Error ? err.message : String(err);
  return outcome([issue('error', 'exception', message)]);
}
