/**
 * `gradus demo` (what `npm start` runs): validates the shipped examples against the profiles, then
 * runs the engine on every built-in demo patient at its Bundle.timestamp and prints its decision table.
 */
import type { Bundle, Patient } from 'fhir/r4';
import { join, resolve } from 'node:path';
import { isErrorIssue } from '../fhir/outcome';
import { progress } from '../progression';
import { validate } from '../validation';
import { expandPaths, readResourceFile } from './read-json';
import { renderSummary } from './summary';

const ROOT = resolve(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const DEMO_PATIENTS = join(ROOT, 'fixtures', 'demo');

function patientName(bundle: Bundle): string {
  const patient = bundle.entry?.find((e) => e.resource?.resourceType === 'Patient')?.resource as Patient | undefined;
  const name = patient?.name?.[0];
  return [...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || 'unnamed patient';
}

async function validateExamples(): Promise<number> {
  const files = await expandPaths([EXAMPLES]);
  let errors = 0;
  for (const file of files) {
    const outcome = validate(await readResourceFile(file));
    errors += outcome.issue.filter(isErrorIssue).length;
  }
  process.stdout.write(`Validated ${files.length} example resources against the Gradus profiles: ${errors} error(s).\n\n`);
  return errors;
}

export async function demoCommand(): Promise<number> {
  const exampleErrors = await validateExamples();
  const files = await expandPaths([DEMO_PATIENTS]);
  for (const file of files) {
    const bundle = (await readResourceFile(file)) as unknown as Bundle;
    const now = bundle.timestamp;
    if (!now) throw new Error(`${file}: a demo patient needs Bundle.timestamp (the time to run it at)`);
    const result = progress(bundle, { now });
    process.stdout.write(`== ${file.slice(ROOT.length + 1)} at ${now}\n${renderSummary(result, patientName(bundle))}\n`);
  }
  process.stdout.write(`Ran the engine on ${files.length} demo patients. Try: npx gradus progress fixtures/demo/flare.json --summary\n`);
  return exampleErrors > 0 ? 1 : 0;
}
