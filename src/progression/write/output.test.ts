import type { Bundle, BundleEntry, CarePlan, Observation, Provenance, ServiceRequest } from 'fhir/r4';
import { CS, DATA_OPERATION, EVALUATION_KEY_SYSTEM, EXT, PROFILE } from '../../fhir/codes';
import { OperationOutcomeError } from '../../fhir/outcome';
import { doseExtension, readDose } from '../dose/dose';
import { buildTransaction, planDecisionCode, type TransactionInput } from './output';
import type { Dose, Evaluation, OrderEvaluation, PlanEvaluation } from '../types';

const NOW = '2026-02-23T08:00:00+01:00';

function order(id: string, dose: Dose, options: { versionId?: string; status?: ServiceRequest['status'] } = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    meta: {
      profile: [PROFILE.exerciseOrder],
      ...(options.versionId ? { versionId: options.versionId, lastUpdated: '2026-02-02T08:00:00Z' } : {}),
    },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">old dose</div>' },
    extension: [doseExtension(dose)],
    identifier: [{ system: 'https://example.org/orders', value: id }],
    status: options.status ?? 'active',
    intent: 'order',
    category: [
      { coding: [{ system: 'http://snomed.info/sct', code: '229065009' }] },
      { coding: [{ system: CS.exerciseDomain, code: 'strength' }] },
    ],
    code: { coding: [{ system: CS.exercise, code: 'sit-to-stand', display: 'Sit-to-stand' }] },
    subject: { reference: 'Patient/p1' },
    basedOn: [{ reference: 'CarePlan/plan1' }],
    authoredOn: '2026-02-02T09:00:00+01:00',
    occurrenceTiming: { repeat: { frequency: 3, period: 1, periodUnit: 'wk' } },
    patientInstruction: 'Stand up from a chair.',
  };
}

function plan(options: { versionId?: string; phase?: string; extra?: CarePlan['extension'] } = {}): CarePlan {
  return {
    resourceType: 'CarePlan',
    id: 'plan1',
    meta: { profile: [PROFILE.exercisePlan], ...(options.versionId ? { versionId: options.versionId } : {}) },
    extension: [
      { url: EXT.progressionPhase, valueCode: options.phase ?? 'build' },
      { url: EXT.phaseSince, valueDateTime: '2026-02-02T09:00:00+01:00' },
      ...(options.extra ?? []),
    ],
    status: 'active',
    intent: 'plan',
    subject: { reference: 'Patient/p1' },
    period: { start: '2026-02-02' },
    activity: [
      { reference: { reference: 'ServiceRequest/a', display: 'Sit-to-stand' } },
      { reference: { reference: 'https://example.org/fhir/ServiceRequest/b/_history/4' } },
    ],
  };
}

const DOSE_A: Dose = { sets: 3, reps: 10, load: 6, step: 3 };
const DOSE_B: Dose = { sets: 2, reps: 12, step: 1 };

function decide(orderId: string, decision: OrderEvaluation['decision'], extra: Partial<OrderEvaluation> = {}): OrderEvaluation {
  return { orderId, decision, rationale: `${decision} ${orderId}`, evidence: [`Observation/${orderId}-s1`, `Observation/${orderId}-s2`], ...extra };
}

const BUILD: PlanEvaluation = { phaseFrom: 'build', phaseTo: 'build' };

function input(evaluation: Evaluation, overrides: Partial<TransactionInput> = {}): TransactionInput {
  return {
    plan: plan({ versionId: '7' }),
    ordersById: new Map([
      ['a', order('a', DOSE_A, { versionId: '3' })],
      ['b', order('b', DOSE_B, { versionId: '4' })],
    ]),
    evaluation,
    now: NOW,
    engineVersion: '0.1.0',
    ...overrides,
  };
}

const entries = (bundle: Bundle): BundleEntry[] => bundle.entry ?? [];
const methods = (bundle: Bundle): string[] => entries(bundle).map((e) => `${e.request?.method} ${e.request?.url}`);
const provenances = (bundle: Bundle): Provenance[] =>
  entries(bundle).flatMap((e) => (e.resource?.resourceType === 'Provenance' ? [e.resource as Provenance] : []));

const PROGRESS_A: Evaluation = {
  plan: BUILD,
  orders: [decide('a', 'progress', { newDose: { sets: 3, reps: 10, load: 6.5, step: 4 } }), decide('b', 'hold')],
};

describe('buildTransaction: a progressed order', () => {
  const bundle = buildTransaction(input(PROGRESS_A));
  const [created, planPut, completed] = entries(bundle);
  const successor = created?.resource as ServiceRequest;

  it('writes the new order first, then the plan, then the old order, then the Provenances', () => {
    expect(bundle.type).toBe('transaction');
    expect(methods(bundle)).toEqual([
      'POST ServiceRequest',
      'PUT CarePlan/plan1',
      'PUT ServiceRequest/a',
      'POST Provenance',
      'POST Provenance',
    ]);
  });

  it('creates a successor with the new dose that replaces the old order and took effect now', () => {
    expect(created?.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(successor.id).toBeUndefined();
    expect(successor.meta).toEqual({ profile: [PROFILE.exerciseOrder] });
    expect(successor.status).toBe('active');
    expect(successor.authoredOn).toBe(NOW);
    expect(successor.replaces).toEqual([{ reference: 'ServiceRequest/a' }]);
    expect(readDose(successor)).toEqual({ sets: 3, reps: 10, load: 6.5, step: 4 });
  });

  it('keeps the exercise, category, subject, plan, timing and instruction; drops the old identifier; describes the new dose', () => {
    const old = order('a', DOSE_A);
    for (const key of ['intent', 'category', 'code', 'subject', 'basedOn', 'occurrenceTiming', 'patientInstruction'] as const) {
      expect(successor[key]).toEqual(old[key]);
    }
    expect(successor.identifier).toBeUndefined();
    expect(successor.text).toEqual({
      status: 'generated',
      div: '<div xmlns="http://www.w3.org/1999/xhtml"><p>Sit-to-stand: 3 x 10 at 6.5 kg</p></div>',
    });
  });

  it('escapes the exercise name in the narrative', () => {
    const odd: ServiceRequest = { ...order('a', DOSE_A, { versionId: '3' }), code: { text: 'Push <wall> & "floor"' } };
    const created = entries(buildTransaction(input(PROGRESS_A, { ordersById: new Map([['a', odd], ['b', order('b', DOSE_B)]]) })))[0];
    expect((created?.resource as ServiceRequest).text?.div).toBe(
      '<div xmlns="http://www.w3.org/1999/xhtml"><p>Push &lt;wall&gt; &amp; &quot;floor&quot;: 3 x 10 at 6.5 kg</p></div>',
    );
  });

  it('completes the old order under If-Match, leaving versionId and lastUpdated to the server', () => {
    expect(completed?.request).toEqual({ method: 'PUT', url: 'ServiceRequest/a', ifMatch: 'W/"3"' });
    const old = completed?.resource as ServiceRequest;
    expect(old.status).toBe('completed');
    expect(old.meta).toEqual({ profile: [PROFILE.exerciseOrder] });
    expect(readDose(old)).toEqual(DOSE_A);
  });

  it('points the plan activity at the new order, keeps its display and guards the PUT with If-Match', () => {
    expect(planPut?.request).toEqual({ method: 'PUT', url: 'CarePlan/plan1', ifMatch: 'W/"7"' });
    const next = planPut?.resource as CarePlan;
    expect(next.activity?.[0]?.reference).toEqual({ reference: created?.fullUrl, display: 'Sit-to-stand' });
    expect(next.activity?.[1]?.reference).toEqual({ reference: 'https://example.org/fhir/ServiceRequest/b/_history/4' });
    expect(next.extension).toEqual(plan().extension);
  });

  it('records the progress against the new order (which replaces the old one), as an UPDATE', () => {
    const [prov] = provenances(bundle);
    expect(prov?.target).toEqual([{ reference: created?.fullUrl }]);
    expect(prov?.activity?.coding?.[0]).toMatchObject({ system: DATA_OPERATION, code: 'UPDATE' });
    expect(prov?.reason?.[0]?.coding?.[0]).toEqual({ system: CS.progressionDecision, code: 'progress', display: 'Progress' });
  });

  it('records the hold against the current version of the unchanged order, without activity', () => {
    const [, prov] = provenances(bundle);
    expect(prov?.target).toEqual([{ reference: 'ServiceRequest/b/_history/4' }]);
    expect(prov?.activity).toBeUndefined();
    expect(prov?.reason?.[0]?.coding?.[0]?.code).toBe('hold');
  });

  it('resolves every urn:uuid reference to an entry of the same transaction', () => {
    const fullUrls = new Set(entries(bundle).map((e) => e.fullUrl));
    const urns = JSON.stringify(bundle).match(/"reference":"urn:uuid:[^"]+"/g) ?? [];
    expect(urns.length).toBeGreaterThan(0);
    for (const urn of urns) expect(fullUrls).toContain(urn.slice('"reference":"'.length, -1));
  });
});

describe('buildTransaction: Provenance', () => {
  const bundle = buildTransaction(input(PROGRESS_A));

  it('names the engine Device logically as author, with the rationale, the time and the evidence used', () => {
    for (const prov of provenances(bundle)) {
      expect(prov.meta?.profile).toEqual([PROFILE.progressionProvenance]);
      expect(prov.recorded).toBe(NOW);
      expect(prov.agent).toEqual([
        {
          type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type', code: 'author', display: 'Author' }] },
          who: { type: 'Device', identifier: { system: 'https://gradus.health/fhir/device', value: 'gradus-engine' }, display: 'Gradus 0.1.0' },
        },
      ]);
    }
    const [progressed, held] = provenances(bundle);
    expect(progressed?.extension).toEqual([{ url: EXT.progressionRationale, valueMarkdown: 'progress a' }]);
    expect(held?.entity).toEqual([
      { role: 'source', what: { reference: 'Observation/b-s1' } },
      { role: 'source', what: { reference: 'Observation/b-s2' } },
    ]);
  });

  it('creates every Provenance conditionally on its evaluation key', () => {
    for (const entry of entries(bundle).filter((e) => e.resource?.resourceType === 'Provenance')) {
      const tag = (entry.resource as Provenance).meta?.tag;
      expect(tag).toHaveLength(1);
      expect(tag?.[0]?.system).toBe(EVALUATION_KEY_SYSTEM);
      expect(tag?.[0]?.code).toMatch(/^[0-9a-f]{64}$/);
      expect(entry.request).toEqual({ method: 'POST', url: 'Provenance', ifNoneExist: `_tag=${EVALUATION_KEY_SYSTEM}|${tag?.[0]?.code}` });
    }
  });

  const observation = (id: string, versionId?: string): Observation => ({
    resourceType: 'Observation',
    id,
    ...(versionId ? { meta: { versionId } } : {}),
    status: 'final',
    code: { text: 'session' },
  });

  it('cites the version of each evidence Observation when it has one', () => {
    const resolve = (r: string): Observation | undefined => (r === 'Observation/b-s1' ? observation('b-s1', '2') : undefined);
    const versioned = buildTransaction(input(PROGRESS_A, { resolve }));
    expect(provenances(versioned)[1]?.entity?.map((e) => e.what.reference)).toEqual(['Observation/b-s1/_history/2', 'Observation/b-s2']);
  });

  it('changes the key when an unversioned evidence Observation is amended', () => {
    const keyWith = (status: Observation['status']): string | undefined => {
      const resolve = (r: string): Observation => ({ ...observation(r.split('/')[1] ?? ''), status });
      return provenances(buildTransaction(input(PROGRESS_A, { resolve })))[1]?.meta?.tag?.[0]?.code;
    };
    expect(keyWith('amended')).not.toBe(keyWith('final'));
  });
});

describe('buildTransaction: determinism and idempotency', () => {
  const keyOf = (bundle: Bundle, i: number): string | undefined => provenances(bundle)[i]?.meta?.tag?.[0]?.code;
  const HOLD_B: Evaluation = { plan: BUILD, orders: [decide('b', 'hold')] };

  it('gives byte-identical output for the same input and now', () => {
    expect(JSON.stringify(buildTransaction(input(PROGRESS_A)))).toBe(JSON.stringify(buildTransaction(input(PROGRESS_A))));
  });

  it('writes nothing but the conditional hold Provenance when every order holds', () => {
    expect(methods(buildTransaction(input(HOLD_B)))).toEqual(['POST Provenance']);
  });

  it('keeps the hold key when only now changes, so a re-run finds the Provenance it wrote', () => {
    const later = buildTransaction(input(HOLD_B, { now: '2026-02-24T08:00:00+01:00' }));
    expect(keyOf(later, 0)).toBe(keyOf(buildTransaction(input(HOLD_B)), 0));
  });

  it.each<[string, Partial<TransactionInput>]>([
    ['the plan version', { plan: plan({ versionId: '8' }) }],
    ['the order version', { ordersById: new Map([['b', order('b', DOSE_B, { versionId: '5' })]]) }],
    ['the evidence', { evaluation: { plan: BUILD, orders: [decide('b', 'hold', { evidence: ['Observation/b-s1'] })] } }],
    ['the content of an unversioned order', { ordersById: new Map([['b', order('b', { ...DOSE_B, reps: 13 })]]) }],
  ])('changes the hold key when %s changes', (_what, overrides) => {
    expect(keyOf(buildTransaction(input(HOLD_B, overrides)), 0)).not.toBe(keyOf(buildTransaction(input(HOLD_B)), 0));
  });

  it('ignores the order in which evidence is listed', () => {
    const reversed = { plan: BUILD, orders: [decide('b', 'hold', { evidence: ['Observation/b-s2', 'Observation/b-s1'] })] };
    expect(keyOf(buildTransaction(input(reversed)), 0)).toBe(keyOf(buildTransaction(input(HOLD_B)), 0));
  });

  it('derives a different new-order id for a different now', () => {
    const later = buildTransaction(input(PROGRESS_A, { now: '2026-02-24T08:00:00+01:00' }));
    expect(entries(later)[0]?.fullUrl).not.toBe(entries(buildTransaction(input(PROGRESS_A)))[0]?.fullUrl);
  });

  it('never mutates its input', () => {
    const frozen = input(PROGRESS_A);
    const before = JSON.stringify([frozen.plan, [...frozen.ordersById], frozen.evaluation]);
    deepFreeze(frozen.plan);
    frozen.ordersById.forEach((o) => deepFreeze(o));
    deepFreeze(frozen.evaluation);
    buildTransaction(frozen);
    expect(JSON.stringify([frozen.plan, [...frozen.ordersById], frozen.evaluation])).toBe(before);
  });
});

describe('buildTransaction: plan-level decisions', () => {
  it('puts every current order on hold before the plan moves to referred, and creates no order', () => {
    const refer: Evaluation = {
      plan: { phaseFrom: 'build', phaseTo: 'referred', decision: 'refer', rationale: 'red flag chest-pain on 2026-02-20' },
      orders: [decide('a', 'refer', { newStatus: 'on-hold' }), decide('b', 'refer', { newStatus: 'on-hold' })],
    };
    const bundle = buildTransaction(input(refer));
    expect(methods(bundle)).toEqual([
      'PUT ServiceRequest/a',
      'PUT ServiceRequest/b',
      'PUT CarePlan/plan1',
      'POST Provenance',
      'POST Provenance',
      'POST Provenance',
    ]);
    expect(entries(bundle).slice(0, 2).map((e) => [(e.resource as ServiceRequest).status, e.request?.ifMatch])).toEqual([
      ['on-hold', 'W/"3"'],
      ['on-hold', 'W/"4"'],
    ]);
    const next = entries(bundle)[2]?.resource as CarePlan;
    expect(next.extension).toEqual([
      { url: EXT.progressionPhase, valueCode: 'referred' },
      { url: EXT.phaseSince, valueDateTime: NOW },
    ]);
    const [planProv, orderProv] = provenances(bundle);
    expect(planProv?.target).toEqual([{ reference: 'CarePlan/plan1' }]);
    expect(planProv?.reason?.[0]?.coding?.[0]?.code).toBe('refer');
    expect(planProv?.extension?.[0]?.valueMarkdown).toBe('red flag chest-pain on 2026-02-20');
    expect(planProv?.entity?.map((e) => e.what.reference)).toEqual(['Observation/a-s1', 'Observation/a-s2', 'Observation/b-s1', 'Observation/b-s2']);
    expect(orderProv?.target).toEqual([{ reference: 'ServiceRequest/a' }]);
    expect(orderProv?.activity?.coding?.[0]?.code).toBe('UPDATE');
  });

  it('does not rewrite an order that is already on hold', () => {
    const refer: Evaluation = {
      plan: { phaseFrom: 'build', phaseTo: 'referred', decision: 'refer' },
      orders: [decide('b', 'refer', { newStatus: 'on-hold' })],
    };
    const bundle = buildTransaction(input(refer, { ordersById: new Map([['b', order('b', DOSE_B, { versionId: '4', status: 'on-hold' })]]) }));
    expect(methods(bundle)).toEqual(['PUT CarePlan/plan1', 'POST Provenance', 'POST Provenance']);
    expect(provenances(bundle)[1]?.target).toEqual([{ reference: 'ServiceRequest/b/_history/4' }]);
  });

  it('writes nothing at all in phase referred', () => {
    const bundle = buildTransaction(input({ plan: { phaseFrom: 'referred', phaseTo: 'referred' }, orders: [decide('a', 'hold')] }));
    expect(bundle).toEqual({ resourceType: 'Bundle', type: 'transaction' });
  });

  it('freezes reference pain and the flare start on entering a flare; an order the flare leaves is cited as is, under UPDATE', () => {
    const flare: Evaluation = {
      plan: { phaseFrom: 'build', phaseTo: 'flare', decision: 'flare-protocol', referencePain: 3.2, flareSince: NOW },
      orders: [decide('a', 'flare-protocol', { newDose: { ...DOSE_A, load: 3 } }), decide('b', 'flare-protocol')],
    };
    const bundle = buildTransaction(input(flare));
    expect(methods(bundle)).toEqual([
      'POST ServiceRequest',
      'PUT CarePlan/plan1',
      'PUT ServiceRequest/a',
      'POST Provenance',
      'POST Provenance',
      'POST Provenance',
    ]);
    expect((entries(bundle)[1]?.resource as CarePlan).extension).toEqual([
      { url: EXT.progressionPhase, valueCode: 'flare' },
      { url: EXT.phaseSince, valueDateTime: NOW },
      { url: EXT.referencePain, valueDecimal: 3.2 },
      { url: EXT.flareSince, valueDateTime: NOW },
    ]);
    const unchanged = provenances(bundle)[2];
    expect(unchanged?.reason?.[0]?.coding?.[0]?.code).toBe('flare-protocol');
    expect(unchanged?.target).toEqual([{ reference: 'ServiceRequest/b/_history/4' }]);
    expect(unchanged?.activity?.coding?.[0]?.code).toBe('UPDATE');
  });

  it('removes reference pain and the flare start on returning to build, and leaves them when undefined', () => {
    const flareExtras = [
      { url: EXT.referencePain, valueDecimal: 3.2 },
      { url: EXT.flareSince, valueDateTime: '2026-02-01T08:00:00+01:00' },
    ];
    const back = buildTransaction(
      input(
        { plan: { phaseFrom: 'return-to-load', phaseTo: 'build', referencePain: null, flareSince: null }, orders: [decide('b', 'hold')] },
        { plan: plan({ versionId: '7', phase: 'return-to-load', extra: flareExtras }) },
      ),
    );
    const next = entries(back).find((e) => e.request?.method === 'PUT')?.resource as CarePlan;
    expect(next.extension).toEqual([
      { url: EXT.progressionPhase, valueCode: 'build' },
      { url: EXT.phaseSince, valueDateTime: NOW },
    ]);
    expect(provenances(back)[0]?.reason?.[0]?.coding?.[0]?.code).toBe('return-to-load');

    const kept = buildTransaction(
      input(
        { plan: { phaseFrom: 'flare', phaseTo: 'flare' }, orders: [decide('b', 'hold')] },
        { plan: plan({ versionId: '7', phase: 'flare', extra: flareExtras }) },
      ),
    );
    expect(methods(kept)).toEqual(['POST Provenance']);
  });

  it('creates no order when the new dose equals the current one', () => {
    const same: Evaluation = { plan: BUILD, orders: [decide('a', 'resume', { newDose: { ...DOSE_A } })] };
    const bundle = buildTransaction(input(same));
    expect(methods(bundle)).toEqual(['POST Provenance']);
    expect(provenances(bundle)[0]?.target).toEqual([{ reference: 'ServiceRequest/a/_history/3' }]);
  });

  it.each<[string, Evaluation['orders'][number]['decision'], string[]]>([
    ['establish-baseline writes the established order even at the current dose (the chain records it)', 'establish-baseline', ['POST ServiceRequest', 'PUT CarePlan/plan1', 'PUT ServiceRequest/a', 'POST Provenance']],
    ['return-to-load at the current dose writes no order', 'return-to-load', ['POST Provenance']],
  ])('%s', (_name, decision, expected) => {
    const same: Evaluation = { plan: BUILD, orders: [decide('a', decision, { newDose: { ...DOSE_A } })] };
    expect(methods(buildTransaction(input(same)))).toEqual(expected);
  });

  it.each<[PlanEvaluation, string]>([
    [{ phaseFrom: 'build', phaseTo: 'deload', decision: 'deload' }, 'deload'],
    [{ phaseFrom: 'deload', phaseTo: 'build' }, 'resume'],
    [{ phaseFrom: 'return-to-load', phaseTo: 'build' }, 'return-to-load'],
    [{ phaseFrom: 'baseline', phaseTo: 'build' }, 'establish-baseline'],
    [{ phaseFrom: 'flare', phaseTo: 'referred' }, 'refer'],
    [{ phaseFrom: 'build', phaseTo: 'flare' }, 'flare-protocol'],
  ])('records the phase change %j as %s', (evaluation, code) => {
    expect(planDecisionCode(evaluation)).toBe(code);
  });
});

describe('buildTransaction: concurrency guards', () => {
  const unversioned = (): Partial<TransactionInput> => ({
    plan: plan(),
    ordersById: new Map([
      ['a', order('a', DOSE_A)],
      ['b', order('b', DOSE_B)],
    ]),
  });

  it('writes without If-Match when the input carries no versions and none are required', () => {
    const bundle = buildTransaction(input(PROGRESS_A, unversioned()));
    expect(entries(bundle).filter((e) => e.request?.method === 'PUT').map((e) => e.request)).toEqual([
      { method: 'PUT', url: 'CarePlan/plan1' },
      { method: 'PUT', url: 'ServiceRequest/a' },
    ]);
    expect(provenances(bundle)[1]?.target).toEqual([{ reference: 'ServiceRequest/b' }]);
  });

  it('reports every resource it would update without a version when versions are required', () => {
    const locate = (r: { id?: string }): string => `Bundle.entry[${r.id === 'plan1' ? 1 : 2}].resource`;
    const run = (): Bundle => buildTransaction(input(PROGRESS_A, { ...unversioned(), requireVersions: true, locate }));
    expect(run).toThrow(OperationOutcomeError);
    try {
      run();
    } catch (err) {
      const issues = (err as OperationOutcomeError).outcome.issue;
      expect(issues.map((i) => i.expression?.[0])).toEqual(['Bundle.entry[2].resource.meta.versionId', 'Bundle.entry[1].resource.meta.versionId']);
      expect(issues.every((i) => i.severity === 'error')).toBe(true);
    }
  });

  it('reports a plan or order without an id, which it could neither update nor cite', () => {
    const anonymous = plan();
    delete anonymous.id;
    expect(() => buildTransaction(input({ plan: BUILD, orders: [decide('b', 'hold')] }, { plan: anonymous }))).toThrow(/CarePlan has no id/);
  });

  it('reports an evaluated order that is not among the plan orders', () => {
    expect(() => buildTransaction(input({ plan: BUILD, orders: [decide('zzz', 'hold')] }))).toThrow(/'zzz' is not among/);
  });
});

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
