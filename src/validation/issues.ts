/**
 * Collects validation issues (every one, deduplicated when base and profile report the same thing)
 * with the FHIRPath expression of the offending element.
 * See: https://hl7.org/fhir/R4/operationoutcome.html
 */
import type { OperationOutcomeIssue } from 'fhir/r4';
import { isErrorIssue, issue, type IssueCode, type Severity } from '../fhir/outcome';

export class IssueSink {
  private readonly seen = new Set<string>();
  readonly issues: OperationOutcomeIssue[] = [];

  add(severity: Severity, code: IssueCode, diagnostics: string, expression?: string): void {
    const key = `${severity}\u0000${code}\u0000${expression ?? ''}\u0000${diagnostics}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.issues.push(issue(severity, code, diagnostics, expression));
  }

  error(code: IssueCode, diagnostics: string, expression?: string): void {
    this.add('error', code, diagnostics, expression);
  }

  warning(code: IssueCode, diagnostics: string, expression: string): void {
    this.add('warning', code, diagnostics, expression);
  }

  get errorCount(): number {
    return this.issues.filter(isErrorIssue).length;
  }
}

/** `parent.name` plus `[i]` when the JSON value is an array. */
export const childExpression = (parent: string, name: string, index?: number): string =>
  index === undefined ? `${parent}.${name}` : `${parent}.${name}[${index}]`;
