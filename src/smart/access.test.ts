import type { Resource } from 'fhir/r4';
import { EmbeddedFhirServer } from '../server/embedded-fhir';
import { FhirStore } from '../server/fhir-store';
import { seedDemo } from '../server/demo-seed';
import { progressInput } from '../server/operations';
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
  { resourceType: 'Goal', id: 'goal-carmen', lifecycleStatus: 'active', description: { text: 'Swim' }, subject: { reference: 'Patient/carmen-ruiz' } },
  // Amara's plans as another writer (a system token) could have left them: one lists Carmen's order, one an order that is not there.
  { resourceType: 'CarePlan', id: 'amara-tainted-plan', status: 'active', intent: 'plan', subject: { reference: 'Patient/amara-okafor' }, activity: [{ reference: { reference: 'ServiceRequest/amara-walking' } }, { reference: { reference: 'ServiceRequest/carmen-walking' } }] },
  { resourceType: 'CarePlan', id: 'amara-dangling-plan', status: 'active', intent: 'plan', subject: { reference: 'Patient/amara-okafor' }, activity: [{ reference: { reference: 'ServiceRequest/no-such-order' } }, { reference: { reference: '#inline' } }] },
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
/** The clinician page's scopes (test/fhir-launch-scope.test.ts): no Practitioner scope, `fhirUser` for the clinician's own record. */
const EHR_SCOPES = 'launch openid fhirUser patient/Patient.r patient/CarePlan.rus patient/ServiceRequest.crus patient/Observation.rs patient/Provenance.crs';
const EHR = token(EHR_SCOPES, AMARA, 'Practitioner/demo-clinician');

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
async function ask(t: AccessToken, method: string, url: string, body?: unknown, headers: Record<string, string | string[]> = {}): Promise<AccessDecision> {
  const [path = '', search = ''] = url.split('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(search)) {
    const had = query[k];
    query[k] = had === undefined ? v : [...(Array.isArray(had) ? had : [had]), v];
  }
  // As the /fhir guard does (src/server/fhir-guard.ts): $progress's input read by the operation's own parser.
  let dryRun: boolean;
  try {
    dryRun = path.endsWith('/$progress') && progressInput(query, body).dryRun === true;
  } catch {
    dryRun = false;
  }
  return checkAccess(t, { method, path, query, body, headers, dryRun }, read);
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

describe('conditional creates in the patient context: the criteria must be confined to the launch patient', () => {
  const CONFINED = "403: a conditional create's criteria (If-None-Exist) must be confined to the launch patient";
  const EVALUATION_KEY = 'https://gradus.health/fhir/CodeSystem/evaluation-key';
  const obs = (subject = `Patient/${AMARA}`): Resource => ({ resourceType: 'Observation', status: 'final', code: { text: 'pain' }, subject: { reference: subject } }) as Resource;
  const provenance: Resource = { resourceType: 'Provenance', recorded: '2026-01-01T00:00:00Z', agent: [], target: [{ reference: 'CarePlan/amara-plan' }] } as Resource;
  const plan: Resource = { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: `Patient/${AMARA}` } } as Resource;
  it.each<[string, AccessToken, string, Resource, string | string[], string]>([
    ['Observation: subject naming the patient', PATIENT, '/Observation', obs(), `subject=Patient/${AMARA}&code=72514-3`, 'allowed'],
    ['Observation: patient by bare id', PATIENT, '/Observation', obs(), `patient=${AMARA}&code=72514-3`, 'allowed'],
    ['Observation: subject:Patient', PATIENT, '/Observation', obs(), `subject:Patient=${AMARA}`, 'allowed'],
    ['Observation: subject as an absolute URL of the patient', PATIENT, '/Observation', obs(), `subject=http://example.org/fhir/Patient/${AMARA}`, 'allowed'],
    ['an empty header is a plain create (as the server takes it)', PATIENT, '/Observation', obs(), '', 'allowed'],
    ['CarePlan by subject', PATIENT_ALL, '/CarePlan', plan, `subject=Patient/${AMARA}&status=active`, 'allowed'],
    ['Goal by patient', PATIENT_ALL, '/Goal', { resourceType: 'Goal', subject: { reference: `Patient/${AMARA}` } } as Resource, `patient=Patient/${AMARA}`, 'allowed'],
    ["Provenance by Gradus's evaluation key (the clinician's approval)", EHR, '/Provenance', provenance, `_tag=${EVALUATION_KEY}|0123abcd`, 'allowed'],
    ['Provenance by two evaluation keys', PATIENT, '/Provenance', provenance, `_tag=${EVALUATION_KEY}|a&_tag=${EVALUATION_KEY}|b`, 'allowed'],
    ['Provenance by a tag of another system (it would test for other patients\' records)', PATIENT, '/Provenance', provenance, `_tag=${TAG}|a`, `${CONFINED}: a Provenance is created conditionally only on _tag=${EVALUATION_KEY}|<evaluation key>`],
    ['Provenance by an evaluation-key system without a key', PATIENT, '/Provenance', provenance, `_tag=${EVALUATION_KEY}|`, `${CONFINED}: a Provenance is created conditionally only on _tag`],
    ['the review finding: the own Observation, criteria naming another patient', PATIENT, '/Observation', obs(), 'subject=Patient/carmen-ruiz&code=72514-3', `${CONFINED}: subject=Patient/carmen-ruiz does not name Patient/${AMARA}`],
    ['one alternative naming another patient', PATIENT, '/Observation', obs(), `subject=Patient/${AMARA},Patient/carmen-ruiz`, `${CONFINED}: subject=Patient/carmen-ruiz does not name`],
    ['a second compartment parameter naming another patient', PATIENT, '/Observation', obs(), `subject=Patient/${AMARA}&patient=carmen-ruiz`, `${CONFINED}: patient=carmen-ruiz does not name`],
    ['no compartment parameter', PATIENT, '/Observation', obs(), 'code=72514-3', `${CONFINED}: they need a subject or patient parameter naming Patient/${AMARA}`],
    ['only a chained subject', PATIENT, '/Observation', obs(), 'subject.name=Okafor', `${CONFINED}: they need a subject or patient parameter`],
    ['only subject:missing', PATIENT, '/Observation', obs(), 'subject:missing=false&code=x', `${CONFINED}: they need a subject or patient parameter`],
    ['a subject naming a Group', PATIENT, '/Observation', obs(), 'subject=Group/g1', `${CONFINED}: subject=Group/g1 does not name`],
    ['a "?" (the server would search only what precedes it)', PATIENT, '/Observation', obs(), `?subject=Patient/${AMARA}`, `${CONFINED}: they must not hold a "?"`],
    ['a second "?" hiding the subject', PATIENT, '/Observation', obs(), `code=x?subject=Patient/${AMARA}`, `${CONFINED}: they must not hold a "?"`],
    ['_revinclude in them', PATIENT, '/Observation', obs(), `subject=Patient/${AMARA}&_revinclude=Provenance:target`, `${CONFINED}: _revinclude is not allowed in them`],
    ['a repeated header, one value naming another patient', PATIENT, '/Observation', obs(), [`subject=Patient/${AMARA}`, 'subject=Patient/carmen-ruiz'], `${CONFINED}: subject=Patient/carmen-ruiz does not name`],
    ['Provenance by target', PATIENT, '/Provenance', provenance, 'target=CarePlan/amara-plan', `${CONFINED}: a Provenance is created conditionally only on _tag`],
    ['Provenance by a tag and something else', PATIENT, '/Provenance', provenance, `_tag=${TAG}|a&agent=Practitioner/x`, `${CONFINED}: a Provenance is created conditionally only on _tag`],
    ['Provenance by _tag:not (matches nearly everything)', PATIENT, '/Provenance', provenance, `_tag:not=${TAG}|a`, `${CONFINED}: a Provenance is created conditionally only on _tag`],
    ['Provenance by an empty tag', PATIENT, '/Provenance', provenance, '_tag=', `${CONFINED}: a Provenance is created conditionally only on _tag`],
    ['Patient, never', PATIENT_ALL, '/Patient', { resourceType: 'Patient' }, `_id=${AMARA}`, `${CONFINED}: a Patient may not be created conditionally`],
    ['a system token searches where it likes', SYSTEM, '/Observation', obs('Patient/carmen-ruiz'), 'subject=Patient/carmen-ruiz&code=72514-3', 'allowed'],
    ['a user without a launch patient', CLINICIAN_NO_PATIENT, '/Observation', obs('Patient/carmen-ruiz'), 'code=72514-3', 'allowed'],
  ])('%s', async (_why, t, path, body, criteria, expected) => {
    const got = summary(await ask(t, 'POST', path, body, { 'if-none-exist': criteria }));
    if (expected === 'allowed') expect(got).toBe('allowed');
    else expect(got).toContain(expected);
  });

  it('finds the header whatever the case of its name', async () => {
    expect(summary(await ask(PATIENT, 'POST', '/Observation', obs(), { 'If-None-Exist': 'subject=Patient/carmen-ruiz' }))).toContain(CONFINED);
    expect(summary(await ask(PATIENT, 'POST', '/Observation', obs(), { 'if-none-exist': `subject=Patient/${AMARA}`, 'If-None-Exist': 'subject=Patient/carmen-ruiz' }))).toContain(CONFINED);
  });

  it.each<[string, AccessToken, string, string, unknown, Record<string, string>, string]>([
    ['If-None-Exist on an update', PATIENT, 'PUT', '/Observation/progressing-checkin-1', { ...obs(), id: 'progressing-checkin-1' }, { 'if-none-exist': 'subject=Patient/carmen-ruiz' }, '403: If-None-Exist (search criteria) is accepted on a create only'],
    ['If-None-Exist on a patch', PATIENT, 'PATCH', '/Observation/progressing-checkin-1', [{ op: 'replace', path: '/status', value: 'amended' }], { 'if-none-exist': `subject=Patient/${AMARA}` }, '403: If-None-Exist (search criteria) is accepted on a create only'],
    ['If-None-Exist on a delete', PATIENT, 'DELETE', '/Observation/progressing-checkin-1', undefined, { 'if-none-exist': 'code=x' }, '403: If-None-Exist (search criteria) is accepted on a create only'],
    ['If-Match on an update is fine', PATIENT, 'PUT', '/Observation/progressing-checkin-1', { ...obs(), id: 'progressing-checkin-1' }, { 'if-match': 'W/"1"' }, 'allowed'],
    ['If-Match on a delete is fine', PATIENT, 'DELETE', '/Observation/progressing-checkin-1', undefined, { 'if-match': 'W/"1"' }, 'allowed'],
    ['If-None-Exist on an update by a system token', SYSTEM, 'PUT', '/Observation/flare-checkin-1', { ...obs('Patient/carmen-ruiz'), id: 'flare-checkin-1' }, { 'if-none-exist': 'code=x' }, 'allowed'],
  ])('%s', async (_why, t, method, path, body, headers, expected) => {
    const got = summary(await ask(t, method, path, body, headers));
    if (expected === 'allowed') expect(got).toBe('allowed');
    else expect(got).toContain(expected);
  });
});

describe("a CarePlan or ServiceRequest written in the patient context references only the patient's resources", () => {
  const plan = (links: Record<string, unknown>, id?: string): Resource =>
    ({ resourceType: 'CarePlan', ...(id !== undefined ? { id } : {}), status: 'active', intent: 'plan', subject: { reference: `Patient/${AMARA}` }, ...links }) as Resource;
  const listing = (...orders: string[]): Record<string, unknown> => ({ activity: orders.map((reference) => ({ reference: { reference } })) });
  const order = (links: Record<string, unknown>): Resource => ({ resourceType: 'ServiceRequest', status: 'active', intent: 'order', subject: { reference: `Patient/${AMARA}` }, ...links }) as Resource;
  it.each<[string, AccessToken, string, string, unknown, string]>([
    ['a plan listing the patient’s orders', CLINICIAN, 'POST', '/CarePlan', plan(listing('ServiceRequest/amara-walking', 'ServiceRequest/amara-wall-push-up')), 'allowed'],
    ['a plan with the patient’s goal, and based on their plan', CLINICIAN, 'POST', '/CarePlan', plan({ goal: [{ reference: 'Goal/goal-amara' }], basedOn: [{ reference: 'CarePlan/amara-plan' }] }), 'allowed'],
    ['a plan listing an order that is not stored (the operation answers 422 for it)', CLINICIAN, 'POST', '/CarePlan', plan(listing('ServiceRequest/not-yet')), 'allowed'],
    ['a plan listing a contained order', CLINICIAN, 'POST', '/CarePlan', plan(listing('#order-1')), 'allowed'],
    ["a plan listing another patient's order", CLINICIAN, 'POST', '/CarePlan', plan(listing('ServiceRequest/amara-walking', 'ServiceRequest/carmen-walking')), OUTSIDE('CarePlan.activity[1].reference ServiceRequest/carmen-walking')],
    ["a plan listing another patient's order, absolute and versioned", CLINICIAN, 'POST', '/CarePlan', plan(listing('http://127.0.0.1/fhir/ServiceRequest/carmen-walking/_history/1')), OUTSIDE('CarePlan.activity[0].reference http://127.0.0.1/fhir/ServiceRequest/carmen-walking/_history/1')],
    ["a plan with another patient's goal", CLINICIAN, 'POST', '/CarePlan', plan({ goal: [{ reference: 'Goal/goal-carmen' }] }), OUTSIDE('CarePlan.goal[0] Goal/goal-carmen')],
    ["a plan based on another patient's plan", CLINICIAN, 'POST', '/CarePlan', plan({ basedOn: [{ reference: 'CarePlan/carmen-plan' }] }), OUTSIDE('CarePlan.basedOn[0] CarePlan/carmen-plan')],
    ["a plan replacing another patient's plan", CLINICIAN, 'POST', '/CarePlan', plan({ replaces: [{ reference: 'CarePlan/carmen-plan' }] }), OUTSIDE('CarePlan.replaces[0] CarePlan/carmen-plan')],
    ["a plan part of another patient's plan", CLINICIAN, 'POST', '/CarePlan', plan({ partOf: [{ reference: 'CarePlan/carmen-plan' }] }), OUTSIDE('CarePlan.partOf[0] CarePlan/carmen-plan')],
    ['a plan listing a stored resource outside any compartment', CLINICIAN, 'POST', '/CarePlan', plan(listing('Practitioner/other-clinician')), OUTSIDE('CarePlan.activity[0].reference Practitioner/other-clinician')],
    ['a plan listing a conditional reference', CLINICIAN, 'POST', '/CarePlan', plan(listing('ServiceRequest?subject=Patient/carmen-ruiz')), OUTSIDE('CarePlan.activity[0].reference ServiceRequest?subject=Patient/carmen-ruiz')],
    ['a plan listing a urn:uuid outside a transaction', CLINICIAN, 'POST', '/CarePlan', plan(listing('urn:uuid:6f0d7c4e-0000-4000-8000-000000000000')), OUTSIDE('CarePlan.activity[0].reference urn:uuid:6f0d7c4e-0000-4000-8000-000000000000')],
    ['a plan listing something that is not a reference', CLINICIAN, 'POST', '/CarePlan', plan(listing('carmen-walking')), OUTSIDE('CarePlan.activity[0].reference carmen-walking')],
    ["a lone goal object naming another patient's goal", CLINICIAN, 'POST', '/CarePlan', plan({ goal: { reference: 'Goal/goal-carmen' } }), OUTSIDE('CarePlan.goal[0] Goal/goal-carmen')],
    ["a plan detail naming others is not followed by $progress, and not checked", CLINICIAN, 'POST', '/CarePlan', plan({ activity: [{ detail: { status: 'scheduled', performer: [{ reference: 'Practitioner/other-clinician' }] } }] }), 'allowed'],
    ['updating the plan as it is', CLINICIAN, 'PUT', '/CarePlan/amara-plan', plan(listing('ServiceRequest/amara-walking'), 'amara-plan'), 'allowed'],
    ["updating the plan to list another patient's order", CLINICIAN, 'PUT', '/CarePlan/amara-plan', plan(listing('ServiceRequest/amara-walking', 'ServiceRequest/carmen-walking'), 'amara-plan'), OUTSIDE('CarePlan.activity[1].reference ServiceRequest/carmen-walking')],
    ['a system token lists what it likes', SYSTEM, 'POST', '/CarePlan', plan(listing('ServiceRequest/carmen-walking')), 'allowed'],
    ['a user without a launch patient lists what it likes', CLINICIAN_NO_PATIENT, 'PUT', '/CarePlan/carmen-plan', { ...plan(listing('ServiceRequest/amara-walking'), 'carmen-plan'), subject: { reference: 'Patient/carmen-ruiz' } }, 'allowed'],
    ['an order based on the patient’s plan, replacing their order', CLINICIAN, 'POST', '/ServiceRequest', order({ basedOn: [{ reference: 'CarePlan/amara-plan' }], replaces: [{ reference: 'ServiceRequest/amara-walking' }] }), 'allowed'],
    ["an order based on another patient's plan", CLINICIAN, 'POST', '/ServiceRequest', order({ basedOn: [{ reference: 'CarePlan/carmen-plan' }] }), OUTSIDE('ServiceRequest.basedOn[0] CarePlan/carmen-plan')],
    ["an order replacing another patient's order", PATIENT, 'PUT', '/ServiceRequest/amara-walking', { ...order({ replaces: [{ reference: 'ServiceRequest/carmen-walking' }] }), id: 'amara-walking' }, OUTSIDE('ServiceRequest.replaces[0] ServiceRequest/carmen-walking')],
  ])('%s', async (_why, t, method, url, body, expected) => {
    await check(t, method, url, expected, body);
  });

  const PATCH_OUTSIDE = (i: number, what: string): string => `403: patch operation ${i}: ${what} is outside the launch's patient context`;
  it.each<[string, string, unknown[], string]>([
    ['adding the patient’s order to the plan', '/CarePlan/amara-plan', [{ op: 'add', path: '/activity/-', value: { reference: { reference: 'ServiceRequest/amara-walking' } } }], 'allowed'],
    ['replacing an activity’s order by the patient’s', '/CarePlan/amara-plan', [{ op: 'replace', path: '/activity/0/reference/reference', value: 'ServiceRequest/amara-walking' }], 'allowed'],
    ['removing an activity', '/CarePlan/amara-plan', [{ op: 'remove', path: '/activity/0' }], 'allowed'],
    ['changing an activity’s detail', '/CarePlan/amara-plan', [{ op: 'replace', path: '/activity/0/detail/status', value: 'on-hold' }], 'allowed'],
    ['testing an activity', '/CarePlan/amara-plan', [{ op: 'test', path: '/activity/0/reference/reference', value: 'ServiceRequest/carmen-walking' }], 'allowed'],
    ["adding another patient's order to the plan", '/CarePlan/amara-plan', [{ op: 'add', path: '/activity/-', value: { reference: { reference: 'ServiceRequest/carmen-walking' } } }], PATCH_OUTSIDE(0, 'CarePlan.activity[0].reference ServiceRequest/carmen-walking')],
    ["replacing an activity's order by another patient's", '/CarePlan/amara-plan', [{ op: 'test', path: '/status', value: 'active' }, { op: 'replace', path: '/activity/0/reference/reference', value: 'ServiceRequest/carmen-walking' }], PATCH_OUTSIDE(1, 'CarePlan.activity[0].reference ServiceRequest/carmen-walking')],
    ["replacing an activity's Reference by another patient's order", '/CarePlan/amara-plan', [{ op: 'replace', path: '/activity/2/reference', value: { reference: 'ServiceRequest/carmen-walking' } }], PATCH_OUTSIDE(0, 'CarePlan.activity[0].reference ServiceRequest/carmen-walking')],
    ['replacing every activity', '/CarePlan/amara-plan', [{ op: 'replace', path: '/activity', value: [{ reference: { reference: 'ServiceRequest/amara-walking' } }, { reference: { reference: 'ServiceRequest/carmen-walking' } }] }], PATCH_OUTSIDE(0, 'CarePlan.activity[1].reference ServiceRequest/carmen-walking')],
    ["adding another patient's goal", '/CarePlan/amara-plan', [{ op: 'add', path: '/goal', value: [{ reference: 'Goal/goal-carmen' }] }], PATCH_OUTSIDE(0, 'CarePlan.goal[0] Goal/goal-carmen')],
    ["basing the plan on another patient's plan", '/CarePlan/amara-plan', [{ op: 'add', path: '/basedOn/0/reference', value: 'CarePlan/carmen-plan' }], PATCH_OUTSIDE(0, 'CarePlan.basedOn[0] CarePlan/carmen-plan')],
    ["making the plan part of another patient's", '/CarePlan/amara-plan', [{ op: 'add', path: '/partOf/-', value: { reference: 'CarePlan/carmen-plan' } }], PATCH_OUTSIDE(0, 'CarePlan.partOf[0] CarePlan/carmen-plan')],
    ['copying into the activities', '/CarePlan/amara-plan', [{ op: 'copy', from: '/activity/0', path: '/activity/-' }], '403: patch operation 0 (copy) writes /activity, whose references a patch may only add, replace or remove'],
    ['moving into the goals', '/CarePlan/amara-plan', [{ op: 'move', from: '/note/0', path: '/goal/0' }], '403: patch operation 0 (move) writes /goal'],
    ["an order replacing another patient's order", '/ServiceRequest/amara-walking', [{ op: 'add', path: '/replaces', value: [{ reference: 'ServiceRequest/carmen-walking' }] }], PATCH_OUTSIDE(0, 'ServiceRequest.replaces[0] ServiceRequest/carmen-walking')],
    ["an order based on another patient's plan", '/ServiceRequest/amara-walking', [{ op: 'replace', path: '/basedOn/0/reference', value: 'CarePlan/carmen-plan' }], PATCH_OUTSIDE(0, 'ServiceRequest.basedOn[0] CarePlan/carmen-plan')],
  ])('patch: %s', async (_why, url, patch, expected) => {
    await check(CLINICIAN, 'PATCH', url, expected, patch);
  });

  it.each<[string, AccessToken, string, string]>([
    ['on the launch patient’s plan', CLINICIAN, '/CarePlan/amara-plan/$progress', 'allowed'],
    ['on a plan listing an order that is not stored (the operation answers 422) or a contained one', CLINICIAN, '/CarePlan/amara-dangling-plan/$progress', 'allowed'],
    ["on the patient's plan that lists another patient's order", CLINICIAN, '/CarePlan/amara-tainted-plan/$progress', OUTSIDE('CarePlan.activity[1].reference ServiceRequest/carmen-walking')],
    ["a dry run on the patient's plan that lists another patient's order", ISSUE, '/CarePlan/amara-tainted-plan/$progress?dryRun=true', OUTSIDE('CarePlan.activity[1].reference ServiceRequest/carmen-walking')],
    ['by a system token', SYSTEM, '/CarePlan/amara-tainted-plan/$progress', 'allowed'],
  ])('$progress %s', async (_why, t, url, expected) => {
    await check(t, 'POST', url, expected);
  });
});

describe('the fhirUser scope: the user reads their own Practitioner, and nothing else about them', () => {
  const SCOPE = '403: scope patient/Practitioner.r (or user/, system/) is needed to read Practitioner';
  it.each<[string, AccessToken, string, string]>([
    ['a read of their own Practitioner, without a Practitioner scope', EHR, '/Practitioner/demo-clinician', 'allowed'],
    ['a vread of it', EHR, '/Practitioner/demo-clinician/_history/1', 'allowed'],
    ['fhirUser as an absolute URL', token(EHR_SCOPES, AMARA, 'http://127.0.0.1/fhir/Practitioner/demo-clinician'), '/Practitioner/demo-clinician', 'allowed'],
    ['no launch patient', token(EHR_SCOPES, undefined, 'Practitioner/demo-clinician'), '/Practitioner/demo-clinician', 'allowed'],
    ['the fhirUser scope alone', token('openid fhirUser', undefined, 'Practitioner/demo-clinician'), '/Practitioner/demo-clinician', 'allowed'],
    ['another Practitioner', EHR, '/Practitioner/other-clinician', SCOPE],
    ['their Practitioner’s history', EHR, '/Practitioner/demo-clinician/_history', SCOPE],
    ['without the fhirUser scope', token(EHR_SCOPES.replace(' fhirUser', ''), AMARA, 'Practitioner/demo-clinician'), '/Practitioner/demo-clinician', SCOPE],
    ['a token without a fhirUser', token(EHR_SCOPES, AMARA), '/Practitioner/demo-clinician', SCOPE],
    ['a Patient user reads their Patient through patient/Patient.r, not fhirUser', ISSUE, `/Patient/${AMARA}`, '403: scope patient/Patient.r'],
  ])('%s', async (_why, t, path, expected) => {
    await check(t, 'GET', path, expected);
  });

  it.each<[string, string]>([
    ['by id', '/Practitioner?_id=demo-clinician'],
    ['by name', '/Practitioner?name=demo'],
    ['by POST', '/Practitioner/_search'],
  ])('may not search for the user %s', async (_why, url) => {
    await check(EHR, url.endsWith('_search') ? 'POST' : 'GET', url, '403: scope patient/Practitioner.s (or user/, system/) is needed to search Practitioner');
  });

  it('answers with the Practitioner from the embedded server, and lets through no other resource', async () => {
    const decision = await ask(EHR, 'GET', '/Practitioner/demo-clinician');
    if (!decision.allowed || !decision.filterResponse) throw new Error('expected a filter');
    const answer = await server.handle({ method: 'GET', url: '/Practitioner/demo-clinician', body: undefined, headers: {}, baseUrl: 'http://127.0.0.1/fhir' });
    expect(await decision.filterResponse(answer.body)).toMatchObject({ resourceType: 'Practitioner', id: 'demo-clinician' });
    const other = await decision.filterResponse((await read('Practitioner', 'other-clinician')) as Resource);
    expect(other).toMatchObject({ status: 403, message: 'scope patient/Practitioner.r (or user/, system/) is needed to read Practitioner' });
    const missing = await server.handle({ method: 'GET', url: '/Practitioner/demo-clinician/_history/999', body: undefined, headers: {}, baseUrl: 'http://127.0.0.1/fhir' });
    expect(await decision.filterResponse(missing.body)).toMatchObject({ resourceType: 'OperationOutcome' });
  });
});
