import type { Bundle, BundleEntry, CarePlan, Observation, OperationOutcomeIssue, Resource, ServiceRequest } from 'fhir/r4';
import { CS, EXT, EXERCISE_THERAPY, GRADUS_CODE, OBSERVATION_CATEGORY, PROFILE, SNOMED } from '../fhir/codes';
import { validate } from './index';

const BASE = 'https://example.org/fhir';
const errors = (r: unknown): OperationOutcomeIssue[] => validate(r).issue.filter((i) => i.severity === 'error');
const listed = (r: unknown): string[] => errors(r).map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`);
const entry = (resource: Resource, fullUrl = `${BASE}/${resource.resourceType}/${resource.id ?? ''}`): BundleEntry => ({ fullUrl, resource });
const bundle = (type: Bundle['type'], entries: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type, entry: entries });
const coding = (system: string, code: string) => ({ coding: [{ system, code }] });

const observation = (id: string, extra: Partial<Observation> = {}): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  code: { text: 'x' },
  ...extra,
});

const plan: CarePlan = {
  resourceType: 'CarePlan',
  id: 'c1',
  meta: { profile: [PROFILE.exercisePlan] },
  extension: [{ url: EXT.progressionPhase, valueCode: 'build' }],
  status: 'active',
  intent: 'plan',
  category: [coding(CS.gradus, GRADUS_CODE.exerciseProgram)],
  subject: { reference: 'Patient/p1' },
  period: { start: '2026-02-02' },
  activity: [{ reference: { reference: 'ServiceRequest/o1' } }],
};

const order = (extra: Partial<ServiceRequest> = {}): ServiceRequest => ({
  resourceType: 'ServiceRequest',
  id: 'o1',
  meta: { profile: [PROFILE.exerciseOrder] },
  extension: [{ url: EXT.exerciseDose, extension: [{ url: 'sets', valueInteger: 3 }] }],
  status: 'active',
  intent: 'order',
  category: [coding(SNOMED, EXERCISE_THERAPY), coding(CS.exerciseDomain, 'strength')],
  code: coding(CS.exercise, 'sit-to-stand'),
  subject: { reference: 'Patient/p1' },
  basedOn: [{ reference: 'CarePlan/c1' }],
  authoredOn: '2026-02-02T09:00:00+01:00',
  occurrenceTiming: { repeat: { frequency: 3, period: 1, periodUnit: 'wk' } },
  ...extra,
});

const session: Observation = {
  resourceType: 'Observation',
  id: 's1',
  meta: { profile: [PROFILE.exerciseSession] },
  status: 'final',
  category: [coding(OBSERVATION_CATEGORY, 'activity')],
  code: coding(CS.gradus, GRADUS_CODE.exerciseSession),
  subject: { reference: 'Patient/p1' },
  basedOn: [{ reference: 'ServiceRequest/o1' }],
  effectiveDateTime: '2026-02-20T10:00:00+01:00',
};

const patientRecord = (...extra: BundleEntry[]): Bundle =>
  bundle('collection', [entry({ resourceType: 'Patient', id: 'p1' }), entry(plan), entry(order()), entry(session), ...extra]);

describe('validate a Bundle entry by entry', () => {
  it('accepts a complete patient record Bundle', () => {
    expect(listed(patientRecord())).toEqual([]);
  });

  it('sees a change to the same Bundle object between calls (no index kept across calls)', () => {
    const record = patientRecord();
    expect(listed(record)).toEqual([]);
    record.entry?.splice(2, 1);
    expect(listed(record)).toEqual([
      "Bundle.entry[1].resource.activity[0].reference.reference: Reference 'ServiceRequest/o1' is required by the profile and must resolve to an entry of this collection Bundle",
      "Bundle.entry[2].resource.basedOn[0].reference: Reference 'ServiceRequest/o1' is required by the profile and must resolve to an entry of this collection Bundle",
    ]);
  });

  it('prefixes entry issues with Bundle.entry[i].resource', () => {
    const bad = observation('a', { component: [{ code: { text: 'ok' } }, { code: { text: 'bad' }, valueFoo: 1 } as never] });
    expect(listed(bundle('collection', [entry(observation('z')), entry(bad)]))).toEqual([
      "Bundle.entry[1].resource.component[1].value: 'valueFoo' is not allowed: value[x] may only be valueQuantity | valueCodeableConcept | valueString | valueBoolean | valueInteger | valueRange | valueRatio | valueSampledData | valueTime | valueDateTime | valuePeriod",
    ]);
  });

  it('validates each entry against its own meta.profile', () => {
    const preliminary: Observation = { ...session, id: 's2', status: 'preliminary' };
    const found = listed(patientRecord(entry(preliminary)));
    expect(found).toEqual([expect.stringMatching(/^Bundle\.entry\[4\]\.resource\.status: gradus-exercise-session-1/)]);
  });

  it('reports an entry that is not a resource', () => {
    const found = listed({ resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: `${BASE}/X/1`, resource: { id: 'x' } }] });
    expect(found).toEqual(['Bundle.entry[0].resource: Missing resourceType: the object is not a FHIR resource']);
  });

  it.each([
    ['the session basedOn order', (b: Bundle) => b.entry?.splice(2, 1), 'Bundle.entry[2].resource.basedOn[0].reference'],
    ['the plan activity order', (b: Bundle) => b.entry?.splice(2, 1), 'Bundle.entry[1].resource.activity[0].reference.reference'],
    ['the subject Patient', (b: Bundle) => b.entry?.splice(0, 1), 'Bundle.entry[0].resource.subject.reference'],
  ])('reports a reference the profile requires when %s is not in a collection Bundle', (_what, drop, expression) => {
    const b = patientRecord();
    drop(b);
    expect(errors(b).map((i) => i.expression?.[0])).toContain(expression);
  });

  it('does not require an optional reference to resolve inside the Bundle', () => {
    const withPerformer = { ...session, id: 's3', performer: [{ reference: 'Practitioner/elsewhere' }] };
    expect(listed(patientRecord(entry(withPerformer)))).toEqual([]);
  });

  it('lets a transaction reference resources that live only on the server', () => {
    const tx = bundle('transaction', [{ ...entry(session), request: { method: 'PUT', url: 'Observation/s1' } }]);
    expect(listed(tx)).toEqual([]);
  });

  it('reports a urn:uuid reference that matches no fullUrl', () => {
    const tx = bundle('transaction', [
      { fullUrl: 'urn:uuid:6e7f4c5a-6f7b-4b8a-9a1e-2f8b4f1e0a01', resource: observation('n', { subject: { reference: 'urn:uuid:0a0a0a0a-0000-4000-8000-000000000000' } }), request: { method: 'POST', url: 'Observation' } },
    ]);
    expect(listed(tx)).toEqual([
      "Bundle.entry[0].resource.subject.reference: Reference 'urn:uuid:0a0a0a0a-0000-4000-8000-000000000000' does not resolve to an entry of this Bundle",
    ]);
  });

  it('resolves a urn:uuid reference to its entry and checks the target type', () => {
    const patientUrn = 'urn:uuid:1b2c3d4e-0000-4000-8000-000000000001';
    const tx = (type: string) =>
      bundle('transaction', [
        { fullUrl: patientUrn, resource: { resourceType: type, id: 't' }, request: { method: 'POST', url: type } },
        { fullUrl: 'urn:uuid:1b2c3d4e-0000-4000-8000-000000000002', resource: observation('o', { subject: { reference: patientUrn } }), request: { method: 'POST', url: 'Observation' } },
      ]);
    expect(listed(tx('Patient'))).toEqual([]);
    expect(listed(tx('Medication'))).toEqual([expect.stringMatching(/^Bundle\.entry\[1\]\.resource\.subject: Reference to a Medication is not allowed/)]);
  });

  it('checks that a reference target at hand conforms to the target profile', () => {
    const noDose = order({ extension: [] });
    delete noDose.extension;
    const b = bundle('collection', [entry({ resourceType: 'Patient', id: 'p1' }), entry(plan), entry({ ...noDose, meta: {} }), entry(session)]);
    const found = errors(b).map((i) => `${i.expression?.[0] ?? ''}: ${i.diagnostics ?? ''}`);
    expect(found).toContain(`Bundle.entry[3].resource.basedOn[0]: The referenced ServiceRequest does not conform to ${PROFILE.exerciseOrder}`);
    expect(found).toContain(`Bundle.entry[1].resource.activity[0].reference: The referenced ServiceRequest does not conform to ${PROFILE.exerciseOrder}`);
  });

  it('validates a Bundle nested in a Bundle with both prefixes', () => {
    const inner = bundle('collection', [entry(Object.assign(observation('i'), { status: 'bogus' }))]);
    const outer = bundle('batch-response', [{ resource: inner, response: { status: '200' } }]);
    expect(errors(outer).map((i) => i.expression?.[0])).toEqual(['Bundle.entry[0].resource.entry[0].resource.status']);
  });
});

describe('Bundle entry fullUrls', () => {
  const obs = observation('o1');
  const put = { method: 'PUT' as const, url: 'Observation/o1' };
  const post = { method: 'POST' as const, url: 'Observation' };
  it.each<[string, Bundle, string[]]>([
    ['a PUT without fullUrl', bundle('transaction', [{ resource: obs, request: put }]), ['Bundle.entry[0].fullUrl']],
    ['a PUT with its RESTful fullUrl', bundle('transaction', [{ fullUrl: `${BASE}/Observation/o1`, resource: obs, request: put }]), []],
    ['a POST without fullUrl', bundle('transaction', [{ resource: observation('o2'), request: post }]), []],
    ['a collection entry without fullUrl', bundle('collection', [{ resource: obs }]), ['Bundle.entry[0].fullUrl']],
    ['a batch-response entry without fullUrl', bundle('batch-response', [{ resource: obs, response: { status: '200' } }]), []],
    ['a fullUrl naming another id', bundle('collection', [entry(obs, `${BASE}/Observation/o9`)]), ['Bundle.entry[0].fullUrl']],
    ['a fullUrl naming another type', bundle('collection', [entry(obs, `${BASE}/Patient/o1`)]), ['Bundle.entry[0].fullUrl']],
    ['a urn:uuid fullUrl', bundle('collection', [entry(obs, 'urn:uuid:0c1d2e3f-0000-4000-8000-000000000009')]), []],
  ])('%s: errors at %j', (_name, b, expressions) => {
    expect(errors(b).map((i) => i.expression?.[0])).toEqual(expressions);
  });
});
