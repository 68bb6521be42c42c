// bench/validate: resources validated per second, against JSON.parse of the same data in the same run.
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { rate, report } from './measure.mjs';

const require = createRequire(import.meta.url);
const { validate } = require('../dist/validation/index.js');
const { PROFILE, GRADUS_CODE, CS, LOINC, LOINC_CODE, UCUM, OBSERVATION_CATEGORY } = require('../dist/fhir/codes.js');

const examplesDir = new URL('../examples/', import.meta.url).pathname;
const exampleTexts = readdirSync(examplesDir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => readFileSync(join(examplesDir, f), 'utf8'));

/** A plausible session Observation, varied by index so no two are the same. */
function session(i) {
  const day = String(1 + (i % 28)).padStart(2, '0');
  const component = (system, code, value) => ({ code: { coding: [{ system, code }] }, ...value });
  return {
    resourceType: 'Observation',
    id: `session-${i}`,
    meta: { profile: [PROFILE.exerciseSession] },
    status: 'final',
    category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'activity' }] }],
    code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.exerciseSession }] },
    subject: { reference: `Patient/p${i % 100}` },
    basedOn: [{ reference: `ServiceRequest/o${i % 400}` }],
    effectiveDateTime: `2026-10-${day}T10:00:00+01:00`,
    component: [
      component(CS.gradus, GRADUS_CODE.setsCompleted, { valueInteger: 3 }),
      component(CS.gradus, GRADUS_CODE.repsFinalSet, { valueInteger: 8 + (i % 7) }),
      component(CS.gradus, GRADUS_CODE.loadLifted, { valueQuantity: { value: 5 + (i % 4), unit: 'kg', system: UCUM, code: 'kg' } }),
      component(LOINC, LOINC_CODE.rpe, { valueInteger: 3 + (i % 4) }),
      component(CS.gradus, GRADUS_CODE.painDuring, { valueInteger: i % 6 }),
      component(CS.gradus, GRADUS_CODE.painAfter, { valueInteger: i % 5 }),
    ],
  };
}

const sessionsText = Array.from({ length: 10_000 }, (_, i) => JSON.stringify(session(i)));

function bench(label, texts, repeats) {
  const resources = texts.map((t) => JSON.parse(t));
  const errors = resources.flatMap((r) => validate(r).issue.filter((i) => i.severity === 'error'));
  if (errors.length > 0) throw new Error(`${label}: the benchmark data is not valid: ${errors[0].diagnostics}`);
  const validated = rate(() => resources.forEach((r) => validate(r)), resources.length, { repeats });
  const parsed = rate(() => texts.forEach((t) => JSON.parse(t)), texts.length, { repeats });
  return report(`validate ${label} (${resources.length} resources)`, validated, parsed, 'JSON.parse');
}

console.log('bench/validate');
bench('examples', exampleTexts, 15);
bench('generated sessions', sessionsText, 5);
