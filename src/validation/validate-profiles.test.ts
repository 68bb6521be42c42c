import type { CarePlan, CodeableConcept, Observation, ObservationComponent, OperationOutcomeIssue, Resource, ServiceRequest } from 'fhir/r4';
import { CS, EXT, EXERCISE_THERAPY, GRADUS_CODE, LOINC, LOINC_CODE, OBSERVATION_CATEGORY, PROFILE, SNOMED, UCUM, VS } from '../fhir/codes';
import { validate } from './index';


const errors = (r: unknown): OperationOutcomeIssue[] => validate(r).issue.filter((i) => i.severity === 'error');
const listed = (r: unknown): string[] => errors(r).map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`);
const coding = (system: string, code: string): CodeableConcept => ({ coding: [{ system, code }] });
const component = (system: string, code: string, value: Partial<ObservationComponent>): ObservationComponent => ({
  code: coding(system, code),
  ...value,
});

const session = (): Observation => ({
  resourceType: 'Observation',
  meta: { profile: [PROFILE.exerciseSession] },
  status: 'final',
  category: [coding(OBSERVATION_CATEGORY, 'activity')],
  code: coding(CS.gradus, GRADUS_CODE.exerciseSession),
  subject: { reference: 'Patient/p1' },
  basedOn: [{ reference: 'ServiceRequest/o1' }],
  effectiveDateTime: '2026-02-20T10:00:00+01:00',
  component: [
    component(CS.gradus, GRADUS_CODE.setsCompleted, { valueInteger: 3 }),
    component(CS.gradus, GRADUS_CODE.loadLifted, { valueQuantity: { value: 6, unit: 'kg', system: UCUM, code: 'kg' } }),
    component(CS.gradus, GRADUS_CODE.painDuring, { valueInteger: 4 }),
  ],
});

const order = (): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id: 'o1',
  meta: { profile: [PROFILE.exerciseOrder] },
  extension: [{ url: EXT.exerciseDose, extension: [{ url: 'sets', valueInteger: 3 }, { url: 'reps', valueInteger: 10 }] }],
  status: 'active',
  intent: 'order',
  category: [coding(SNOMED, EXERCISE_THERAPY), coding(CS.exerciseDomain, 'strength')],
  code: coding(CS.exercise, 'sit-to-stand'),
  subject: { reference: 'Patient/p1' },
  basedOn: [{ reference: 'CarePlan/c1' }],
  authoredOn: '2026-02-02T09:00:00+01:00',
  occurrenceTiming: { repeat: { frequency: 3, period: 1, periodUnit: 'wk' } },
});

const plan = (): CarePlan => ({
  resourceType: 'CarePlan',
  id: 'c1',
  meta: { profile: [PROFILE.exercisePlan] },
  extension: [
    { url: EXT.progressionPhase, valueCode: 'build' },
    { url: EXT.progressionPolicy, extension: [{ url: 'mode', valueCode: 'pain-guided' }, { url: 'painCeiling', valueInteger: 5 }] },
  ],
  status: 'active',
  intent: 'plan',
  category: [coding(CS.gradus, GRADUS_CODE.exerciseProgram)],
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-02-02' },
  activity: [{ reference: { reference: 'ServiceRequest/o1' } }],
});

const painScore = (): Observation => ({
  resourceType: 'Observation',
  meta: { profile: [PROFILE.painScore] },
  status: 'final',
  code: coding(LOINC, LOINC_CODE.pain),
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-02-21T08:00:00+01:00',
  valueInteger: 3,
});

const change = <T extends Resource>(build: () => T, edit: (r: T) => void): T => {
  const r = build();
  edit(r);
  return r;
};

/** [behaviour, resource, expected expression, diagnostics pattern] */
const CASES: [string, Resource, string, RegExp][] = [
  ['a missing extension slice', change(plan, (r) => r.extension?.splice(0, 1)), 'CarePlan.extension', /Slice 'progressionPhase' requires at least 1/],
  ['an extension code outside its required ValueSet', change(plan, (r) => r.extension?.splice(0, 1, { url: EXT.progressionPhase, valueCode: 'maintenance' })), 'CarePlan.extension[0].value', /progression-phase/],
  ['an extension value of a type its definition does not allow', change(plan, (r) => r.extension?.splice(0, 1, { url: EXT.progressionPhase, valueString: 'build' })), 'CarePlan.extension[0].value', /may only be valueCode/],
  ['a missing sub-extension of a complex extension', change(plan, (r) => r.extension?.[1]?.extension?.splice(0, 1)), 'CarePlan.extension[1].extension', /Slice 'mode' requires at least 1/],
  ['a sub-extension of the wrong type', change(plan, (r) => r.extension?.[1]?.extension?.splice(1, 1, { url: 'painCeiling', valueString: '5' })), 'CarePlan.extension[1].extension[1].value', /may only be valueInteger/],
  ['a sub-extension value above its maxValue', change(plan, (r) => r.extension?.[1]?.extension?.splice(1, 1, { url: 'painCeiling', valueInteger: 11 })), 'CarePlan.extension[1].extension[1].value', /above the maximum 10/],
  ['a value against a patternCode', change(plan, (r) => (r.intent = 'order')), 'CarePlan.intent', /pattern "plan"/],
  ['a missing pattern category slice', change(plan, (r) => (r.category = [{ text: 'other' }])), 'CarePlan.category', /Slice 'program' requires at least 1/],
  ['a missing element inside a repeating backbone element', change(plan, (r) => r.activity?.push({ detail: { status: 'scheduled' } })), 'CarePlan.activity[1].reference', /Missing required element 'reference'/],
  ['a missing element required by a profile', change(plan, (r) => delete r.period?.start), 'CarePlan.period.start', /Missing required element 'start'/],
  ['a complex-extension invariant', change(order, (r) => r.extension?.splice(0, 1, { url: EXT.exerciseDose, extension: [{ url: 'step', valueInteger: 2 }] })), 'ServiceRequest.extension[0]', /gradus-exercise-dose-1/],
  ['a fixed-value pattern deep in a datatype', change(order, (r) => r.occurrenceTiming?.repeat && (r.occurrenceTiming.repeat.periodUnit = 'd')), 'ServiceRequest.occurrence.repeat.periodUnit', /pattern "wk"/],
  ['a missing element unfolded inside a datatype', change(order, (r) => delete r.occurrenceTiming?.repeat?.frequency), 'ServiceRequest.occurrence.repeat.frequency', /Missing required/],
  ['a choice type the profile removed', change(order, (r) => { delete r.occurrenceTiming; r.occurrenceDateTime = '2026-02-02'; }), 'ServiceRequest.occurrence', /may only be occurrenceTiming/],
  ['a profile invariant on a primitive', change(order, (r) => (r.intent = 'filler-order')), 'ServiceRequest.intent', /gradus-exercise-order-1/],
  ['a slice code outside the slice binding', change(order, (r) => r.category?.splice(1, 1, coding(CS.exerciseDomain, 'balance'))), 'ServiceRequest.category[1]', /exercise-domain/],
  ['an unknown code in one of our complete CodeSystems', change(order, (r) => r.category?.splice(1, 1, coding(CS.exerciseDomain, 'balance'))), 'ServiceRequest.category[1].coding[0].code', /Unknown code 'balance'/],
  ['a component value above its maxValue', change(session, (r) => r.component?.splice(2, 1, component(CS.gradus, GRADUS_CODE.painDuring, { valueInteger: 11 }))), 'Observation.component[2].value', /above the maximum 10/],
  ['a component value of the wrong type', change(session, (r) => r.component?.splice(2, 1, component(CS.gradus, GRADUS_CODE.painDuring, { valueString: '4' }))), 'Observation.component[2].value', /may only be valueInteger/],
  ['a component unit its invariant forbids', change(session, (r) => r.component?.splice(1, 1, component(CS.gradus, GRADUS_CODE.loadLifted, { valueQuantity: { value: 13, system: UCUM, code: '[lb_av]' } }))), 'Observation.component[1].value', /gradus-exercise-session-2/],
  ['a component slice present twice', change(session, (r) => r.component?.push(component(CS.gradus, GRADUS_CODE.painDuring, { valueInteger: 2 }))), 'Observation.component', /Slice 'painDuring' allows at most 1/],
  ['a status the profile invariant excludes', change(session, (r) => (r.status = 'preliminary')), 'Observation.status', /gradus-exercise-session-1/],
  ['an effective[x] type the profile does not allow', change(session, (r) => { delete r.effectiveDateTime; r.effectiveInstant = '2026-02-20T10:00:00+01:00'; }), 'Observation.effective', /effectiveInstant' is not allowed/],
  ['a value[x] the profile prohibits', change(session, (r) => (r.valueInteger = 1)), 'Observation.value', /not allowed here \(maximum 0\)/],
  ['a code against the profile pattern', change(session, (r) => (r.code = coding(CS.gradus, GRADUS_CODE.dailyCheckIn))), 'Observation.code', /pattern/],
  ['a subject of a type the profile narrowed out', change(session, (r) => (r.subject = { reference: 'Group/g1' })), 'Observation.subject', /Reference to a Group is not allowed/],
  ['a value the profile types as integer given as Quantity', change(painScore, (r) => { delete r.valueInteger; r.valueQuantity = { value: 3, system: UCUM, code: '{score}' }; }), 'Observation.value', /valueQuantity' is not allowed/],
  ['a pain score out of range', change(painScore, (r) => (r.valueInteger = -1)), 'Observation.value', /below the minimum 0/],
  ['a plan extension used on an order', change(order, (r) => r.extension?.push({ url: EXT.progressionPhase, valueCode: 'build' })), 'ServiceRequest.extension[1]', /progression-phase is not allowed on ServiceRequest \(its context: CarePlan\)/],
  ['a plan extension used deeper in the plan', change(plan, (r) => r.activity?.push({ reference: { reference: 'ServiceRequest/o2' }, extension: [{ url: EXT.phaseSince, valueDateTime: '2026-02-02' }] })), 'CarePlan.activity[1].extension[0]', /not allowed on CarePlan\.activity/],
];

describe('validate against the Gradus profiles', () => {
  it.each([
    ['exercise session', session()],
    ['exercise order', order()],
    ['exercise plan', plan()],
    ['pain score', painScore()],
  ])('accepts a valid %s', (_what, r) => {
    expect(listed(r)).toEqual([]);
  });

  it.each(CASES)('reports %s', (_what, resource, expression, diagnostics) => {
    const found = errors(resource).filter((i) => i.expression?.[0] === expression);
    expect(found.map((i) => i.diagnostics).join('\n')).toMatch(diagnostics);
  });

  it('reports a value of a disallowed choice type once, not also as a missing value', () => {
    const r = change(painScore, (o) => { delete o.valueInteger; o.valueQuantity = { value: 3, system: UCUM, code: '{score}' }; });
    expect(listed(r)).toEqual(["Observation.value: 'valueQuantity' is not allowed: value[x] may only be valueInteger"]);
  });

  it('names the codings that are not in a required ValueSet without a double negative', () => {
    const alert = {
      resourceType: 'Observation',
      meta: { profile: [PROFILE.symptomAlert] },
      status: 'final',
      code: coding(CS.redFlag, 'headache'),
      subject: { reference: 'Patient/p1' },
      effectiveDateTime: '2026-02-20T10:00:00+01:00',
      valueBoolean: true,
    };
    const found = errors(alert).filter((i) => i.expression?.[0] === 'Observation.code');
    expect(found.map((i) => i.diagnostics)).toEqual([
      `No coding (${CS.redFlag}#headache) is in the required ValueSet ${VS.redFlag}`,
    ]);
  });

  it('accepts a component outside the slices (open slicing)', () => {
    expect(listed(change(session, (r) => r.component?.push(component(LOINC, '8302-2', { valueString: 'tall' }))))).toEqual([]);
  });

  it('recognises an extension slice by url although the snapshot has no <slice>.url element', () => {
    const found = listed(change(plan, (r) => r.extension?.reverse()));
    expect(found).toEqual([]);
  });
});
