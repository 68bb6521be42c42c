/** Profile validation in tests: the errors of a Bundle as `expression: diagnostics` lines (empty when valid). */
import type { Bundle } from 'fhir/r4';
import { validate } from '../../src/validation';

export const validationErrors = (bundle: Bundle): string[] =>
  validate(bundle)
    .issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')
    .map((i) => `${i.expression?.join(',') ?? ''}: ${i.diagnostics ?? i.code}`);
