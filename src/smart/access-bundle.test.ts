import type { Binary, Bundle, BundleEntry, Provenance, Resource, ServiceRequest } from 'fhir/r4';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitTransaction } from '../client/write-plan';
import { OperationOutcomeError } from '../fhir/outcome';
import { progress, provenanceBatch } from '../progression';
import { EmbeddedFhirServer } from '../server/embedded-fhir';
import { FhirStore } from '../server/fhir-store';
import { DEMO_DIR, seedDemo } from '../server/demo-seed';
import { checkAccess, storeReader, type AccessDecision, type AccessToken, type ReadResource } from './access';

/** Transactions and batches, and the response filters, over the demo patients in a real embedded store. */
/** Gradus's evaluation-key tag system: the only one a conditional create of a Provenance may use in a patient's context. */
const TAG = 'https://gradus.health/fhir/CodeSystem/evaluation-key';
const PROVENANCES: Provenance[] = [
  { resourceType: 'Provenance', id: 'prov-amara', meta: { tag: [{ system: TAG, code: 'shared' }] }, recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'CarePlan/amara-plan' }] },
  { resourceType: 'Provenance', id: 'prov-carmen', meta: { tag: [{ system: TAG, code: 'shared' }, { system: TAG, code: 'carmen-only' }] }, recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/carmen-walking/_history/1' }] },
  { resourceType: 'Provenance', id: 'prov-mixed', meta: { tag: [{ system: TAG, code: 'shared' }] }, recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/amara-walking' }, { reference: 'ServiceRequest/carmen-walking' }] },
];

const token = (scopes: string, patient?: string): AccessToken => ({ clientId: 'gradus-app', scopes: scopes.split(' '), ...(patient ? { patient } : {}) });
const USER = 'user/CarePlan.cruds user/ServiceRequest.cruds user/Observation.cruds user/Provenance.cruds';
const CLINICIAN_AMARA = token(USER, 'amara-okafor');
const CLINICIAN_CARMEN = token(USER, 'carmen-ruiz');
const CLINICIAN_NO_PATIENT = token(USER);
const ISSUE_AMARA = token('launch openid fhirUser patient/CarePlan.rs patient/ServiceRequest.cruds patient/Observation.crs patient/Provenance.c', 'amara-okafor');
const PATIENT_AMARA = token('patient/CarePlan.rs patient/ServiceRequest.cruds patient/Observation.crs patient/Provenance.crs', 'amara-okafor');
const SYSTEM: AccessToken = { clientId: 'gradus-nightly', scopes: ['system/*.cruds'] };

/** A store seeded with the demo patients and the Provenances above, its server and a reader. */
async function world(): Promise<{ server: EmbeddedFhirServer; read: ReadResource }> {
  const store = new FhirStore();
  const server = new EmbeddedFhirServer(store);
  await seedDemo(store, { clock: new Date(), asOfTimestamp: true });
  await store.seed(PROVENANCES);
  return { server, read: storeReader(store) };
}

/** The engine's own transaction for a demo story, as the service would write it. */
function engineTransaction(story: string): Bundle {
  const bundle = JSON.parse(readFileSync(join(DEMO_DIR, `${story}.json`), 'utf8')) as Bundle;
  return progress(bundle, { now: bundle.timestamp ?? '' }).transaction;
}
const commitOf = (story: string): Bundle => commitTransaction(engineTransaction(story)) as Bundle;
const entries = (b: Bundle): BundleEntry[] => b.entry ?? [];
const indexOf = (b: Bundle, method: string, url: string): number => entries(b).findIndex((e) => e.request?.method === method && e.request.url === url);
const firstProvenance = (b: Bundle): number => entries(b).findIndex((e) => e.resource?.resourceType === 'Provenance');

let server: EmbeddedFhirServer;
let read: ReadResource;
beforeAll(async () => {
  ({ server, read } = await world());
});

const post = (t: AccessToken, body: unknown): Promise<AccessDecision> => checkAccess(t, { method: 'POST', path: '/', query: {}, body, headers: {} }, read);
const summary = (d: AccessDecision): string =>
  d.allowed ? 'allowed' : `${d.error.status ?? '?'}: ${d.error.outcome.issue.map((i) => `${(i.expression ?? []).join(',')} ${i.diagnostics ?? ''}`.trim()).join(' | ')}`;
const OUTSIDE = (i: number, what: string): string => `403: Bundle.entry[${i}] ${what} is outside the launch's patient context`;

describe("the engine's transactions", () => {
  const amara = commitOf('progressing');
  const plan = indexOf(amara, 'PUT', 'CarePlan/amara-plan');
  const provenance = firstProvenance(amara);
  const withEntry = (b: Bundle, i: number, change: (e: BundleEntry) => void): Bundle => {
    const copy = structuredClone(b);
    const entry = copy.entry?.[i];
    if (entry) change(entry);
    return copy;
  };
  const retarget = (i: number, reference: string): Bundle => withEntry(amara, i, (e) => ((e.resource as Provenance).target = [{ reference }]));
  const moveTo = (i: number, reference: string): Bundle => withEntry(amara, i, (e) => ((e.resource as ServiceRequest).subject = { reference }));

  it('has new orders, the plan and Provenances whose targets are urn:uuid entries of the same transaction', () => {
    expect(plan).toBeGreaterThan(0);
    expect((entries(amara)[provenance]?.resource as Provenance).target[0]?.reference).toMatch(/^urn:uuid:/);
  });

  it.each<[string, AccessToken, () => Bundle, string]>([
    ['the launch patient’s commit, by a clinician', CLINICIAN_AMARA, () => amara, 'allowed'],
    ['a commit whose Provenance targets the plan updated in the same transaction', CLINICIAN_CARMEN, () => commitOf('flare'), 'allowed'],
    ['the commit by a system token', SYSTEM, () => amara, 'allowed'],
    ['the commit by a user without a launch patient', CLINICIAN_NO_PATIENT, () => amara, 'allowed'],
    ["another patient's commit", CLINICIAN_CARMEN, () => amara, OUTSIDE(0, 'the new ServiceRequest')],
    ['the commit with the issue’s scopes (no CarePlan.u)', ISSUE_AMARA, () => amara, `403: Bundle.entry[${plan}] scope patient/CarePlan.u (or user/, system/) is needed to update CarePlan`],
    ["a Provenance retargeted at another patient's plan", CLINICIAN_AMARA, () => retarget(provenance, 'CarePlan/carmen-plan'), OUTSIDE(provenance, 'the new Provenance')],
    ["a Provenance retargeted at another patient's stored order (versioned)", CLINICIAN_AMARA, () => retarget(provenance, 'ServiceRequest/carmen-walking/_history/1'), OUTSIDE(provenance, 'the new Provenance')],
    ['a Provenance whose urn:uuid target is not in the transaction', CLINICIAN_AMARA, () => retarget(provenance, 'urn:uuid:6f0d7c4e-0000-4000-8000-000000000000'), OUTSIDE(provenance, 'the new Provenance')],
    ['a new order moved to another patient', CLINICIAN_AMARA, () => moveTo(0, 'Patient/carmen-ruiz'), OUTSIDE(0, 'the new ServiceRequest')],
    // The new orders based on the plan are refused first: their basedOn names an entry now outside the compartment.
    ['the plan moved to another patient', CLINICIAN_AMARA, () => moveTo(plan, 'Patient/carmen-ruiz'), OUTSIDE(0, 'ServiceRequest.basedOn[0] CarePlan/amara-plan')],
  ])('%s', async (_why, t, bundle, expected) => {
    expect(summary(await post(t, bundle()))).toContain(expected);
  });

  it('follows a urn:uuid target to its entry: a Provenance of a new order for another patient is refused even when the order itself may be written', async () => {
    const mixed = token('system/ServiceRequest.c patient/Provenance.c', 'amara-okafor');
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', request: { method: 'POST', url: 'ServiceRequest' }, resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/carmen-ruiz' } } as ServiceRequest },
        { fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222', request: { method: 'POST', url: 'Provenance' }, resource: { resourceType: 'Provenance', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }] } as Provenance },
      ],
    };
    expect(summary(await post(mixed, bundle))).toBe(OUTSIDE(1, 'the new Provenance'));
    const own = structuredClone(bundle);
    (own.entry?.[0]?.resource as ServiceRequest).subject = { reference: 'Patient/amara-okafor' };
    expect(summary(await post(mixed, own))).toBe('allowed');
    const conditional = structuredClone(own);
    if (conditional.entry?.[0]?.request) conditional.entry[0].request.ifNoneExist = 'identifier=x';
    expect(summary(await post(mixed, conditional))).toBe(OUTSIDE(1, 'the new Provenance'));
  });

  it('does not follow a fullUrl other than urn:uuid: the server leaves such a reference naming what is stored under it', async () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'http://127.0.0.1/fhir/ServiceRequest/carmen-walking', request: { method: 'POST', url: 'ServiceRequest' }, resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/amara-okafor' } } as ServiceRequest },
        { request: { method: 'POST', url: 'Provenance' }, resource: { resourceType: 'Provenance', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'http://127.0.0.1/fhir/ServiceRequest/carmen-walking' }] } as Provenance },
      ],
    };
    expect(summary(await post(PATIENT_AMARA, bundle))).toBe(OUTSIDE(1, 'the new Provenance'));
  });

  it('allows the hold batch (conditional Provenance creates on stored orders) with the issue’s scopes', async () => {
    const holds = provenanceBatch(engineTransaction('holding')) as Bundle;
    expect(entries(holds).every((e) => e.request?.ifNoneExist !== undefined)).toBe(true);
    expect(summary(await post(token(ISSUE_AMARA.scopes.join(' '), 'bernhard-vogel'), holds))).toBe('allowed');
    expect(summary(await post(ISSUE_AMARA, holds))).toBe(OUTSIDE(0, 'the new Provenance'));
  });
});

describe('other transactions and batches', () => {
  const batch = (...e: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'batch', entry: e });
  const get = (url: string): BundleEntry => ({ request: { method: 'GET', url } });
  it.each<[string, AccessToken, unknown, string]>([
    ['a read of the patient’s plan', PATIENT_AMARA, batch(get('CarePlan/amara-plan')), 'allowed'],
    ["a read of another patient's plan", PATIENT_AMARA, batch(get('CarePlan/amara-plan'), get('CarePlan/carmen-plan')), OUTSIDE(1, 'CarePlan/carmen-plan')],
    ['a search in the patient context', PATIENT_AMARA, batch(get('Observation?code=x')), "403: Bundle.entry[0] a search inside a Bundle is not supported in the launch's patient context"],
    ['a search by a system token', SYSTEM, batch(get('Observation?code=x')), 'allowed'],
    ['a read without the scope', ISSUE_AMARA, batch(get('Patient/amara-okafor')), '403: Bundle.entry[0] scope patient/Patient.r'],
    ['a delete of the patient’s order', PATIENT_AMARA, batch({ request: { method: 'DELETE', url: 'ServiceRequest/amara-walking' } }), 'allowed'],
    ["a delete of another patient's order", PATIENT_AMARA, batch({ request: { method: 'DELETE', url: 'ServiceRequest/carmen-walking' } }), OUTSIDE(0, 'ServiceRequest/carmen-walking')],
    ['a PATCH in the patient context', PATIENT_AMARA, batch({ request: { method: 'PATCH', url: 'ServiceRequest/amara-walking' }, resource: { resourceType: 'Binary', contentType: 'application/json-patch+json' } as Binary }), "403: Bundle.entry[0] a PATCH inside a Bundle is not supported"],
    ['a conditional update in the patient context', PATIENT_AMARA, batch({ request: { method: 'PUT', url: 'ServiceRequest?identifier=x' }, resource: { resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: 'Patient/amara-okafor' } } as ServiceRequest }), '403: Bundle.entry[0] a conditional update inside a Bundle is not supported'],
    ['an operation inside', SYSTEM, batch({ request: { method: 'POST', url: 'CarePlan/amara-plan/$progress' } }), '403: Bundle.entry[0] POST CarePlan/amara-plan/$progress is not allowed inside a Bundle'],
    ['a Bundle inside', SYSTEM, batch({ request: { method: 'POST', url: '' }, resource: batch() }), '403: Bundle.entry[0] POST  is not allowed inside a Bundle'],
    ['an absolute request URL', SYSTEM, batch(get('http://evil.example/fhir/Patient/x')), "400: Bundle.entry[0] a Bundle entry's request.url must be relative to the FHIR base"],
    ['an entry without a request', SYSTEM, batch({ resource: { resourceType: 'Patient' } }), '400: Bundle.entry[0].request a Bundle entry needs request.method and request.url'],
    ['a collection Bundle', SYSTEM, { resourceType: 'Bundle', type: 'collection', entry: [] }, '400: a POST to the FHIR base takes a transaction or batch Bundle'],
    ['not a Bundle', SYSTEM, { resourceType: 'Patient' }, '400: a POST to the FHIR base takes a transaction or batch Bundle'],
  ])('%s', async (_why, t, body, expected) => {
    expect(summary(await post(t, body))).toContain(expected);
  });
});

describe('criteria inside a Bundle, in the patient context', () => {
  const CONFINED = "a conditional create's criteria (If-None-Exist) must be confined to the launch patient";
  const batch = (...e: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'batch', entry: e });
  const obs = (subject = 'Patient/amara-okafor'): Resource => ({ resourceType: 'Observation', status: 'final', code: { text: 'pain' }, subject: { reference: subject } }) as Resource;
  const create = (url: string, resource: Resource, ifNoneExist?: string): BundleEntry => ({ request: { method: 'POST', url, ...(ifNoneExist !== undefined ? { ifNoneExist } : {}) }, resource });
  const provenance = { resourceType: 'Provenance', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'CarePlan/amara-plan' }] } as Provenance;
  it.each<[string, AccessToken, unknown, string]>([
    ['a conditional create confined to the patient', PATIENT_AMARA, batch(create('Observation', obs(), 'subject=Patient/amara-okafor&code=72514-3')), 'allowed'],
    ['a Provenance created conditionally on its evaluation key', ISSUE_AMARA, batch(create('Provenance', provenance, '_tag=https://gradus.health/fhir/CodeSystem/evaluation-key|0123abcd')), 'allowed'],
    ["the review finding: the patient's own Observation, criteria naming another patient", PATIENT_AMARA, batch(create('Observation', obs(), 'subject=Patient/carmen-ruiz&code=72514-3')), `403: Bundle.entry[0] ${CONFINED}: subject=Patient/carmen-ruiz does not name Patient/amara-okafor`],
    ['criteria without the patient', PATIENT_AMARA, batch(create('Observation', obs(), 'code=72514-3')), `403: Bundle.entry[0] ${CONFINED}: they need a subject or patient parameter`],
    ['a Provenance created conditionally on its target', PATIENT_AMARA, batch(create('Provenance', provenance, 'target=CarePlan/amara-plan')), `403: Bundle.entry[0] ${CONFINED}: a Provenance is created conditionally only on _tag`],
    ['criteria that are not a string', PATIENT_AMARA, batch({ request: { method: 'POST', url: 'Observation', ifNoneExist: 7 as unknown as string }, resource: obs() }), `403: Bundle.entry[0] ${CONFINED}: they are not a query string`],
    ['criteria in the create’s url (the server searches those instead)', PATIENT_AMARA, batch(create('Observation?subject=Patient/carmen-ruiz', obs(), 'subject=Patient/amara-okafor')), "403: Bundle.entry[0] a write whose request.url carries search criteria (?) inside a Bundle is not supported in the launch's patient context"],
    ['an update by id with criteria (the server takes it as a conditional update)', PATIENT_AMARA, batch({ request: { method: 'PUT', url: 'ServiceRequest/ServiceRequest?subject=Patient/carmen-ruiz' }, resource: { resourceType: 'ServiceRequest', status: 'revoked', intent: 'order', subject: { reference: 'Patient/amara-okafor' } } as ServiceRequest }), '403: Bundle.entry[0] a write whose request.url carries search criteria (?)'],
    ['a delete by id with criteria (the server takes it as a conditional delete)', PATIENT_AMARA, batch({ request: { method: 'DELETE', url: 'ServiceRequest/ServiceRequest?subject=Patient/carmen-ruiz' } }), '403: Bundle.entry[0] a write whose request.url carries search criteria (?)'],
    ['ifNoneExist on an update', PATIENT_AMARA, batch({ request: { method: 'PUT', url: 'ServiceRequest/amara-walking', ifNoneExist: 'subject=Patient/carmen-ruiz' }, resource: { resourceType: 'ServiceRequest', id: 'amara-walking', status: 'active', intent: 'order', subject: { reference: 'Patient/amara-okafor' } } as ServiceRequest }), "403: Bundle.entry[0] ifNoneExist on anything but a create inside a Bundle is not supported in the launch's patient context"],
    ['ifNoneExist on a delete', PATIENT_AMARA, batch({ request: { method: 'DELETE', url: 'ServiceRequest/amara-walking', ifNoneExist: 'code=x' } }), '403: Bundle.entry[0] ifNoneExist on anything but a create'],
    ['ifMatch on an update is fine', PATIENT_AMARA, batch({ request: { method: 'PUT', url: 'ServiceRequest/amara-walking', ifMatch: 'W/"1"' }, resource: { resourceType: 'ServiceRequest', id: 'amara-walking', status: 'active', intent: 'order', subject: { reference: 'Patient/amara-okafor' } } as ServiceRequest }), 'allowed'],
    ['a system token', SYSTEM, batch(create('Observation', obs('Patient/carmen-ruiz'), 'subject=Patient/carmen-ruiz&code=72514-3'), { request: { method: 'DELETE', url: 'ServiceRequest/ServiceRequest?subject=Patient/carmen-ruiz' } }), 'allowed'],
  ])('%s', async (_why, t, body, expected) => {
    expect(summary(await post(t, body))).toContain(expected);
  });
});

describe('a plan written in a transaction lists only the patient’s orders', () => {
  const tx = (...e: BundleEntry[]): Bundle => ({ resourceType: 'Bundle', type: 'transaction', entry: e });
  const NEW_ORDER = 'urn:uuid:33333333-3333-4333-8333-333333333333';
  const order = (subject: string): ServiceRequest => ({ resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: `Patient/${subject}` } });
  const newOrder = (subject: string, ifNoneExist?: string): BundleEntry => ({ fullUrl: NEW_ORDER, request: { method: 'POST', url: 'ServiceRequest', ...(ifNoneExist !== undefined ? { ifNoneExist } : {}) }, resource: order(subject) });
  const planListing = (...orders: string[]): BundleEntry => ({
    request: { method: 'PUT', url: 'CarePlan/amara-plan' },
    resource: { resourceType: 'CarePlan', id: 'amara-plan', status: 'active', intent: 'plan', subject: { reference: 'Patient/amara-okafor' }, activity: orders.map((reference) => ({ reference: { reference } })) } as Resource,
  });
  const MIXED = token('system/ServiceRequest.c user/CarePlan.u', 'amara-okafor');
  it.each<[string, AccessToken, Bundle, string]>([
    ['the plan listing a new order of the patient', CLINICIAN_AMARA, tx(newOrder('amara-okafor'), planListing('ServiceRequest/amara-walking', NEW_ORDER)), 'allowed'],
    ["the plan listing another patient's stored order", CLINICIAN_AMARA, tx(planListing('ServiceRequest/amara-walking', 'ServiceRequest/carmen-walking')), OUTSIDE(0, 'CarePlan.activity[1].reference ServiceRequest/carmen-walking')],
    ["the plan listing a new order of another patient (an entry the plan's scope alone would not see)", MIXED, tx(newOrder('carmen-ruiz'), planListing(NEW_ORDER)), OUTSIDE(1, `CarePlan.activity[0].reference ${NEW_ORDER}`)],
    ['the plan listing a conditionally created order (it may resolve to a stored one)', MIXED, tx(newOrder('amara-okafor', 'identifier=x'), planListing(NEW_ORDER)), OUTSIDE(1, `CarePlan.activity[0].reference ${NEW_ORDER}`)],
    ['a system token', SYSTEM, tx(planListing('ServiceRequest/carmen-walking')), 'allowed'],
  ])('%s', async (_why, t, bundle, expected) => {
    expect(summary(await post(t, bundle))).toContain(expected);
  });
});

describe('response filters, on what the embedded server answers', () => {
  const base = 'http://127.0.0.1/fhir';
  /** Decides, runs the request on the server as decided, and filters the answer. */
  async function run(t: AccessToken, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Resource | OperationOutcomeError> {
    const [path = '', search = ''] = url.split('?');
    const decision = await checkAccess(t, { method, path, query: Object.fromEntries(new URLSearchParams(search)), body, headers }, read);
    if (!decision.allowed) return decision.error;
    const answer = await server.handle({ method, url: decision.url ?? url, body, headers, baseUrl: base });
    return decision.filterResponse ? decision.filterResponse(answer.body) : answer.body;
  }
  const ids = (r: Resource | OperationOutcomeError): string[] => (r instanceof OperationOutcomeError ? [r.message] : entries(r as Bundle).map((e) => e.resource?.id ?? '-'));

  it('drops Provenances whose targets are outside the compartment from a search by tag, and the total that counted them', async () => {
    const confined = (await run(PATIENT_AMARA, 'GET', `/Provenance?_tag=${TAG}|shared`)) as Bundle;
    expect(ids(confined)).toEqual(['prov-amara']);
    expect(confined).not.toHaveProperty('total');
    const open = (await run(CLINICIAN_NO_PATIENT, 'GET', `/Provenance?_tag=${TAG}|shared`)) as Bundle;
    expect(ids(open).sort()).toEqual(['prov-amara', 'prov-carmen', 'prov-mixed']);
    expect(open.total).toBe(3);
  });

  it('leaves out the total of a Provenance search in the patient context (it counts what the guard cannot see), and keeps that of a narrowed search', async () => {
    const provenances = (await run(PATIENT_AMARA, 'GET', '/Provenance?target=CarePlan/amara-plan')) as Bundle;
    expect(ids(provenances)).toEqual(['prov-amara']);
    expect(provenances).not.toHaveProperty('total');
    const observations = (await run(PATIENT_AMARA, 'GET', '/Observation?_count=2')) as Bundle;
    expect(ids(observations)).toHaveLength(2);
    expect(observations.total).toBeGreaterThan(2);
  });

  it('drops entries of another patient and of types the token may not read from a search answer, and keeps the rest as it is', async () => {
    const decision = await checkAccess(ISSUE_AMARA, { method: 'GET', path: '/Observation', query: {}, body: undefined, headers: {} }, read);
    if (!decision.allowed || !decision.filterResponse) throw new Error('expected a filter');
    const mine = await read('Observation', 'progressing-checkin-1');
    const theirs = await read('Observation', 'flare-checkin-1');
    const patient = await read('Patient', 'amara-okafor');
    const answer: Bundle = { resourceType: 'Bundle', type: 'searchset', total: 3, link: [{ relation: 'self', url: `${base}/Observation` }], entry: [mine, theirs, patient].map((resource) => ({ ...(resource ? { resource } : {}), search: { mode: 'match' as const } })) };
    const filtered = (await decision.filterResponse(answer)) as Bundle;
    expect(ids(filtered)).toEqual(['progressing-checkin-1']);
    expect(filtered.link).toEqual(answer.link);
    expect(filtered).not.toHaveProperty('total');
  });

  it('passes a read of the patient’s plan and its history, and a 404, as they are', async () => {
    expect(await run(PATIENT_AMARA, 'GET', '/CarePlan/amara-plan')).toMatchObject({ resourceType: 'CarePlan', id: 'amara-plan' });
    expect(ids(await run(PATIENT_AMARA, 'GET', '/CarePlan/amara-plan/_history'))).toEqual(['amara-plan']);
    expect(await run(PATIENT_AMARA, 'GET', '/CarePlan/no-such-plan')).toMatchObject({ resourceType: 'OperationOutcome' });
  });

  it('turns a read answer outside the compartment into a 403 (the second line of defence)', async () => {
    const decision = await checkAccess(PATIENT_AMARA, { method: 'GET', path: '/Observation/progressing-checkin-1', query: {}, body: undefined, headers: {} }, read);
    if (!decision.allowed || !decision.filterResponse) throw new Error('expected a filter');
    const result = await decision.filterResponse((await read('Observation', 'flare-checkin-1')) as Resource);
    expect(result).toBeInstanceOf(OperationOutcomeError);
    expect((result as OperationOutcomeError).status).toBe(403);
    expect((result as OperationOutcomeError).message).toBe("Observation/flare-checkin-1 is outside the launch's patient context");
  });

  it("refuses the stored Provenance a conditional create answers with when it is another patient's", async () => {
    const body = { resourceType: 'Provenance', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'CarePlan/amara-plan' }] };
    const result = await run(PATIENT_AMARA, 'POST', '/Provenance', body, { 'if-none-exist': `_tag=${TAG}|carmen-only` });
    expect(result).toBeInstanceOf(OperationOutcomeError);
    expect((result as OperationOutcomeError).message).toBe("Provenance/prov-carmen is outside the launch's patient context");
  });

  it("takes another patient's resource out of a batch answer (a conditional create that matched it), keeping the entry's status", async () => {
    const body: Bundle = {
      resourceType: 'Bundle',
      type: 'batch',
      entry: [{ request: { method: 'POST', url: 'Provenance', ifNoneExist: `_tag=${TAG}|carmen-only` }, resource: { resourceType: 'Provenance', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'CarePlan/amara-plan' }] } as Provenance }],
    };
    const answer = (await run(PATIENT_AMARA, 'POST', '/', body)) as Bundle;
    expect(answer.type).toBe('batch-response');
    expect(entries(answer)).toEqual([{ response: { status: '200', outcome: expect.objectContaining({ resourceType: 'OperationOutcome' }) as unknown } }]);
    const open = (await run(CLINICIAN_NO_PATIENT, 'POST', '/', body)) as Bundle;
    expect(entries(open)[0]?.resource?.id).toBe('prov-carmen');
  });

  it("refuses a conditional create whose criteria name another patient before the server runs them, and a criteria-carrying delete in a transaction", async () => {
    const own = await world();
    const body = { resourceType: 'Observation', status: 'final', code: { text: 'pain' }, subject: { reference: 'Patient/amara-okafor' } };
    const decide = (method: string, url: string, b: unknown, headers: Record<string, string> = {}): Promise<AccessDecision> =>
      checkAccess(PATIENT_AMARA, { method, path: url, query: {}, body: b, headers }, own.read);
    const single = await decide('POST', '/Observation', body, { 'if-none-exist': 'subject=Patient/carmen-ruiz&code:text=pain' });
    expect(single.allowed).toBe(false);
    const deletion: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [{ request: { method: 'DELETE', url: 'ServiceRequest/ServiceRequest?subject=Patient/carmen-ruiz&_id=carmen-walking' } }] };
    expect(summary(await decide('POST', '/', deletion))).toContain('403: Bundle.entry[0] a write whose request.url carries search criteria');
    // What the server would have done with it: a conditional delete of Carmen's order.
    const answer = await own.server.handle({ method: 'POST', url: '/', body: deletion, headers: {}, baseUrl: base });
    expect(answer.status).toBe(200);
    expect(await own.read('ServiceRequest', 'carmen-walking')).toBeUndefined();
  });

  const relations = (r: Resource | OperationOutcomeError): string[] => ((r as Bundle).link ?? []).map((l) => l.relation);

  it('leaves out the next link of a Provenance search in the patient context (not narrowed: a full page counts others), and keeps self', async () => {
    const confined = (await run(PATIENT_AMARA, 'GET', `/Provenance?_tag=${TAG}|shared&_count=1`)) as Bundle;
    expect(relations(confined)).toEqual(['self']);
    expect(confined).not.toHaveProperty('total');
    const open = (await run(CLINICIAN_NO_PATIENT, 'GET', `/Provenance?_tag=${TAG}|shared&_count=1`)) as Bundle;
    expect(relations(open)).toEqual(['self', 'next']);
    expect(open.total).toBe(3);
  });

  it('keeps the next link and total of a narrowed search in the patient context when nothing was dropped', async () => {
    const observations = (await run(PATIENT_AMARA, 'GET', '/Observation?_count=2')) as Bundle;
    expect(ids(observations)).toHaveLength(2);
    expect(relations(observations)).toEqual(['self', 'next']);
    expect(observations.total).toBeGreaterThan(2);
  });

  it.each<[string, AccessToken, string, string[], boolean]>([
    ['a narrowed search in the patient context that dropped an entry: no next, no last', ISSUE_AMARA, '/Observation', ['self', 'first'], false],
    ['the history of a resource in the patient context that dropped an entry', PATIENT_AMARA, '/CarePlan/amara-plan/_history', ['self', 'first'], false],
    ['a search with no patient context that dropped an entry: the links stay', CLINICIAN_NO_PATIENT, '/Observation', ['self', 'first', 'next', 'last'], false],
  ])('%s', async (_why, t, path, kept, total) => {
    const decision = await checkAccess(t, { method: 'GET', path, query: {}, body: undefined, headers: {} }, read);
    if (!decision.allowed || !decision.filterResponse) throw new Error('expected a filter');
    const mine = await read('Observation', 'progressing-checkin-1');
    const theirs = await read('Observation', 'flare-checkin-1');
    const patient = await read('Patient', 'carmen-ruiz');
    const link = ['self', 'first', 'next', 'last'].map((relation) => ({ relation, url: `${base}${path}?_count=3&_offset=${relation === 'next' ? 3 : 0}` }));
    const answer: Bundle = { resourceType: 'Bundle', type: path.endsWith('_history') ? 'history' : 'searchset', total: 9, link, entry: [mine, theirs, patient].map((resource) => ({ ...(resource ? { resource } : {}) })) };
    const filtered = (await decision.filterResponse(answer)) as Bundle;
    expect(ids(filtered).length).toBeLessThan(3);
    expect(relations(filtered)).toEqual(kept);
    expect(filtered.total !== undefined).toBe(total);
  });

  it('writes the launch patient’s commit and passes its answer as it is', async () => {
    const own = await world();
    const commit = commitOf('progressing');
    const decision = await checkAccess(CLINICIAN_AMARA, { method: 'POST', path: '/', query: {}, body: commit, headers: {} }, own.read);
    if (!decision.allowed || !decision.filterResponse) throw new Error('expected a filter');
    const answer = await own.server.handle({ method: 'POST', url: '/', body: commit, headers: {}, baseUrl: base });
    expect(answer.status).toBe(200);
    expect(await decision.filterResponse(answer.body)).toEqual(answer.body);
    expect(entries(answer.body as Bundle)).toHaveLength(entries(commit).length);
  });
});
