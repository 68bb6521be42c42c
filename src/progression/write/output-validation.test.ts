/** Everything the engine writes conforms to the Gradus profiles (the project's validator, zero errors). */
import type { Bundle, OperationOutcomeIssue } from 'fhir/r4';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '../../validation';
import { progress } from '../progress';

const ROOT = join(__dirname, '..', '..', '..');
const DEMO_DIR = join(ROOT, 'fixtures', 'demo');
const INPUTS: [string, string][] = [
  ['examples/patient-bundle', join(ROOT, 'examples', 'patient-bundle.json')],
  ...readdirSync(DEMO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, string] => [`fixtures/demo/${f.replace(/\.json$/, '')}`, join(DEMO_DIR, f)]),
];

const errors = (issues: OperationOutcomeIssue[]): string[] =>
  issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(', ') ?? ''}: ${i.diagnostics ?? i.code}`);

describe('the transaction the engine writes', () => {
  it.each(INPUTS)('%s: every created or updated resource validates against its profile', (_name, path) => {
    const bundle = JSON.parse(readFileSync(path, 'utf8')) as Bundle;
    const { transaction } = progress(bundle, { now: bundle.timestamp ?? '' });
    for (const entry of transaction.entry ?? []) {
      expect({ url: entry.request?.url, errors: errors(validate(entry.resource).issue) }).toEqual({ url: entry.request?.url, errors: [] });
    }
  });

  it.each(INPUTS)('%s: the transaction Bundle as a whole validates', (_name, path) => {
    const bundle = JSON.parse(readFileSync(path, 'utf8')) as Bundle;
    const { transaction } = progress(bundle, { now: bundle.timestamp ?? '' });
    expect(errors(validate(transaction).issue)).toEqual([]);
  });
});
