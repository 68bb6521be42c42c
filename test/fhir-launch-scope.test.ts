/**
 * The tokens the Gradus pages hold, used directly against `/fhir` of `gradus serve --auth`: a patient's
 * (standalone launch) and a clinician's (EHR launch for one patient) reach only the launch patient's
 * records, through reads, searches, writes and $progress. The launches are done by hand over real HTTP
 * against the real authorization server (oidc-provider), as the app would.
 */
import { startAuthService, type AuthService } from './support/auth-service';
import { signInForTokens } from './sandbox/oauth-steps';
import type { SandboxProcess } from './sandbox/sandbox-process';

const PATIENT_SCOPES = 'launch/patient openid fhirUser offline_access patient/Patient.r patient/CarePlan.rs patient/ServiceRequest.rs patient/Observation.crs';
const EHR_SCOPES = 'launch openid fhirUser patient/Patient.r patient/CarePlan.rus patient/ServiceRequest.crus patient/Observation.rs patient/Provenance.crs';

let service: AuthService;
let patientToken: string;
let clinicianToken: string;

/** An EHR launch id for the demo clinician with `patient` in context, as the sandbox's launcher makes one. */
async function ehrLaunchId(patient: string): Promise<string> {
  const res = await fetch(`${service.url}/sandbox/launch`, { method: 'POST', body: new URLSearchParams({ role: 'clinician', patient }), redirect: 'manual' });
  const launch = new URL(res.headers.get('location') ?? '', service.url).searchParams.get('launch');
  if (launch === null) throw new Error(`the launcher answered ${res.status} without a launch id`);
  return launch;
}

beforeAll(async () => {
  service = await startAuthService({ LOG_LEVEL: 'info' });
  const sb = { ...service, users: [], logs: () => service.output() } as unknown as SandboxProcess;
  const patient = await signInForTokens(sb, { scope: PATIENT_SCOPES }, { user: 'Patient/amara-okafor', decision: 'allow' });
  expect(patient.patient).toBe('amara-okafor');
  patientToken = String(patient.access_token);
  const clinician = await signInForTokens(sb, { scope: EHR_SCOPES, launch: await ehrLaunchId('amara-okafor') });
  expect(clinician.patient).toBe('amara-okafor');
  clinicianToken = String(clinician.access_token);
}, 120_000);
afterAll(() => service.stop());

async function call(token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${service.fhirBaseUrl}/${path}`, {
    method,
    headers: { accept: 'application/fhir+json', ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/fhir+json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const subjects = (bundle: Record<string, unknown>): string[] =>
  ((bundle.entry as { resource: { subject?: { reference?: string } } }[] | undefined) ?? []).map((e) => e.resource.subject?.reference ?? '');

const painScore = (patient: string): Record<string, unknown> => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] },
  subject: { reference: `Patient/${patient}` },
  effectiveDateTime: new Date().toISOString(),
  valueInteger: 3,
});

describe('a patient token from a standalone launch (Patient/amara-okafor)', () => {
  test.each([
    ['their own plan', 'CarePlan/amara-plan', 200],
    ['their own Patient record', 'Patient/amara-okafor', 200],
    ["another patient's plan", 'CarePlan/carmen-plan', 403],
    ["another patient's record", 'Patient/carmen-ruiz', 403],
    ["a search naming another patient's Observations", 'Observation?subject=Patient/carmen-ruiz', 403],
  ])('reading %s (%s) answers %i', async (_what, path, status) => {
    expect((await call(patientToken, 'GET', path)).status).toBe(status);
  });

  test('a search without a patient is narrowed to their own Observations', async () => {
    const answer = await call(patientToken, 'GET', 'Observation?_count=200');
    expect(answer.status).toBe(200);
    const found = subjects(answer.body);
    expect(found.length).toBeGreaterThan(0);
    expect(new Set(found)).toEqual(new Set(['Patient/amara-okafor']));
  });

  test('may log their own pain, and may not log for another patient (nothing stored)', async () => {
    expect((await call(patientToken, 'POST', 'Observation', painScore('amara-okafor'))).status).toBe(201);
    const before = await call(clinicianToken, 'GET', 'Observation?subject=Patient/amara-okafor&_summary=count');
    expect((await call(patientToken, 'POST', 'Observation', painScore('carmen-ruiz'))).status).toBe(403);
    expect((await call(clinicianToken, 'GET', 'Observation?subject=Patient/amara-okafor&_summary=count')).body.total).toBe(before.body.total);
  });

  test('may not write their plan: $progress needs CarePlan update, which a patient is not granted', async () => {
    const answer = await call(patientToken, 'POST', 'CarePlan/amara-plan/$progress');
    expect(answer.status).toBe(403);
    expect(JSON.stringify(answer.body)).toMatch(/CarePlan/);
  });
});

describe("a clinician token from an EHR launch for Amara's record", () => {
  test('proposes changes to the launch patient’s plan ($progress dry run)', async () => {
    const answer = await call(clinicianToken, 'POST', 'CarePlan/amara-plan/$progress?dryRun=true');
    expect(answer.status).toBe(200);
    expect(answer.body.resourceType).toBe('Bundle');
  });

  test.each([
    ['GET', 'CarePlan/carmen-plan'],
    ['POST', 'CarePlan/carmen-plan/$progress?dryRun=true'],
    ['GET', 'ServiceRequest?subject=Patient/carmen-ruiz'],
  ])("is refused %s %s of another patient's record (403)", async (method, path) => {
    expect((await call(clinicianToken, method, path)).status).toBe(403);
  });
});

describe('requests without a valid token', () => {
  test.each([
    ['no token', undefined],
    ['a made-up token', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('%s: 401 with WWW-Authenticate Bearer', async (_what, token) => {
    const res = await fetch(`${service.fhirBaseUrl}/CarePlan/amara-plan`, { headers: token !== undefined ? { authorization: `Bearer ${token}` } : {} });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="gradus"/);
  });

  test('the CapabilityStatement and the SMART configuration stay public', async () => {
    expect((await fetch(`${service.fhirBaseUrl}/metadata`)).status).toBe(200);
    const config = (await (await fetch(`${service.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    expect(config.code_challenge_methods_supported).toEqual(['S256']);
  });
});

describe('what the service logs', () => {
  test('its log lines (info level, every request above) never hold an access token, a code or a patient id', () => {
    const logs = service.output();
    expect(logs).toMatch(/"message":"request"/);
    for (const secret of [patientToken, clinicianToken]) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/code=|access_token|amara-okafor|carmen-ruiz/);
  });
});
