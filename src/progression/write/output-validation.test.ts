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

  it.each(INPUTS)('%s: every entry has a fullUrl: urn:uuid for a create, the input resource\'s own URL for an update', (_name, path) => {
    const bundle = JSON.parse(readFileSync(path, 'utf8')) as Bundle;
    const inputUrls = new Map((bundle.entry ?? []).map((e) => [`${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`, e.fullUrl]));
    const { transaction } = progress(bundle, { now: bundle.timestamp ?? '' });
    for (const entry of transaction.entry ?? []) {
      if (entry.request?.method === 'POST') expect(entry.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
      else expect({ url: entry.request?.url, fullUrl: entry.fullUrl }).toEqual({ url: entry.request?.url, fullUrl: inputUrls.get(entry.request?.url ?? '') });
    }
  });

  it('takes the server base from the caller when the input has no absolute fullUrls', () => {
    const bundle = JSON.parse(readFileSync(join(DEMO_DIR, 'flare.json'), 'utf8')) as Bundle;
    const bare: Bundle = { ...bundle, entry: (bundle.entry ?? []).map(({ resource }) => ({ ...(resource ? { resource } : {}) })) };
    const { transaction } = progress(bare, { now: bundle.timestamp ?? '', baseUrl: 'https://fhir.example.org/r4/' });
    const puts = (transaction.entry ?? []).filter((e) => e.request?.method === 'PUT');
    expect(puts.length).toBeGreaterThan(0);
    for (const e of puts) expect(e.fullUrl).toBe(`https://fhir.example.org/r4/${e.request?.url ?? ''}`);
  });
});
