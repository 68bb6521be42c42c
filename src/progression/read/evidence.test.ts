import type { Bundle, CarePlan, FhirResource, Observation, ServiceRequest } from 'fhir/r4';
import { CS, EXT, GRADUS_CODE, LOINC, PROFILE } from '../../fhir/codes';
import { OperationOutcomeError } from '../../fhir/outcome';
import { readEvidence } from './evidence';
import { at, NOW, scenario, type HistoryBuilder } from '../../../test/support/builder';
import { evidenceOf } from '../../../test/support/evaluate';

const strength = { id: 's1', dose: { sets: 3, reps: 10, load: 5, step: 2 } };

function base(): HistoryBuilder {
  return scenario()
    .order(strength)
    .session('s1', 3, { painDuring: 3, reps: 12 })
    .painScore(2, 2);
}

/** Index of the entry holding the resource with this id. */
function entryOf(bundle: Bundle, id: string): number {
  return (bundle.entry ?? []).findIndex((e) => e.resource?.id === id);
}

function issuesOf(bundle: unknown, now = NOW): { expression: string | undefined; diagnostics: string }[] {
  try {
    readEvidence(bundle as Bundle, { now });
  } catch (err) {
    if (!(err instanceof OperationOutcomeError)) throw err;
    return err.outcome.issue.map((i) => ({ expression: i.expression?.[0], diagnostics: i.diagnostics ?? '' }));
  }
  throw new Error('readEvidence accepted the input');
}

describe('readEvidence: facts', () => {
  it('keeps the earliest daily pain of each day, from check-ins and any Observation coded 72514-3', () => {
    const evidence = evidenceOf(
      scenario()
        .painScore(3, 6, { time: '12:00' })
        .checkIn(3, { pain: 4, time: '07:00' })
        .painScore(2, 5, { time: '06:00', asQuantity: true })
        .checkIn(2, { pain: 1, fatigue: 8, time: '07:00' })
        .raw({ resourceType: 'Observation', id: 'flowsheet', status: 'final', code: { coding: [{ system: LOINC, code: '72514-3' }] }, subject: { reference: 'Patient/p1' }, effectiveDateTime: at(1, '09:00'), valueInteger: 7 }),
    );
    expect(evidence.dailyPain.map((p) => [p.date, p.day, p.value, p.source])).toEqual([
      ['2026-11-17', 3, 4, 'Observation/o2'],
      ['2026-11-18', 2, 5, 'Observation/o3'],
      ['2026-11-19', 1, 7, 'Observation/flowsheet'],
    ]);
    expect(evidence.checkIns.map((c) => [c.date, c.values.pain?.value, c.values.fatigue?.value])).toEqual([
      ['2026-11-17', 4, undefined],
      ['2026-11-18', 1, 8],
    ]);
  });

  it('places a value on the calendar date of its own offset', () => {
    const evidence = evidenceOf(
      scenario().raw({
        resourceType: 'Observation',
        id: 'late',
        status: 'final',
        code: { coding: [{ system: LOINC, code: '72514-3' }] },
        subject: { reference: 'Patient/p1' },
        effectiveDateTime: '2026-11-18T23:30:00-05:00',
        valueInteger: 3,
      }),
    );
    expect(evidence.dailyPain[0]).toMatchObject({ date: '2026-11-18', day: 2 });
  });

  describe('a value on a later calendar date that is not after now (NOW 2026-11-20T20:00+01:00 = 19:00Z)', () => {
    const painAt = (id: string, effectiveDateTime: string, value: number): Observation => ({
      resourceType: 'Observation',
      id,
      status: 'final',
      code: { coding: [{ system: LOINC, code: '72514-3' }] },
      subject: { reference: 'Patient/p1' },
      effectiveDateTime,
      valueInteger: value,
    });

    it('is day 0 and keeps its own date (18:30Z at +06:00 is the 21st)', () => {
      const evidence = evidenceOf(scenario().raw(painAt('east', '2026-11-21T00:30:00+06:00', 6)));
      expect(evidence.dailyPain.map((p) => [p.date, p.day, p.value])).toEqual([['2026-11-21', 0, 6]]);
    });

    it("shares day 0 with today's values: the earliest of the day wins, and check-ins log it under now's date", () => {
      const evidence = evidenceOf(
        scenario()
          .checkIn(0, { pain: 2, time: '07:00' })
          .raw(painAt('east', '2026-11-21T00:30:00+06:00', 6))
          .raw({ ...painAt('east-checkin', '2026-11-21T00:40:00+06:00', 0), code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.dailyCheckIn }] }, valueInteger: undefined, component: [{ code: { coding: [{ system: CS.gradus, code: GRADUS_CODE.fatigue }] }, valueInteger: 8 }] }),
      );
      expect(evidence.dailyPain.map((p) => [p.date, p.day, p.value])).toEqual([['2026-11-20', 0, 2]]);
      expect(evidence.checkIns.map((c) => [c.date, c.day, c.values.pain?.value, c.values.fatigue?.value, c.values.fatigue?.date])).toEqual([
        ['2026-11-20', 0, 2, 8, '2026-11-21'],
      ]);
    });

    it('is still an error when it is after now as an instant (19:30Z at +06:00)', () => {
      expect(issuesOf(scenario().raw(painAt('east', '2026-11-21T01:30:00+06:00', 6)).build())).toEqual([
        { expression: expect.stringMatching(/^Bundle\.entry\[\d+\]\.resource\.effective$/) as string, diagnostics: expect.stringMatching(/dated 2026-11-21T01:30:00\+06:00, after now/) as string },
      ]);
    });
  });

  it('ignores other patients, other resource types and entered-in-error Observations', () => {
    const other: Observation = { resourceType: 'Observation', id: 'x', status: 'final', code: { coding: [{ system: LOINC, code: '72514-3' }] }, subject: { reference: 'Patient/other' }, effectiveDateTime: at(1), valueInteger: 14 };
    const wrong: Observation = { ...other, id: 'y', subject: { reference: 'Patient/p1' }, status: 'entered-in-error', valueInteger: 9 };
    const evidence = evidenceOf(scenario().painScore(2, 3).raw(other).raw(wrong).raw({ resourceType: 'Goal', id: 'g', lifecycleStatus: 'active', description: { text: 'walk' }, subject: { reference: 'Patient/p1' } }));
    expect(evidence.dailyPain.map((p) => p.value)).toEqual([3]);
  });

  it('reads the plan, patient, phase, policy and program week', () => {
    const evidence = evidenceOf(
      base()
        .plan({ phase: 'flare', phaseSince: 3, referencePain: 3.5, flareSince: 3, planStart: 21, policy: { painCeiling: 4 } })
        .patient({ birthDate: '1980-11-21' }),
    );
    expect(evidence).toMatchObject({
      now: NOW,
      today: '2026-11-20',
      planId: 'plan',
      planReference: 'CarePlan/plan',
      planFullUrl: 'https://example.org/fhir/CarePlan/plan',
      patient: { reference: 'Patient/p1', age: 45, birthDate: '1980-11-21' },
      phase: 'flare',
      phaseSince: at(3, '09:00'),
      phaseStart: at(3, '09:00'),
      phaseStartDay: 3,
      referencePain: 3.5,
      flareSince: at(3, '09:00'),
      programWeek: 4,
      policy: { mode: 'pain-guided', painCeiling: 4, stableSessions: 2, deloadEveryWeeks: 4 },
    });
    expect(evidence.fullUrls.get('Observation/o1')).toBe('https://example.org/fhir/Observation/o1');
  });

  it('takes the phase start from the latest authoredOn among current orders when phase-since is absent', () => {
    const evidence = evidenceOf(
      scenario()
        .plan({ phaseSince: undefined })
        .order({ id: 'a', dose: { reps: 8 }, authoredOn: 12 })
        .order({ id: 'b', dose: { reps: 8 }, authoredOn: 5 })
        .order({ id: 'c', dose: { reps: 8 }, authoredOn: 1, status: 'completed', inPlan: false }),
    );
    expect(evidence.phaseStartDay).toBe(5);
  });

  it('reads each current order: domain, exercise, dose, sessions on or after authoredOn with next-morning pain', () => {
    const evidence = evidenceOf(
      scenario()
        .order({ id: 's1', dose: { sets: 3, reps: 10, load: 5 }, authoredOn: at(5, '18:00'), exercise: 'sit-to-stand' })
        .session('s1', 6, { painDuring: 2 })
        .session('s1', 5, { painDuring: 3, painAfter: 4, sets: 3, reps: 12, load: 5, rpe: 5, heartRate: 120, duration: 25, time: '08:00' })
        .session('s1', 2, { painDuring: 1 })
        .painScore(4, 3),
    );
    const order = evidence.orders[0];
    expect(order).toMatchObject({
      id: 's1',
      reference: 'ServiceRequest/s1',
      status: 'active',
      domain: 'strength',
      exercise: { system: CS.exercise, code: 'sit-to-stand', display: 'sit-to-stand' },
      dose: { sets: 3, reps: 10, load: 5 },
      authoredDay: 5,
      frequencyPerWeek: 3,
      intensityBy: 'rpe',
    });
    expect(order?.sessions.map((s) => s.date)).toEqual(['2026-11-15', '2026-11-18']);
    expect(order?.sessions[0]).toMatchObject({
      painDuring: 3,
      painAfter: 4,
      setsCompleted: 3,
      repsFinalSet: 12,
      loadLifted: 5,
      rpe: 5,
      heartRate: 120,
      duration: { value: 25, unit: 'min' },
      nextMorningPain: { date: '2026-11-16', value: 3 },
    });
    expect(order?.sessions[1]?.nextMorningPain).toBeUndefined();
  });

  it('follows the replaces chain and gathers tolerance tests on any order in it', () => {
    const evidence = evidenceOf(
      scenario()
        .order({ id: 'v1', dose: { reps: 6 }, authoredOn: 30, status: 'completed', inPlan: false })
        .order({ id: 'v2', dose: { reps: 8 }, authoredOn: 20, status: 'completed', inPlan: false, replaces: 'v1' })
        .order({ id: 'v3', dose: { reps: 10 }, authoredOn: 10, replaces: 'v2' })
        .toleranceTest('v1', 25, 12, '{repetitions}')
        .toleranceTest('v3', 5, 14, '{repetitions}'),
    );
    const order = evidence.orders[0];
    expect(order?.chain.map((l) => [l.id, l.dose.reps])).toEqual([
      ['v3', 10],
      ['v2', 8],
      ['v1', 6],
    ]);
    expect(order?.toleranceTests.map((t) => [t.orderId, t.value, t.unit])).toEqual([
      ['v1', 12, '{repetitions}'],
      ['v3', 14, '{repetitions}'],
    ]);
    expect([...evidence.ordersById.keys()].sort()).toEqual(['v1', 'v2', 'v3']);
    expect(evidence.currentOrders.map((o) => o.id)).toEqual(['v3']);
  });

  it('stops a replaces chain that loops', () => {
    const evidence = evidenceOf(
      scenario()
        .order({ id: 'a', dose: { reps: 6 }, authoredOn: 30, status: 'completed', inPlan: false, replaces: 'b' })
        .order({ id: 'b', dose: { reps: 8 }, authoredOn: 10, status: 'active', replaces: 'a' }),
    );
    expect(evidence.orders[0]?.chain.map((l) => l.id)).toEqual(['b', 'a']);
  });

  it('keeps on-hold orders current and sorts current orders by id', () => {
    const evidence = evidenceOf(
      scenario()
        .order({ id: 'z', dose: { reps: 8 } })
        .order({ id: 'm', dose: { reps: 8 }, status: 'on-hold' })
        .order({ id: 'c', dose: { reps: 8 }, status: 'completed', inPlan: true }),
    );
    expect(evidence.orders.map((o) => [o.id, o.status])).toEqual([
      ['m', 'on-hold'],
      ['z', 'active'],
    ]);
  });

  it('reads symptom alerts and the latest resting heart rate', () => {
    const evidence = evidenceOf(scenario().alert(3, 'fever', false).alert(1, 'syncope-or-dizziness').restingHeartRate(9, 70).restingHeartRate(2, 64));
    expect(evidence.symptomAlerts.map((a) => [a.code, a.present, a.day])).toEqual([
      ['fever', false, 3],
      ['syncope-or-dizziness', true, 1],
    ]);
    expect(evidence.restingHeartRate).toMatchObject({ value: 64, day: 2 });
  });

  it('uses heart-rate intensity for an order with a zone unless the policy says rpe', () => {
    const b = scenario().order({ id: 'e', domain: 'endurance', dose: { duration: { value: 20, unit: 'min' }, heartRateZone: { low: 100, high: 120 } } });
    expect(evidenceOf(b).orders[0]?.intensityBy).toBe('heart-rate');
    expect(evidenceOf(b, { intensityBy: 'rpe' }).orders[0]?.intensityBy).toBe('rpe');
  });

  it('does not mutate the Bundle', () => {
    const bundle = base().build();
    const copy = structuredClone(bundle);
    readEvidence(bundle, { now: NOW });
    expect(bundle).toEqual(copy);
  });
});

type Mutation = (bundle: Bundle) => void;

function resourceOf<T extends FhirResource>(bundle: Bundle, id: string): T {
  const r = bundle.entry?.[entryOf(bundle, id)]?.resource;
  if (!r) throw new Error(`no ${id}`);
  return r as T;
}

const plan = (b: Bundle) => resourceOf<CarePlan>(b, 'plan');
const order = (b: Bundle) => resourceOf<ServiceRequest>(b, 's1');
const obs = (b: Bundle, id: string) => resourceOf<Observation>(b, id);

describe('readEvidence: bad input', () => {
  // entries of base(): 0 Patient, 1 plan, 2 order s1, 3 session o1, 4 pain o2
  it.each<[string, Mutation, string, RegExp]>([
    ['no plan', (b) => { b.entry?.splice(1, 1); }, 'Bundle.entry', /no gradus-exercise-plan/],
    ['two plans', (b) => { b.entry?.push({ resource: { ...plan(b), id: 'plan2' } }); }, 'Bundle.entry[1].resource', /2 gradus-exercise-plans \(CarePlan\/plan, CarePlan\/plan2\)/],
    ['an order without a dose', (b) => { order(b).extension = []; }, 'Bundle.entry[2].resource.extension', /order ServiceRequest\/s1 has no exercise-dose/],
    ['a dose without sets, reps or duration', (b) => { order(b).extension = [{ url: EXT.exerciseDose, extension: [{ url: 'step', valueInteger: 1 }] }]; }, 'Bundle.entry[2].resource.extension[0]', /without sets, reps or duration/],
    ['pain 14', (b) => { obs(b, 'o2').valueInteger = 14; }, 'Bundle.entry[4].resource.value', /pain score \(LOINC 72514-3\) is 14, outside the 0-10 scale/],
    ['a session pain-during of -1', (b) => { const c = obs(b, 'o1').component?.[1]; if (c) c.valueInteger = -1; }, 'Bundle.entry[3].resource.component[1].value', /pain-during is -1/],
    ['a pain score dated after now', (b) => { obs(b, 'o2').effectiveDateTime = '2026-11-20T21:00:00+01:00'; }, 'Bundle.entry[4].resource.effective', /dated 2026-11-20T21:00:00\+01:00, after now/],
    ['an order authored after now', (b) => { order(b).authoredOn = '2026-11-22'; }, 'Bundle.entry[2].resource.authoredOn', /authored 2026-11-22, after now/],
    ['phase-since after now', (b) => { const e = plan(b).extension?.find((x) => x.url === EXT.phaseSince); if (e) e.valueDateTime = '2026-12-01'; }, 'Bundle.entry[1].resource.extension[1].value', /phase-since 2026-12-01 is after now/],
    ['a plan activity that does not resolve', (b) => { b.entry?.splice(2, 1); }, 'Bundle.entry[1].resource.activity[0].reference', /refers to ServiceRequest\/s1, which is not in the Bundle/],
    ['an order basedOn that does not resolve', (b) => { order(b).basedOn = [{ reference: 'CarePlan/gone' }]; }, 'Bundle.entry[2].resource.basedOn[0]', /based on CarePlan\/gone, which is not in the Bundle/],
    ['a session basedOn that does not resolve', (b) => { obs(b, 'o1').basedOn = [{ reference: 'ServiceRequest/gone' }]; }, 'Bundle.entry[3].resource.basedOn[0]', /based on ServiceRequest\/gone, which is not an exercise order/],
    ['a subject that does not resolve to a Patient', (b) => { b.entry?.splice(0, 1); }, 'Bundle.entry[0].resource.subject', /subject Patient\/p1 is not in the Bundle/],
    ['no progression-phase', (b) => { plan(b).extension = plan(b).extension?.filter((e) => e.url !== EXT.progressionPhase); }, 'Bundle.entry[1].resource.extension', /no progression-phase/],
    ['an unknown phase', (b) => { const e = plan(b).extension?.[0]; if (e) e.valueCode = 'rest'; }, 'Bundle.entry[1].resource.extension[0].value', /progression-phase 'rest'/],
    ['no period.start', (b) => { plan(b).period = {}; }, 'Bundle.entry[1].resource.period.start', /no period.start/],
    ['a current order without a domain', (b) => { order(b).category = order(b).category?.slice(0, 1); }, 'Bundle.entry[2].resource.category', /no exercise-domain category/],
    ['a reference pain of 11', (b) => { plan(b).extension?.push({ url: EXT.referencePain, valueDecimal: 11 }); }, 'Bundle.entry[1].resource.extension[2].value', /reference-pain 11 is outside the 0-10 scale/],
    ['a tolerance test in kg', (b) => { const test: Observation = { resourceType: 'Observation', id: 't', status: 'final', meta: { profile: [PROFILE.toleranceTest] }, code: { text: 't' }, subject: { reference: 'Patient/p1' }, basedOn: [{ reference: 'ServiceRequest/s1' }], effectiveDateTime: at(2), valueQuantity: { value: 5, code: 'kg', system: 'http://unitsofmeasure.org' } }; b.entry?.push({ resource: test }); }, 'Bundle.entry[5].resource.value', /min, s or \{repetitions\}/],
  ])('rejects %s', (_name, mutate, expression, message) => {
    const bundle = base().build();
    mutate(bundle);
    const issues = issuesOf(bundle);
    expect(issues).toContainEqual({ expression, diagnostics: expect.stringMatching(message) as string });
  });

  it.each<[string, unknown, RegExp]>([
    ['a Patient', { resourceType: 'Patient' }, /expected a FHIR Bundle, got Patient/],
    ['a string', 'bundle', /expected a FHIR Bundle, got string/],
    ['null', null, /expected a FHIR Bundle, got object/],
  ])('rejects %s instead of a Bundle', (_name, input, message) => {
    expect(issuesOf(input)[0]).toEqual({ expression: 'Bundle', diagnostics: expect.stringMatching(message) as string });
  });

  it('rejects a Bundle without entries', () => {
    expect(issuesOf({ resourceType: 'Bundle', type: 'collection' })).toEqual([{ expression: 'Bundle.entry', diagnostics: 'the Bundle has no entries with a resource' }]);
  });

  it('rejects a now that is not a dateTime', () => {
    expect(issuesOf(base().build(), 'tomorrow')).toEqual([{ expression: 'now', diagnostics: "now 'tomorrow' is not an ISO dateTime" }]);
  });

  it('collects every problem in one OperationOutcome', () => {
    const bundle = base().build();
    order(bundle).extension = [];
    obs(bundle, 'o2').valueInteger = 14;
    obs(bundle, 'o1').basedOn = [{ reference: 'ServiceRequest/gone' }];
    expect(issuesOf(bundle).map((i) => i.expression)).toEqual(
      expect.arrayContaining(['Bundle.entry[2].resource.extension', 'Bundle.entry[4].resource.value', 'Bundle.entry[3].resource.basedOn[0]']),
    );
  });

  it('throws an OperationOutcomeError whose issues are all errors', () => {
    const bundle = base().build();
    obs(bundle, 'o2').valueInteger = 14;
    expect(() => readEvidence(bundle, { now: NOW })).toThrow(OperationOutcomeError);
    try {
      readEvidence(bundle, { now: NOW });
    } catch (err) {
      expect((err as OperationOutcomeError).outcome.issue.every((i) => i.severity === 'error')).toBe(true);
    }
  });
});

/** Sets a property of any JSON value found along `path` (test corruption of otherwise typed resources). */
function setIn(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1);
  if (last === undefined) throw new Error('empty path');
  if (value === undefined) delete node[last];
  else node[last] = value;
}

describe('readEvidence: malformed JSON is reported, never a TypeError', () => {
  // entries of base(): 0 Patient, 1 plan, 2 order s1, 3 session o1, 4 pain o2
  it.each<[string, Mutation, string, RegExp]>([
    ['a null in the plan extension list', (b) => { setIn(plan(b), ['extension', 1], null); }, 'Bundle.entry[1].resource.extension[1]', /plan CarePlan\/plan: extension\[1\] is null, expected an object/],
    ['a plan activity list that is an object', (b) => { setIn(plan(b), ['activity'], {}); }, 'Bundle.entry[1].resource.activity', /expected a list/],
    ['a plan subject that is a string', (b) => { setIn(plan(b), ['subject'], 'Patient/p1'); }, 'Bundle.entry[1].resource.subject', /expected an object/],
    ['an order code.coding that is a number', (b) => { setIn(order(b), ['code', 'coding'], 42); }, 'Bundle.entry[2].resource.code.coding', /order ServiceRequest\/s1: code.coding is number 42/],
    ['an order extension list that is a string', (b) => { setIn(order(b), ['extension'], 'x'); }, 'Bundle.entry[2].resource.extension', /expected a list/],
    ['a null exercise-dose part', (b) => { setIn(order(b), ['extension', 0, 'extension', 1], null); }, 'Bundle.entry[2].resource.extension[0].extension[1]', /is null, expected an object/],
    ['a dose load whose value is a string', (b) => { setIn(order(b), ['extension', 0, 'extension', 2, 'valueQuantity', 'value'], '5'); }, 'Bundle.entry[2].resource.extension[0].extension[2].value.value', /expected a number/],
    ['an order basedOn that is an object', (b) => { setIn(order(b), ['basedOn'], { reference: 'CarePlan/plan' }); }, 'Bundle.entry[2].resource.basedOn', /expected a list/],
    ['a session component list that is a number', (b) => { setIn(obs(b, 'o1'), ['component'], 42); }, 'Bundle.entry[3].resource.component', /exercise session Observation\/o1: component is number 42/],
    ['a session component with a null code', (b) => { setIn(obs(b, 'o1'), ['component', 0, 'code'], null); }, 'Bundle.entry[3].resource.component[0].code', /is null, expected an object/],
    ['a session basedOn that is a string', (b) => { setIn(obs(b, 'o1'), ['basedOn'], 'ServiceRequest/s1'); }, 'Bundle.entry[3].resource.basedOn', /expected a list/],
    ['a session meta.profile that is an object', (b) => { setIn(obs(b, 'o1'), ['meta'], { profile: {} }); }, 'Bundle.entry[3].resource.meta.profile', /expected a list/],
    ['a pain score whose value is a string', (b) => { setIn(obs(b, 'o2'), ['valueInteger'], '2'); }, 'Bundle.entry[4].resource.value', /pain score Observation\/o2: value is the string "2", expected an integer/],
    ['a pain score dated by a number', (b) => { setIn(obs(b, 'o2'), ['effectiveDateTime'], 42); }, 'Bundle.entry[4].resource.effective', /effective is number 42, expected a string/],
  ])('rejects %s', (_name, mutate, expression, message) => {
    const bundle = base().build();
    mutate(bundle);
    expect(issuesOf(bundle)).toContainEqual({ expression, diagnostics: expect.stringMatching(message) as string });
  });

  it.each<[string, Mutation]>([
    ['a null Bundle entry', (b) => { b.entry?.push(null as unknown as NonNullable<Bundle['entry']>[number]); }],
    ['an entry whose resource is a string', (b) => { b.entry?.push({ resource: 'x' as unknown as FhirResource }); }],
    ['an entry whose fullUrl is a number', (b) => { setIn(b, ['entry', 4, 'fullUrl'], 42); }],
    ['an Observation of another patient with a malformed component list', (b) => { b.entry?.push({ resource: { ...obs(b, 'o1'), id: 'other', subject: { reference: 'Patient/other' }, component: 42 } as unknown as Observation }); }],
    ['an Observation whose code cannot be read and that claims no profile', (b) => { b.entry?.push({ resource: { resourceType: 'Observation', id: 'odd', status: 'final', code: 42, subject: { reference: 'Patient/p1' }, effectiveDateTime: 7 } as unknown as Observation }); }],
    ['an entered-in-error pain score with a malformed value', (b) => { b.entry?.push({ resource: { ...obs(b, 'o2'), id: 'void', status: 'entered-in-error', valueInteger: 'x' } as unknown as Observation }); }],
    ['a malformed element the engine does not read', (b) => { setIn(obs(b, 'o1'), ['note'], 42); setIn(order(b), ['patientInstruction'], null); }],
  ])('skips or ignores %s', (_name, mutate) => {
    const bundle = base().build();
    mutate(bundle);
    expect(readEvidence(bundle, { now: NOW }).dailyPain.map((p) => p.value)).toEqual([2]);
  });

  it('rejects a Bundle whose entry is not a list', () => {
    expect(issuesOf({ resourceType: 'Bundle', type: 'collection', entry: { resource: {} } })).toEqual([{ expression: 'Bundle.entry', diagnostics: 'Bundle.entry is not a list' }]);
  });

  it('reports a malformed plan alone, and every malformed order and Observation together', () => {
    const bundle = base().build();
    setIn(order(bundle), ['code'], 'step-up');
    setIn(obs(bundle, 'o2'), ['valueInteger'], 2.5);
    expect(issuesOf(bundle).map((i) => i.expression)).toEqual(
      expect.arrayContaining(['Bundle.entry[2].resource.code', 'Bundle.entry[4].resource.value']),
    );
    setIn(plan(bundle), ['period'], '2026-10-01');
    expect(issuesOf(bundle).map((i) => i.expression)).toEqual(['Bundle.entry[1].resource.period']);
  });
});
