#!/usr/bin/env node
// Derives the invalid fixtures (one defect each) from the valid examples and writes test/invalid/manifest.json
// with the issue expression each must produce (the issue expression convention of implementation-guide.md "Validating").
// Also writes examples/patient-bundle-minimal.json, the valid base of the Bundle fixtures.
// Usage: node test/invalid/make-fixtures.mjs (after changing an example or a case below; commit the output).
import { readFileSync, writeFileSync, mkdirSync, rmSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const ex = (name) => JSON.parse(readFileSync(`${ROOT}/examples/${name}.json`, 'utf8'));
const BASE = 'https://gradus.health/fhir';
const SD = (id) => `${BASE}/StructureDefinition/${id}`;
const CS = (id) => `${BASE}/CodeSystem/${id}`;
const UCUM = 'http://unitsofmeasure.org';
const OBSCAT = 'http://terminology.hl7.org/CodeSystem/observation-category';
const q = (value, code, unit = code) => ({ value, unit, system: UCUM, code });

const manifest = [];
const dirOut = `${ROOT}/test/invalid`;
// Notes kept by hand in the manifest (where the HL7 Java engine disagrees, and why: npm run conformance) survive a regeneration.
const javaNotes = new Map(
  (() => {
    try {
      return JSON.parse(readFileSync(`${dirOut}/manifest.json`, 'utf8'));
    } catch {
      return [];
    }
  })().flatMap((m) => (m.javaEngine ? [[m.file, m.javaEngine]] : [])),
);
for (const d of readdirSync(dirOut, { withFileTypes: true })) if (d.isDirectory()) rmSync(`${dirOut}/${d.name}`, { recursive: true, force: true });
function fx(dir, name, base, mutate, expression, kind, why, extra = {}) {
  const r = typeof base === 'string' ? ex(base) : structuredClone(base);
  mutate(r);
  mkdirSync(`${dirOut}/${dir}`, { recursive: true });
  writeFileSync(`${dirOut}/${dir}/${name}.json`, JSON.stringify(r, null, 2) + '\n');
  const baseFile = typeof base === 'string' ? `examples/${base}.json` : 'examples/patient-bundle-minimal.json';
  const file = `${dir}/${name}.json`;
  const javaEngine = javaNotes.get(file);
  manifest.push({ file, base: baseFile, expression, kind, why, ...extra, ...(javaEngine ? { javaEngine } : {}) });
}

// ---------- gradus-exercise-plan (extension: [0] phase, [1] phase-since, [2] policy: mode, painCeiling, stableSessions, deloadEveryWeeks, intensityBy)
{
  const P = 'gradus-exercise-plan', B = 'gradus-exercise-plan';
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'CarePlan.subject', 'missing-required', 'subject is 1..1 Reference(Patient)');
  fx(P, 'missing-period-start', B, (r) => { r.period = { end: '2026-05-01' }; }, 'CarePlan.period.start', 'missing-required', 'period.start is 1..1: program week 1 starts there');
  fx(P, 'missing-progression-phase', B, (r) => { r.extension.splice(0, 1); }, 'CarePlan.extension', 'slicing', 'the progression-phase extension slice is 1..1');
  fx(P, 'unknown-phase-code', B, (r) => { r.extension[0].valueCode = 'maintenance'; }, 'CarePlan.extension[0].value', 'required-binding', "'maintenance' is not in the progression-phase ValueSet (required)");
  fx(P, 'intent-order', B, (r) => { r.intent = 'order'; }, 'CarePlan.intent', 'fixed-pattern', 'intent is fixed to plan');
  fx(P, 'missing-program-category', B, (r) => { r.category = [{ coding: [{ system: 'http://snomed.info/sct', code: '736366004', display: 'Hospital-based physiotherapy care plan' }] }]; }, 'CarePlan.category', 'slicing', 'category must include gradus#exercise-program');
  fx(P, 'activity-without-reference', B, (r) => { r.activity[1] = { detail: { kind: 'ServiceRequest', status: 'scheduled', description: 'Hamstring stretch' } }; }, 'CarePlan.activity[1].reference', 'nested-cardinality', 'every activity must reference a gradus-exercise-order (activity.reference 1..1)');
  fx(P, 'policy-without-mode', B, (r) => { r.extension[2].extension.splice(0, 1); }, 'CarePlan.extension[2].extension', 'sub-extension', 'progression-policy needs its mode sub-extension (1..1)');
  fx(P, 'policy-unknown-mode', B, (r) => { r.extension[2].extension[0].valueCode = 'time-contingent'; }, 'CarePlan.extension[2].extension[0].value', 'required-binding', "'time-contingent' is not a progression-mode code");
  fx(P, 'policy-pain-ceiling-as-string', B, (r) => { r.extension[2].extension[1] = { url: 'painCeiling', valueString: '5' }; }, 'CarePlan.extension[2].extension[1].value', 'sub-extension', 'painCeiling is an integer, not a string');
  fx(P, 'policy-pain-ceiling-out-of-range', B, (r) => { r.extension[2].extension[1].valueInteger = 12; }, 'CarePlan.extension[2].extension[1].value', 'out-of-range', 'painCeiling is a 0-10 pain score');
  fx(P, 'reference-pain-as-string', B, (r) => { r.extension.push({ url: SD('reference-pain'), valueString: '3.2' }); }, 'CarePlan.extension[3].value', 'wrong-type', 'reference-pain is a decimal');
  fx(P, 'unknown-element', B, (r) => { r.phase = 'build'; }, 'CarePlan.phase', 'unknown-element', 'CarePlan has no element phase (the phase is an extension)');
  fx(P, 'status-unknown', B, (r) => { r.status = 'in-progress'; }, 'CarePlan.status', 'required-binding', "'in-progress' is not a request-status code");
  fx(P, 'two-phases', B, (r) => { r.extension.push({ url: SD('progression-phase'), valueCode: 'deload' }); }, 'CarePlan.extension', 'max-cardinality', 'progression-phase is 1..1: one phase at a time');
  fx(P, 'goal-not-a-goal', B, (r) => { r.goal = [{ reference: 'Condition/gradus-example-low-back-pain' }]; }, 'CarePlan.goal[0]', 'reference-target', 'goal references a gradus-exercise-goal (Goal)');
}

// ---------- gradus-exercise-order (strength: dose [0] sets [1] reps [2] load [3] step; category [0] therapy [1] domain)
{
  const P = 'gradus-exercise-order', B = 'gradus-exercise-order';
  fx(P, 'intent-filler-order', B, (r) => { r.intent = 'filler-order'; }, 'ServiceRequest.intent', 'invariant', 'intent is limited to plan|order|proposal by an invariant', { diagnostics: 'gradus-exercise-order-[0-9]+' });
  fx(P, 'missing-therapy-category', B, (r) => { r.category.splice(0, 1); }, 'ServiceRequest.category', 'slicing', 'the therapy category slice (SNOMED 229065009) is 1..1');
  fx(P, 'missing-domain-category', B, (r) => { r.category.splice(1, 1); }, 'ServiceRequest.category', 'slicing', 'the domain category slice is 1..1');
  fx(P, 'two-domain-categories', B, (r) => { r.category.push({ coding: [{ system: CS('exercise-domain'), code: 'endurance', display: 'Endurance' }] }); }, 'ServiceRequest.category', 'slicing', 'the domain category slice is at most 1');
  fx(P, 'unknown-domain-code', B, (r) => { r.category[1].coding[0].code = 'cardio'; r.category[1].coding[0].display = 'Cardio'; }, 'ServiceRequest.category[1]', 'required-binding', "'cardio' is not in the exercise-domain ValueSet (required)");
  fx(P, 'missing-exercise-dose', B, (r) => { delete r.extension; }, 'ServiceRequest.extension', 'slicing', 'the exercise-dose extension is 1..1');
  fx(P, 'dose-sets-as-string', B, (r) => { r.extension[0].extension[0] = { url: 'sets', valueString: '3' }; }, 'ServiceRequest.extension[0].extension[0].value', 'sub-extension', 'sets is an integer');
  fx(P, 'dose-without-sets-reps-duration', B, (r) => { r.extension[0].extension = r.extension[0].extension.filter((e) => e.url === 'load' || e.url === 'step'); }, 'ServiceRequest.extension[0]', 'sub-extension', 'exercise-dose needs at least one of sets, reps, duration (invariant)', { diagnostics: '[a-z][a-z0-9-]*-[0-9]+' });
  fx(P, 'dose-load-in-pounds', B, (r) => { r.extension[0].extension[2].valueQuantity = q(13, '[lb_av]', 'lb'); }, 'ServiceRequest.extension[0].extension[2].value', 'invariant', 'load is in UCUM kg');
  fx(P, 'timing-period-in-days', B, (r) => { r.occurrenceTiming.repeat = { frequency: 1, period: 1, periodUnit: 'd' }; }, 'ServiceRequest.occurrence.repeat.periodUnit', 'fixed-pattern', 'sessions per week: periodUnit is fixed to wk (daily is frequency 7 per 1 wk)');
  fx(P, 'occurrence-as-datetime', B, (r) => { delete r.occurrenceTiming; r.occurrenceDateTime = '2026-02-04T17:30:00+01:00'; }, 'ServiceRequest.occurrence', 'wrong-type', 'occurrence[x] is limited to Timing');
  fx(P, 'missing-based-on', B, (r) => { delete r.basedOn; }, 'ServiceRequest.basedOn', 'missing-required', 'basedOn (the plan) is 1..1');
  fx(P, 'missing-authored-on', B, (r) => { delete r.authoredOn; }, 'ServiceRequest.authoredOn', 'missing-required', 'authoredOn (when the dose took effect) is 1..1');
  fx(P, 'missing-code', B, (r) => { delete r.code; }, 'ServiceRequest.code', 'missing-required', 'code (the exercise) is 1..1');
  fx(P, 'unknown-element', B, (r) => { r.dose = { sets: 3, reps: 10 }; }, 'ServiceRequest.dose', 'unknown-element', 'ServiceRequest has no element dose (the dose is an extension)');
  fx(P, 'endurance-duration-in-hours', 'gradus-exercise-order-endurance', (r) => { r.extension[0].extension[0].valueQuantity = q(0.33, 'h'); }, 'ServiceRequest.extension[0].extension[0].value', 'invariant', 'duration is in UCUM min or s');
  fx(P, 'endurance-rpe-target-borg-scale', 'gradus-exercise-order-endurance', (r) => { r.extension[0].extension[2].valueRange = { low: q(12, '{score}'), high: q(14, '{score}') }; }, 'ServiceRequest.extension[0].extension[2].value', 'out-of-range', 'rpeTarget is on the 0-10 scale (12-14 is Borg 6-20)');
  fx(P, 'dose-step-zero', B, (r) => { r.extension[0].extension[3].valueInteger = 0; }, 'ServiceRequest.extension[0].extension[3].value', 'out-of-range', 'the ladder step starts at 1');
  fx(P, 'endurance-heart-rate-zone-unit', 'gradus-exercise-order-endurance', (r) => { r.extension[0].extension[1].valueRange.high = q(129, '{beats}/min', 'bpm'); }, 'ServiceRequest.extension[0].extension[1].value', 'invariant', 'heartRateZone is in UCUM /min');
  fx(P, 'dose-two-sets', B, (r) => { r.extension[0].extension.push({ url: 'sets', valueInteger: 2 }); }, 'ServiceRequest.extension[0].extension', 'max-cardinality', 'each exercise-dose sub-extension is 0..1');
  fx(P, 'replaces-plan', B, (r) => { r.replaces = [{ reference: 'CarePlan/gradus-example-plan' }]; }, 'ServiceRequest.replaces[0]', 'reference-target', 'replaces points at the order (ServiceRequest) it superseded');
  fx(P, 'timing-period-two-weeks', B, (r) => { r.occurrenceTiming.repeat = { frequency: 6, period: 2, periodUnit: 'wk' }; }, 'ServiceRequest.occurrence.repeat.period', 'fixed-pattern', 'sessions per week: period is fixed to 1 (wk)');
}

// ---------- gradus-exercise-session (strength components: [0] sets [1] reps-final [2] load [3] RPE [4] pain-during [5] pain-after)
{
  const P = 'gradus-exercise-session', B = 'gradus-exercise-session', E = 'gradus-exercise-session-endurance';
  fx(P, 'status-preliminary', B, (r) => { r.status = 'preliminary'; }, 'Observation.status', 'invariant', 'status is limited to final|amended by an invariant', { diagnostics: 'gradus-exercise-session-[0-9]+' });
  fx(P, 'pain-during-out-of-range', B, (r) => { r.component[4].valueInteger = 14; }, 'Observation.component[4].value', 'out-of-range', 'pain-during is 0-10');
  fx(P, 'pain-after-negative', B, (r) => { r.component[5].valueInteger = -1; }, 'Observation.component[5].value', 'out-of-range', 'pain-after is 0-10');
  fx(P, 'load-in-pounds', B, (r) => { r.component[2].valueQuantity = q(13, '[lb_av]', 'lb'); }, 'Observation.component[2].value', 'component-unit', 'load-lifted is in UCUM kg');
  fx(P, 'sets-completed-as-quantity', B, (r) => { delete r.component[0].valueInteger; r.component[0].valueQuantity = q(3, '1', 'sets'); }, 'Observation.component[0].value', 'wrong-type', 'sets-completed is an integer');
  fx(P, 'wrong-code', B, (r) => { r.code.coding[0] = { system: CS('gradus'), code: 'daily-check-in', display: 'Daily check-in' }; }, 'Observation.code', 'fixed-pattern', 'code is gradus#exercise-session');
  fx(P, 'missing-based-on', B, (r) => { delete r.basedOn; }, 'Observation.basedOn', 'missing-required', 'basedOn (the order) is 1..1');
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'Observation.subject', 'missing-required', 'subject is 1..1');
  fx(P, 'effective-instant', B, (r) => { delete r.effectivePeriod; r.effectiveInstant = '2026-02-11T17:30:00+01:00'; }, 'Observation.effective', 'wrong-type', 'effective[x] is limited to dateTime|Period');
  fx(P, 'missing-activity-category', B, (r) => { r.category = [{ coding: [{ system: OBSCAT, code: 'survey', display: 'Survey' }] }]; }, 'Observation.category', 'slicing', 'category activity is 1..1');
  fx(P, 'unknown-element', B, (r) => { r.exerciseName = 'Sit-to-stand'; }, 'Observation.exerciseName', 'unknown-element', 'Observation has no element exerciseName');
  fx(P, 'endurance-duration-in-hours', E, (r) => { r.component[0].valueQuantity = q(0.35, 'h'); }, 'Observation.component[0].value', 'component-unit', 'exercise duration (LOINC 55411-3) is in UCUM min');
  fx(P, 'endurance-heart-rate-unit', E, (r) => { r.component[1].valueQuantity = q(118, '{beats}/min', 'bpm'); }, 'Observation.component[1].value', 'component-unit', 'mean heart rate is in UCUM /min');
  fx(P, 'endurance-rpe-borg-scale', E, (r) => { r.component[2].valueInteger = 15; }, 'Observation.component[2].value', 'out-of-range', 'RPE is the 0-10 scale (15 is Borg 6-20)');
  fx(P, 'based-on-plan', B, (r) => { r.basedOn = [{ reference: 'CarePlan/gradus-example-plan' }]; }, 'Observation.basedOn[0]', 'reference-target', 'a session is based on its order (ServiceRequest), not the plan');
  fx(P, 'session-with-value', B, (r) => { r.valueInteger = 3; }, 'Observation.value', 'max-cardinality', 'a session has no value[x] (0..0): its data are in components');
}

// ---------- gradus-daily-check-in (components: [0] pain [1] stiffness [2] fatigue [3] mood [4] sleep [5] confidence [6] steps)
{
  const P = 'gradus-daily-check-in', B = 'gradus-daily-check-in';
  fx(P, 'no-components', B, (r) => { delete r.component; }, 'Observation', 'invariant', 'at least one component must be present (invariant)', { diagnostics: '[a-z][a-z0-9-]*-[0-9]+' });
  fx(P, 'missing-survey-category', B, (r) => { r.category = [{ coding: [{ system: OBSCAT, code: 'activity', display: 'Activity' }] }]; }, 'Observation.category', 'slicing', 'the survey category slice is 1..1');
  fx(P, 'pain-out-of-range', B, (r) => { r.component[0].valueInteger = 14; }, 'Observation.component[0].value', 'out-of-range', 'pain now is 0-10');
  fx(P, 'fatigue-out-of-range', B, (r) => { r.component[2].valueInteger = 11; }, 'Observation.component[2].value', 'out-of-range', 'fatigue is 0-10');
  fx(P, 'sleep-in-minutes', B, (r) => { r.component[4].valueQuantity = q(420, 'min'); }, 'Observation.component[4].value', 'component-unit', 'sleep duration is in UCUM h');
  fx(P, 'steps-without-per-day', B, (r) => { r.component[6].valueQuantity = q(6400, '{steps}', 'steps'); }, 'Observation.component[6].value', 'component-unit', 'steps in 24 h are in UCUM /d');
  fx(P, 'mood-as-string', B, (r) => { delete r.component[3].valueInteger; r.component[3].valueString = 'good'; }, 'Observation.component[3].value', 'wrong-type', 'mood is an integer 0-10');
  fx(P, 'effective-period', B, (r) => { delete r.effectiveDateTime; r.effectivePeriod = { start: '2026-02-12T00:00:00+01:00', end: '2026-02-12T23:59:59+01:00' }; }, 'Observation.effective', 'wrong-type', 'effective[x] is limited to dateTime (the morning it describes)');
  fx(P, 'wrong-code', B, (r) => { r.code.coding[0] = { system: 'http://loinc.org', code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' }; }, 'Observation.code', 'fixed-pattern', 'code is gradus#daily-check-in');
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'Observation.subject', 'missing-required', 'subject is 1..1');
  fx(P, 'effective-without-offset', B, (r) => { r.effectiveDateTime = '2026-02-12T07:30:00'; }, 'Observation.effective', 'primitive-format', 'a dateTime with a time needs its UTC offset (the day is read in it)');
  fx(P, 'two-pain-components', B, (r) => { r.component.push({ code: structuredClone(r.component[0].code), valueInteger: 5 }); }, 'Observation.component', 'max-cardinality', 'each check-in component is 0..1');
  fx(P, 'missing-effective', B, (r) => { delete r.effectiveDateTime; }, 'Observation.effective', 'missing-required', 'the check-in is dated: effectiveDateTime is the morning it describes');
}

// ---------- gradus-pain-score
{
  const P = 'gradus-pain-score', B = 'gradus-pain-score';
  fx(P, 'value-out-of-range', B, (r) => { r.valueInteger = 14; }, 'Observation.value', 'out-of-range', 'pain is 0-10');
  fx(P, 'value-negative', B, (r) => { r.valueInteger = -1; }, 'Observation.value', 'out-of-range', 'pain is 0-10');
  fx(P, 'value-as-quantity', B, (r) => { delete r.valueInteger; r.valueQuantity = q(4, '{score}', 'score'); }, 'Observation.value', 'wrong-type', 'gradus-pain-score takes valueInteger only');
  fx(P, 'wrong-loinc-code', B, (r) => { r.code.coding[0] = { system: 'http://loinc.org', code: '38208-5', display: 'Pain severity - Reported' }; }, 'Observation.code', 'fixed-pattern', 'code is LOINC 72514-3');
  fx(P, 'missing-effective', B, (r) => { delete r.effectiveDateTime; }, 'Observation.effective', 'missing-required', 'effectiveDateTime is 1..1');
  fx(P, 'effective-period', B, (r) => { delete r.effectiveDateTime; r.effectivePeriod = { start: '2026-02-16T10:00:00+01:00' }; }, 'Observation.effective', 'wrong-type', 'effective[x] is limited to dateTime');
  fx(P, 'missing-value', B, (r) => { delete r.valueInteger; }, 'Observation.value', 'missing-required', 'value[x] is 1..1');
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'Observation.subject', 'missing-required', 'subject is 1..1');
  fx(P, 'status-unknown', B, (r) => { r.status = 'done'; }, 'Observation.status', 'required-binding', "'done' is not an observation-status code");
  fx(P, 'unknown-element', B, (r) => { r.score = 4; }, 'Observation.score', 'unknown-element', 'Observation has no element score');
  fx(P, 'value-decimal', B, (r) => { r.valueInteger = 4.5; }, 'Observation.value', 'primitive-format', 'valueInteger is a whole number');
  fx(P, 'subject-is-group', B, (r) => { r.subject = { reference: 'Group/gradus-example-back-class' }; }, 'Observation.subject', 'reference-target', 'subject is Reference(Patient)');
}

// ---------- gradus-symptom-alert
{
  const P = 'gradus-symptom-alert', B = 'gradus-symptom-alert';
  fx(P, 'code-not-a-red-flag', B, (r) => { r.code = { coding: [{ system: CS('red-flag'), code: 'headache', display: 'Headache' }] }; }, 'Observation.code', 'required-binding', "'headache' is not in the red-flag ValueSet (required)");
  fx(P, 'code-from-snomed', B, (r) => { r.code = { coding: [{ system: 'http://snomed.info/sct', code: '29857009', display: 'Chest pain' }] }; }, 'Observation.code', 'required-binding', 'the code must come from the red-flag ValueSet (required), not SNOMED');
  fx(P, 'value-as-string', B, (r) => { delete r.valueBoolean; r.valueString = 'yes'; }, 'Observation.value', 'wrong-type', 'value[x] is boolean');
  fx(P, 'missing-value', B, (r) => { delete r.valueBoolean; }, 'Observation.value', 'missing-required', 'value[x] is 1..1');
  fx(P, 'missing-effective', B, (r) => { delete r.effectiveDateTime; }, 'Observation.effective', 'missing-required', 'effectiveDateTime is 1..1');
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'Observation.subject', 'missing-required', 'subject is 1..1');
  fx(P, 'subject-is-practitioner', B, (r) => { r.subject = { reference: 'Practitioner/gradus-example-physio' }; }, 'Observation.subject', 'reference-target', 'subject is Reference(Patient): the patient, not the clinician who recorded it');
}

// ---------- gradus-tolerance-test
{
  const P = 'gradus-tolerance-test', B = 'gradus-tolerance-test';
  fx(P, 'value-in-hours', B, (r) => { r.valueQuantity = q(0.25, 'h'); }, 'Observation.value', 'invariant', 'tolerance is in UCUM min, s or {repetitions}');
  fx(P, 'value-in-metres', B, (r) => { r.valueQuantity = q(420, 'm'); }, 'Observation.value', 'invariant', 'a walked distance is not a tolerance: min, s or {repetitions} only');
  fx(P, 'value-as-integer', B, (r) => { delete r.valueQuantity; r.valueInteger = 14; }, 'Observation.value', 'wrong-type', 'value[x] is a Quantity');
  fx(P, 'missing-value', B, (r) => { delete r.valueQuantity; }, 'Observation.value', 'missing-required', 'value[x] is 1..1');
  fx(P, 'missing-based-on', B, (r) => { delete r.basedOn; }, 'Observation.basedOn', 'missing-required', 'basedOn (the order tested) is 1..1');
  fx(P, 'wrong-code', B, (r) => { r.code.coding[0] = { system: CS('gradus'), code: 'exercise-session', display: 'Exercise session' }; }, 'Observation.code', 'fixed-pattern', 'code is gradus#tolerance-test');
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'Observation.subject', 'missing-required', 'subject is 1..1');
  fx(P, 'based-on-plan', B, (r) => { r.basedOn = [{ reference: 'CarePlan/gradus-example-plan' }]; }, 'Observation.basedOn[0]', 'reference-target', 'a tolerance test is based on the order (ServiceRequest) it tested');
}

// ---------- gradus-exercise-goal
{
  const P = 'gradus-exercise-goal', B = 'gradus-exercise-goal';
  fx(P, 'target-without-measure', B, (r) => { delete r.target[0].measure; }, 'Goal.target[0].measure', 'nested-cardinality', 'target.measure is 1..1');
  fx(P, 'second-target-without-measure', B, (r) => { r.target.push({ detailQuantity: q(45, 'min'), dueDate: '2026-06-30' }); }, 'Goal.target[1].measure', 'nested-cardinality', 'target.measure is 1..1 in every target');
  fx(P, 'target-without-detail', B, (r) => { delete r.target[0].detailQuantity; }, 'Goal.target[0].detail', 'nested-cardinality', 'target.detail[x] is 1..1');
  fx(P, 'target-without-due-date', B, (r) => { delete r.target[0].dueDate; }, 'Goal.target[0].due', 'nested-cardinality', 'target.dueDate is 1..1');
  fx(P, 'due-as-duration', B, (r) => { delete r.target[0].dueDate; r.target[0].dueDuration = q(12, 'wk'); }, 'Goal.target[0].due', 'wrong-type', 'target.due[x] is limited to date');
  fx(P, 'missing-target', B, (r) => { delete r.target; }, 'Goal.target', 'missing-required', 'target is 1..*');
  fx(P, 'missing-description', B, (r) => { delete r.description; }, 'Goal.description', 'missing-required', 'description is 1..1');
  fx(P, 'missing-subject', B, (r) => { delete r.subject; }, 'Goal.subject', 'missing-required', 'subject is 1..1');
  fx(P, 'lifecycle-status-unknown', B, (r) => { r.lifecycleStatus = 'in-progress'; }, 'Goal.lifecycleStatus', 'required-binding', "'in-progress' is not a goal-status code");
  fx(P, 'unknown-element', B, (r) => { r.dueDate = '2026-04-30'; }, 'Goal.dueDate', 'unknown-element', 'Goal has no element dueDate (it sits in target)');
  fx(P, 'subject-is-group', B, (r) => { r.subject = { reference: 'Group/gradus-example-back-class' }; }, 'Goal.subject', 'reference-target', 'subject is Reference(Patient)');
}

// ---------- gradus-progression-provenance (extension [0] rationale)
{
  const P = 'gradus-progression-provenance', B = 'gradus-progression-provenance';
  fx(P, 'missing-rationale', B, (r) => { delete r.extension; }, 'Provenance.extension', 'slicing', 'the progression-rationale extension is 1..1');
  fx(P, 'rationale-as-string', B, (r) => { r.extension[0] = { url: SD('progression-rationale'), valueString: r.extension[0].valueMarkdown }; }, 'Provenance.extension[0].value', 'wrong-type', 'progression-rationale is markdown');
  fx(P, 'reason-unknown-decision', B, (r) => { r.reason[0].coding[0] = { system: CS('progression-decision'), code: 'increase', display: 'Increase' }; }, 'Provenance.reason[0]', 'required-binding', "'increase' is not a progression-decision code");
  fx(P, 'reason-purpose-of-use', B, (r) => { r.reason = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT', display: 'treatment' }] }]; }, 'Provenance.reason[0]', 'required-binding', 'reason is bound (required) to progression-decision, not PurposeOfUse');
  fx(P, 'missing-reason', B, (r) => { delete r.reason; }, 'Provenance.reason', 'missing-required', 'reason is 1..1');
  fx(P, 'two-reasons', B, (r) => { r.reason.push({ coding: [{ system: CS('progression-decision'), code: 'regress', display: 'Regress' }] }); }, 'Provenance.reason', 'max-cardinality', 'reason is at most 1 (0..1 in the base, 1..1 here)');
  fx(P, 'activity-create', B, (r) => { r.activity.coding[0] = { system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'CREATE', display: 'create' }; }, 'Provenance.activity', 'fixed-pattern', 'activity is v3-DataOperation UPDATE');
  fx(P, 'hold-with-activity', 'gradus-progression-provenance-hold', (r) => { r.activity = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation', code: 'UPDATE', display: 'revise' }] }; }, 'Provenance', 'invariant', 'a hold changes nothing, so its Provenance has no activity', { diagnostics: 'gradus-progression-provenance-[0-9]+' });
  fx(P, 'progress-without-activity', B, (r) => { delete r.activity; }, 'Provenance', 'invariant', 'a decision that changed a resource has activity UPDATE', { diagnostics: 'gradus-progression-provenance-[0-9]+' });
  fx(P, 'missing-engine-agent', 'gradus-progression-provenance-approved', (r) => { r.agent.splice(0, 1); }, 'Provenance.agent', 'slicing', 'the engine (author, logical Device reference) is a 1..1 agent slice');
  fx(P, 'engine-agent-wrong-identifier', B, (r) => { r.agent[0].who.identifier.value = 'some-other-engine'; }, 'Provenance.agent[0].who.identifier.value', 'fixed-pattern', 'the engine agent is identified as {base}/device|gradus-engine');
  fx(P, 'entity-role-derivation', B, (r) => { r.entity[0].role = 'derivation'; }, 'Provenance.entity[0].role', 'fixed-pattern', 'entity.role is fixed to source');
  fx(P, 'missing-target', B, (r) => { delete r.target; }, 'Provenance.target', 'missing-required', 'target is 1..*');
  fx(P, 'missing-agent', B, (r) => { delete r.agent; }, 'Provenance.agent', 'missing-required', 'agent is 1..*');
  fx(P, 'missing-recorded', B, (r) => { delete r.recorded; }, 'Provenance.recorded', 'missing-required', 'recorded is 1..1');
  fx(P, 'entity-not-observation', B, (r) => { r.entity[0].what = { reference: 'ServiceRequest/gradus-example-order-strength' }; }, 'Provenance.entity[0].what', 'reference-target', 'the evidence entities are Observations');
}

// ---------- Bundles: entry-level expressions and references within the Bundle
{
  const P = 'bundle';
  const entry = (resource) => ({ fullUrl: `https://example.org/fhir/${resource.resourceType}/${resource.id}`, resource });
  const full = JSON.parse(readFileSync(`${ROOT}/examples/patient-bundle.json`, 'utf8'));
  const pick = (id) => structuredClone(full.entry.find((e) => e.resource.id === id).resource);
  const plan = pick('gradus-example-plan');
  plan.activity = plan.activity.slice(0, 1);
  delete plan.goal;
  const painScore = ex('gradus-pain-score');
  painScore.subject = { reference: 'Patient/gradus-example-patient' };
  const base = {
    resourceType: 'Bundle', id: 'gradus-example-minimal-bundle', type: 'collection', timestamp: '2026-02-22T20:00:00+01:00',
    entry: [
      entry(pick('gradus-example-patient')),                  // 0
      entry(plan),                                              // 1
      entry(pick('gradus-example-order-strength')),            // 2
      entry(pick('gradus-example-session-strength-2026-02-20')), // 3: components as the strength session example
      entry(pick('gradus-example-check-in-2026-02-21')),       // 4
      entry(painScore),                                         // 5
    ],
  };
  writeFileSync(`${ROOT}/examples/patient-bundle-minimal.json`, JSON.stringify({ ...base, id: 'gradus-example-minimal-bundle' }, null, 2) + '\n');
  fx(P, 'pain-score-entry-out-of-range', base, (b) => { b.entry[5].resource.valueInteger = 14; }, 'Bundle.entry[5].resource.value', 'bundle-entry', 'an invalid resource inside a Bundle is reported under Bundle.entry[i].resource');
  fx(P, 'session-entry-component-out-of-range', base, (b) => { b.entry[3].resource.component[4].valueInteger = 14; }, 'Bundle.entry[3].resource.component[4].value', 'bundle-entry', 'pain-during 14 in the session at entry 3');
  fx(P, 'order-entry-missing-dose', base, (b) => { delete b.entry[2].resource.extension; }, 'Bundle.entry[2].resource.extension', 'bundle-entry', 'the order at entry 2 lacks its exercise-dose extension');
  fx(P, 'unresolved-based-on', base, (b) => { b.entry[3].resource.basedOn = [{ reference: 'ServiceRequest/gradus-example-order-missing' }]; }, 'Bundle.entry[3].resource.basedOn[0]', 'bundle-reference', 'the session is based on an order that is not in the Bundle');
  fx(P, 'unresolved-subject', base, (b) => { b.entry[4].resource.subject = { reference: 'Patient/gradus-someone-else' }; }, 'Bundle.entry[4].resource.subject', 'bundle-reference', 'the check-in subject is not in the Bundle');
  const urnBase = structuredClone({ ...base, id: 'gradus-example-minimal-bundle-urn' });
  const urn = new Map(urnBase.entry.map((e, i) => [`${e.resource.resourceType}/${e.resource.id}`, `urn:uuid:6f1c2a9e-0b7d-4c3a-9e21-${String(i + 1).padStart(12, '0')}`]));
  const toUrn = (v) => {
    if (Array.isArray(v)) v.forEach(toUrn);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k === 'reference' && urn.has(x)) v[k] = urn.get(x); else toUrn(x);
    }
  };
  for (const e of urnBase.entry) { e.fullUrl = urn.get(`${e.resource.resourceType}/${e.resource.id}`); toUrn(e.resource); }
  writeFileSync(`${ROOT}/examples/patient-bundle-urn-uuid.json`, JSON.stringify(urnBase, null, 2) + '\n');
  fx(P, 'unresolved-urn-uuid', urnBase, (b) => { b.entry[3].resource.basedOn = [{ reference: 'urn:uuid:6f1c2a9e-0b7d-4c3a-9e21-999999999999' }]; }, 'Bundle.entry[3].resource.basedOn[0]', 'bundle-reference', 'a urn:uuid reference must name an entry fullUrl of the Bundle', { base: 'examples/patient-bundle-urn-uuid.json' });
  fx(P, 'duplicate-full-url', base, (b) => { b.entry[4].fullUrl = b.entry[3].fullUrl; }, 'Bundle', 'bundle-entry', 'fullUrls are unique within a Bundle (bdl-7)', { diagnostics: 'bdl-7' });
  fx(P, 'unresolved-plan-activity', base, (b) => { b.entry[1].resource.activity.push({ reference: { reference: 'ServiceRequest/gradus-example-order-walking' } }); }, 'Bundle.entry[1].resource.activity[1].reference', 'bundle-reference', 'the plan lists an order that is not in the Bundle');
}

writeFileSync(`${dirOut}/manifest.json`, JSON.stringify(manifest, null, 2) + '\n');
const per = {}; for (const m of manifest) { const d = m.file.split('/')[0]; per[d] = (per[d] ?? 0) + 1; }
console.log(manifest.length, per, [...new Set(manifest.map((m) => m.kind))]);
