import type { Resource } from 'fhir/r4';
import { EmbeddedFhirServer } from '../server/embedded-fhir';
import { FhirStore } from '../server/fhir-store';
import { seedDemo } from '../server/demo-seed';
import { checkAccess, storeReader, type AccessDecision, type AccessToken, type ReadResource } from './access';

/**
 * The demo patients of fixtures/demo in a real embedded store: Amara Okafor (amara-plan, amara-walking,
 * progressing-checkin-1, ...) and Carmen Ruiz (carmen-plan, carmen-walking, flare-checkin-1, ...), plus
 * a Goal, two Practitioners and Provenances with targets in one, the other, or both compartments.
 */
const TAG = 'https://example.org/tags';
const EXTRA = [
  { resourceType: 'Goal', id: 'goal-amara', lifecycleStatus: 'active', description: { text: 'Walk 30 min' }, subject: { reference: 'Patient/amara-okafor' } },
  { resourceType: 'Practitioner', id: 'demo-clinician' },
  { resourceType: 'Practitioner', id: 'other-clinician' },
  { resourceType: 'Provenance', id: 'prov-amara', meta: { tag: [{ system: TAG, code: 'shared' }] }, recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'CarePlan/amara-plan' }] },
  { resourceType: 'Provenance', id: 'prov-carmen', meta: { tag: [{ system: TAG, code: 'shared' }, { system: TAG, code: 'carmen-only' }] }, recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/carmen-walking/_history/1' }] },
  { resourceType: 'Provenance', id: 'prov-mixed', meta: { tag: [{ system: TAG, code: 'shared' }] }, recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'ServiceRequest/amara-walking' }, { reference: 'ServiceRequest/carmen-walking' }] },
] as Resource[];

const AMARA = 'amara-okafor';
const token = (scopes: string, patient?: string, fhirUser?: string): AccessToken => ({ clientId: 'gradus-app', scopes: scopes.split(' '), ...(patient ? { patient } : {}), ...(fhirUser ? { fhirUser } : {}) });
/** The issue's example scopes, for a patient's standalone launch. */
const ISSUE = token('launch openid fhirUser patient/CarePlan.rs patient/ServiceRequest.cruds patient/Observation.crs patient/Provenance.c offline_access', AMARA, `Patient/${AMARA}`);
const PATIENT = token('openid fhirUser patient/Patient.r patient/CarePlan.rs patient/ServiceRequest.cruds patient/Observation.cruds patient/Provenance.crs', AMARA, `Patient/${AMARA}`);
const PATIENT_ALL = token('patient/*.cruds', AMARA);
const USER_SCOPES = 'openid fhirUser user/CarePlan.cruds user/ServiceRequest.cruds user/Observation.cruds user/Provenance.cruds user/Patient.rs user/Practitioner.rs';
const CLINICIAN = token(`launch ${USER_SCOPES}`, AMARA, 'Practitioner/demo-clinician');
const CLINICIAN_NO_PATIENT = token(USER_SCOPES, undefined, 'Practitioner/demo-clinician');
const SYSTEM: AccessToken = { clientId: 'gradus-nightly', scopes: ['system/*.cruds'] };
const NO_PATIENT = token('patient/*.rs');
const NONE = token('openid fhirUser');

let server: EmbeddedFhirServer;
let read: ReadResource;
beforeAll(async () => {
  const store = new FhirStore();
  server = new EmbeddedFhirServer(store);
  await seedDemo(store, { clock: new Date(), asOfTimestamp: true });
  await store.seed(EXTRA);
  read = storeReader(store);
});

/** The guard's answer to `method url` (query in the URL) as "allowed" or "<status>: <diagnostics>". */
async function ask(t: AccessToken, method: string, url: string, body?: unknown): Promise<AccessDecision> {
  const [path = '', search = ''] = url.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const had = query[k];
    query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  return checkAccess(t, { method, path, query, body }, read);
}
const summary = (d: AccessDecision): string => (d.allowed ? 'allowed' : `${d.error.status ?? '?'}: ${d.error.outcome.issue.map((i) => i.diagnostics).join(' | ')}`);
const check = async (t: AccessToken, method: string, url: string, expected: string, body?: unknown): Promise<void> => {
  const got = summary(await ask(t, method, url, body));
  if (expected === 'allowed') expect(got).toBe('allowed');
  else expect(got).toContain(expected);
};
const OUTSIDE = (what: string): string => `403: ${what} is outside the launch's patient context`;

describe('reads', () => {
  it.each<[string, AccessToken, string, string]>([
    ['the launch patient', PATIENT, '/Patient/amara-okafor', 'allowed'],
    ['another patient', PATIENT, '/Patient/carmen-ruiz', OUTSIDE('Patient/carmen-ruiz')],
    ['a plan of the patient', PATIENT, '/CarePlan/amara-plan', 'allowed'],
    ["another patient's plan", PATIENT, '/CarePlan/carmen-plan', OUTSIDE('CarePlan/carmen-plan')],
    ["a version of another patient's plan", PATIENT, '/CarePlan/carmen-plan/_history/1', OUTSIDE('CarePlan/carmen-plan')],
    ["the history of another patient's plan", PATIENT, '/CarePlan/carmen-plan/_history', OUTSIDE('CarePlan/carmen-plan')],
    ['an Observation of the patient', PATIENT, '/Observation/progressing-checkin-1', 'allowed'],
    ["another patient's Observation", PATIENT, '/Observation/flare-checkin-1', OUTSIDE('Observation/flare-checkin-1')],
    ['an order of the patient', PATIENT, '/ServiceRequest/amara-walking', 'allowed'],
    ['a Goal of the patient', PATIENT_ALL, '/Goal/goal-amara', 'allowed'],
    ['a Provenance whose target is the patient’s', PATIENT, '/Provenance/prov-amara', 'allowed'],
    ["a Provenance whose target is another patient's", PATIENT, '/Provenance/prov-carmen', OUTSIDE('Provenance/prov-carmen')],
    ['a Provenance with targets in two compartments', PATIENT, '/Provenance/prov-mixed', OUTSIDE('Provenance/prov-mixed')],
    ['a resource that does not exist (the server answers 404)', PATIENT, '/CarePlan/no-such-plan', 'allowed'],
    ['a type outside any compartment', PATIENT_ALL, '/Practitioner/other-clinician', OUTSIDE('Practitioner/other-clinician')],
    ['a type no scope names', PATIENT, '/Goal/goal-amara', '403: scope patient/Goal.r (or user/, system/) is needed to read Goal'],
    ['the Patient without patient/Patient.r (the issue’s scopes)', ISSUE, '/Patient/amara-okafor', '403: scope patient/Patient.r (or user/, system/) is needed to read Patient'],
    ['search scope alone does not read', token('patient/CarePlan.s', AMARA), '/CarePlan/amara-plan', '403: scope patient/CarePlan.r'],
    ['a clinician: the launch patient’s plan', CLINICIAN, '/CarePlan/amara-plan', 'allowed'],
    ['a clinician: another patient’s plan (user scopes stay in the launch context)', CLINICIAN, '/CarePlan/carmen-plan', OUTSIDE('CarePlan/carmen-plan')],
    ['a clinician: their own Practitioner (fhirUser)', CLINICIAN, '/Practitioner/demo-clinician', 'allowed'],
    ['a clinician: their own Practitioner, fhirUser as a URL', token(USER_SCOPES, AMARA, 'http://127.0.0.1/fhir/Practitioner/demo-clinician'), '/Practitioner/demo-clinician', 'allowed'],
    ['a clinician: another Practitioner', CLINICIAN, '/Practitioner/other-clinician', OUTSIDE('Practitioner/other-clinician')],
    ['a user without a launch patient', CLINICIAN_NO_PATIENT, '/CarePlan/carmen-plan', 'allowed'],
    ['a system token', SYSTEM, '/CarePlan/carmen-plan', 'allowed'],
    ['patient scopes without a launch patient', NO_PATIENT, '/CarePlan/amara-plan', '403: patient/ scopes need a launch patient, and this token has none (needed to read CarePlan)'],
    ['no resource scopes', NONE, '/CarePlan/amara-plan', '403: scope patient/CarePlan.r'],
  ])('%s', async (_why, t, path, expected) => {
    await check(t, 'GET', path, expected);
  });
});

describe('searches', () => {
  it.each<[string, AccessToken, string, Record<string, string[]> | string]>([
    ['no compartment parameter: narrowed to the patient', PATIENT, '/Observation', { subject: ['Patient/amara-okafor'] }],
    ['other parameters are kept', PATIENT, '/Observation?code=x&_count=5', { code: ['x'], _count: ['5'], subject: ['Patient/amara-okafor'] }],
    ['subject naming the patient: as asked', PATIENT, '/Observation?subject=Patient/amara-okafor', { subject: ['Patient/amara-okafor'] }],
    ['patient by bare id: as asked', PATIENT, '/Observation?patient=amara-okafor', { patient: ['amara-okafor'] }],
    ['subject as an absolute URL: as asked', PATIENT, '/CarePlan?subject=http://example.org/fhir/Patient/amara-okafor', { subject: ['http://example.org/fhir/Patient/amara-okafor'] }],
    ['subject:missing is narrowed too', PATIENT, '/ServiceRequest?subject:missing=true', { 'subject:missing': ['true'], subject: ['Patient/amara-okafor'] }],
    ['a chained subject is narrowed too', PATIENT, '/CarePlan?subject.name=Ruiz', { 'subject.name': ['Ruiz'], subject: ['Patient/amara-okafor'] }],
    ['ServiceRequest by plan (the issue’s scopes)', ISSUE, '/ServiceRequest?based-on=CarePlan/amara-plan', { 'based-on': ['CarePlan/amara-plan'], subject: ['Patient/amara-okafor'] }],
    ['Goal', PATIENT_ALL, '/Goal', { subject: ['Patient/amara-okafor'] }],
    ['Patient: narrowed by _id', PATIENT_ALL, '/Patient?name=Okafor', { name: ['Okafor'], _id: ['amara-okafor'] }],
    ['Patient by its own _id: as asked', PATIENT_ALL, '/Patient?_id=amara-okafor', { _id: ['amara-okafor'] }],
    ['Provenance by tag: as asked (the response is filtered)', PATIENT, `/Provenance?_tag=${TAG}|shared`, { _tag: [`${TAG}|shared`] }],
    ['Provenance by a target of the patient', PATIENT, '/Provenance?target=CarePlan/amara-plan', { target: ['CarePlan/amara-plan'] }],
    ['Provenance by a target that does not exist', PATIENT, '/Provenance?target=CarePlan/nothing', { target: ['CarePlan/nothing'] }],
    ['subject naming another patient', PATIENT, '/Observation?subject=Patient/carmen-ruiz', OUTSIDE('the search parameter subject=Patient/carmen-ruiz')],
    ['one alternative naming another patient', PATIENT, '/Observation?patient=Patient/amara-okafor,Patient/carmen-ruiz', OUTSIDE('the search parameter patient=Patient/carmen-ruiz')],
    ['a repeated subject naming another patient', PATIENT, '/CarePlan?subject=Patient/amara-okafor&subject=Patient/carmen-ruiz', OUTSIDE('the search parameter subject=Patient/carmen-ruiz')],
    ['subject naming a Group', PATIENT, '/Observation?subject=Group/g1', OUTSIDE('the search parameter subject=Group/g1')],
    ['Patient by another _id', PATIENT_ALL, '/Patient?_id=carmen-ruiz', OUTSIDE('the search parameter _id=carmen-ruiz')],
    ["Provenance by another patient's target", PATIENT, '/Provenance?target=CarePlan/carmen-plan', OUTSIDE('the search parameter target=CarePlan/carmen-plan')],
    ["Provenance by another patient's target (typed)", PATIENT, '/Provenance?target:ServiceRequest=carmen-walking', OUTSIDE('the search parameter target:ServiceRequest=carmen-walking')],
    ['Provenance by another patient', PATIENT, '/Provenance?patient=Patient/carmen-ruiz', OUTSIDE('the search parameter patient=Patient/carmen-ruiz')],
    ['Provenance by a bare target id', PATIENT, '/Provenance?target=amara-plan', '403: the search parameter target=amara-plan must name its target as Type/id'],
    ['a type outside the compartment', CLINICIAN, '/Practitioner', "403: Practitioner is not in a patient's compartment"],
    ['search by POST', PATIENT, '/Observation/_search', "403: a search by POST is not supported in the launch's patient context"],
    ['across types', PATIENT, '/?_type=Observation', "403: a search across types is not supported in the launch's patient context"],
    ['read scope alone does not search', token('patient/Observation.r', AMARA), '/Observation', '403: scope patient/Observation.s (or user/, system/) is needed to search Observation'],
    ['a Provenance search with create-only scope (the issue’s scopes)', ISSUE, '/Provenance?target=CarePlan/amara-plan', '403: scope patient/Provenance.s'],
  ])('%s', async (_why, t, url, expected) => {
    const decision = await ask(t, url.includes('_search') ? 'POST' : 'GET', url);
    if (typeof expected === 'string') expect(summary(decision)).toContain(expected);
    else expect(decision).toMatchObject({ allowed: true, query: expected });
  });

  it.each<[string, AccessToken, string]>([
    ['a user without a launch patient', CLINICIAN_NO_PATIENT, '/Observation?subject=Patient/carmen-ruiz'],
    ['a system token', SYSTEM, '/Observation'],
    ['a system token across types', SYSTEM, '/?_type=Observation,CarePlan'],
    ['a system token by POST', SYSTEM, '/CarePlan/_search'],
  ])('%s: runs as asked, with a response filter', async (_why, t, url) => {
    const decision = await ask(t, url.includes('_search') ? 'POST' : 'GET', url);
    expect(decision.allowed).toBe(true);
    expect(decision).not.toHaveProperty('url');
    expect(decision).toHaveProperty('filterResponse');
  });

  it('gives the narrowed URL to run, and the embedded server then finds only the patient’s resources', async () => {
    const decision = await ask(PATIENT, 'GET', '/Observation?_count=500');
    if (!decision.allowed) throw decision.error;
    expect(decision.url).toBe('/Observation?_count=500&subject=Patient%2Famara-okafor');
    const answer = await server.handle({ method: 'GET', url: decision.url ?? '', body: undefined, headers: {}, baseUrl: 'http://127.0.0.1/fhir' });
    const subjects = new Set(((answer.body as { entry?: Array<{ resource: { subject?: { reference?: string } } }> }).entry ?? []).map((e) => e.resource.subject?.reference));
    expect([...subjects]).toEqual(['Patient/amara-okafor']);
  });

  it('refuses a search across types without a wildcard scope, naming it', async () => {
    await check(CLINICIAN_NO_PATIENT, 'GET', '/', '403: scope patient/*.s (or user/, system/) is needed to search *');
  });
});

describe('writes', () => {
  const obs = (id: string | undefined, subject: string | undefined): Resource =>
    ({ resourceType: 'Observation', ...(id ? { id } : {}), status: 'final', code: { text: 'pain' }, ...(subject ? { subject: { reference: subject } } : {}) }) as Resource;
  it.each<[string, AccessToken, string, string, unknown, string]>([
    ['create for the patient', PATIENT, 'POST', '/Observation', obs(undefined, 'Patient/amara-okafor'), 'allowed'],
    ['create for another patient', PATIENT, 'POST', '/Observation', obs(undefined, 'Patient/carmen-ruiz'), OUTSIDE('the new Observation')],
    ['create without a subject', PATIENT, 'POST', '/Observation', obs(undefined, undefined), OUTSIDE('the new Observation')],
    ['create with a subject that is not a Patient', PATIENT, 'POST', '/Observation', obs(undefined, 'Group/g1'), OUTSIDE('the new Observation')],
    ['create a Patient (its id is the server’s)', PATIENT_ALL, 'POST', '/Patient', { resourceType: 'Patient', id: AMARA }, OUTSIDE('the new Patient')],
    ['create a Provenance of the patient’s plan (the issue’s scopes)', ISSUE, 'POST', '/Provenance', { resourceType: 'Provenance', target: [{ reference: 'CarePlan/amara-plan/_history/1' }] }, 'allowed'],
    ["create a Provenance of another patient's plan", ISSUE, 'POST', '/Provenance', { resourceType: 'Provenance', target: [{ reference: 'CarePlan/carmen-plan' }] }, OUTSIDE('the new Provenance')],
    ['create a Provenance of a missing target', ISSUE, 'POST', '/Provenance', { resourceType: 'Provenance', target: [{ reference: 'CarePlan/nothing' }] }, OUTSIDE('the new Provenance')],
    ['create a Provenance without targets', ISSUE, 'POST', '/Provenance', { resourceType: 'Provenance', target: [] }, OUTSIDE('the new Provenance')],
    ['create without the scope', ISSUE, 'POST', '/CarePlan', { resourceType: 'CarePlan', subject: { reference: 'Patient/amara-okafor' } }, '403: scope patient/CarePlan.c (or user/, system/) is needed to create CarePlan'],
    ['create with a body that is not a resource', PATIENT, 'POST', '/Observation', 'pain 3', '400: the body is not a FHIR resource'],
    ['update the patient’s Observation', PATIENT, 'PUT', '/Observation/progressing-checkin-1', obs('progressing-checkin-1', 'Patient/amara-okafor'), 'allowed'],
    ['update creating a new Observation of the patient', PATIENT, 'PUT', '/Observation/new-1', obs('new-1', 'Patient/amara-okafor'), 'allowed'],
    ["update taking another patient's Observation", PATIENT, 'PUT', '/Observation/flare-checkin-1', obs('flare-checkin-1', 'Patient/amara-okafor'), OUTSIDE('Observation/flare-checkin-1')],
    ['update moving the patient’s Observation to another patient', PATIENT, 'PUT', '/Observation/progressing-checkin-1', obs('progressing-checkin-1', 'Patient/carmen-ruiz'), OUTSIDE('the new version of Observation/progressing-checkin-1')],
    ['update the plan without patient/CarePlan.u (the issue’s scopes)', ISSUE, 'PUT', '/CarePlan/amara-plan', { resourceType: 'CarePlan', id: 'amara-plan' }, '403: scope patient/CarePlan.u (or user/, system/) is needed to update CarePlan'],
    ['a clinician updates the launch patient’s order', CLINICIAN, 'PUT', '/ServiceRequest/amara-walking', { resourceType: 'ServiceRequest', id: 'amara-walking', subject: { reference: 'Patient/amara-okafor' } }, 'allowed'],
    ['a clinician updates another patient’s order', CLINICIAN, 'PUT', '/ServiceRequest/carmen-walking', { resourceType: 'ServiceRequest', id: 'carmen-walking', subject: { reference: 'Patient/carmen-ruiz' } }, OUTSIDE('ServiceRequest/carmen-walking')],
    ['a system token updates any order', SYSTEM, 'PUT', '/ServiceRequest/carmen-walking', { resourceType: 'ServiceRequest', id: 'carmen-walking', subject: { reference: 'Patient/carmen-ruiz' } }, 'allowed'],
    ['patch the patient’s order', PATIENT, 'PATCH', '/ServiceRequest/amara-walking', [{ op: 'replace', path: '/status', value: 'on-hold' }], 'allowed'],
    ["patch another patient's order", PATIENT, 'PATCH', '/ServiceRequest/carmen-walking', [{ op: 'replace', path: '/status', value: 'on-hold' }], OUTSIDE('ServiceRequest/carmen-walking')],
    ['patch the subject', PATIENT, 'PATCH', '/ServiceRequest/amara-walking', [{ op: 'replace', path: '/subject/reference', value: 'Patient/carmen-ruiz' }], '403: patch operation 0 changes /subject/reference'],
    ['patch moving something over the subject', PATIENT, 'PATCH', '/ServiceRequest/amara-walking', [{ op: 'test', path: '/status', value: 'active' }, { op: 'move', from: '/requester', path: '/subject' }], '403: patch operation 1 changes /subject'],
    ['patch the whole resource', PATIENT, 'PATCH', '/ServiceRequest/amara-walking', [{ op: 'replace', path: '', value: {} }], '403: patch operation 0 changes the whole resource'],
    ['patch without the scope', ISSUE, 'PATCH', '/CarePlan/amara-plan', [{ op: 'replace', path: '/status', value: 'on-hold' }], '403: scope patient/CarePlan.u'],
    ['delete the patient’s order', PATIENT, 'DELETE', '/ServiceRequest/amara-walking', undefined, 'allowed'],
    ["delete another patient's order", PATIENT, 'DELETE', '/ServiceRequest/carmen-walking', undefined, OUTSIDE('ServiceRequest/carmen-walking')],
    ['delete without the scope', PATIENT, 'DELETE', '/CarePlan/amara-plan', undefined, '403: scope patient/CarePlan.d (or user/, system/) is needed to delete CarePlan'],
    ['conditional update in the patient context', PATIENT, 'PUT', '/Observation?identifier=x', obs(undefined, 'Patient/amara-okafor'), "403: a conditional update or patch is not supported in the launch's patient context"],
    ['conditional delete in the patient context', PATIENT, 'DELETE', '/Observation?code=x', undefined, "403: a conditional delete is not supported in the launch's patient context"],
    ['conditional delete with a system token', SYSTEM, 'DELETE', '/Observation?code=x', undefined, 'allowed'],
  ])('%s', async (_why, t, method, url, body, expected) => {
    await check(t, method, url, expected, body);
  });
});

describe('operations and public routes', () => {
  it.each<[string, AccessToken, string, string, unknown, string]>([
    ['$progress on the launch patient’s plan', CLINICIAN, 'POST', '/CarePlan/amara-plan/$progress', undefined, 'allowed'],
    ["$progress on another patient's plan", CLINICIAN, 'POST', '/CarePlan/carmen-plan/$progress', undefined, OUTSIDE('CarePlan/carmen-plan')],
    ['$progress on a plan that does not exist (the operation answers 404)', CLINICIAN, 'POST', '/CarePlan/nothing/$progress', undefined, 'allowed'],
    ['$progress with a system token', SYSTEM, 'POST', '/CarePlan/carmen-plan/$progress', undefined, 'allowed'],
    ['$progress with the issue’s scopes (no CarePlan.u)', ISSUE, 'POST', '/CarePlan/amara-plan/$progress', undefined, '403: scope patient/CarePlan.u (or user/, system/) is needed to update CarePlan'],
    ['$progress?dryRun=true with the issue’s scopes (reads only)', ISSUE, 'POST', '/CarePlan/amara-plan/$progress?dryRun=true', undefined, 'allowed'],
    ['$progress dry run in a Parameters body', ISSUE, 'POST', '/CarePlan/amara-plan/$progress', { resourceType: 'Parameters', parameter: [{ name: 'dryRun', valueBoolean: true }] }, 'allowed'],
    ["$progress dry run on another patient's plan", ISSUE, 'POST', '/CarePlan/carmen-plan/$progress?dryRun=true', undefined, OUTSIDE('CarePlan/carmen-plan')],
    ['$progress with a bad dryRun decides as a run that writes', ISSUE, 'POST', '/CarePlan/amara-plan/$progress?dryRun=maybe', undefined, '403: scope patient/CarePlan.u'],
    ['$progress on a posted Bundle: any valid token', NONE, 'POST', '/CarePlan/$progress', { resourceType: 'Bundle', type: 'collection' }, 'allowed'],
    ['$validate: any valid token', NONE, 'POST', '/$validate', { resourceType: 'Patient' }, 'allowed'],
    ['$validate on a type: any valid token', NONE, 'POST', '/Observation/$validate', { resourceType: 'Observation' }, 'allowed'],
    ['/metadata', NONE, 'GET', '/metadata', undefined, 'allowed'],
    ['/.well-known/smart-configuration', NONE, 'GET', '/.well-known/smart-configuration', undefined, 'allowed'],
    ['$graphql (it reads anything)', SYSTEM, 'POST', '/$graphql', { query: '{ PatientList { id } }' }, '403: the operation $graphql is not available with a SMART token'],
    ['another operation', SYSTEM, 'POST', '/Patient/amara-okafor/$everything', undefined, '403: the operation $everything on Patient is not available'],
    ['$progress by GET', SYSTEM, 'GET', '/CarePlan/amara-plan/$progress', undefined, '403: GET /CarePlan/amara-plan/$progress is not a FHIR interaction this server allows'],
    ['a compartment search path', SYSTEM, 'GET', '/Patient/amara-okafor/Observation', undefined, '403: GET /Patient/amara-okafor/Observation is not a FHIR interaction'],
  ])('%s', async (_why, t, method, url, body, expected) => {
    await check(t, method, url, expected, body);
  });

  it('names every missing scope of $progress, one issue each', async () => {
    const decision = await ask(token('patient/CarePlan.r', AMARA), 'POST', '/CarePlan/amara-plan/$progress');
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.error.status).toBe(403);
    expect(decision.error.outcome.issue.map((i) => [i.code, i.diagnostics])).toEqual([
      ['forbidden', 'scope patient/CarePlan.u (or user/, system/) is needed to update CarePlan'],
      ['forbidden', 'scope patient/ServiceRequest.c (or user/, system/) is needed to create ServiceRequest'],
      ['forbidden', 'scope patient/ServiceRequest.u (or user/, system/) is needed to update ServiceRequest'],
      ['forbidden', 'scope patient/Provenance.c (or user/, system/) is needed to create Provenance'],
      ['forbidden', 'scope patient/Observation.r (or user/, system/) is needed to read Observation'],
    ]);
  });
});
