/**
 * The end-to-end tests' own look at the FHIR server behind the pages, as the nightly backend client sees it:
 * a SMART Backend Services token from `gradus token` (client `gradus-nightly`, the key file the sandbox wrote),
 * then plain reads. In: the running service; out: the demo stories, plans, orders, Provenances, Observations.
 * https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Bundle, Observation, Patient, Provenance, ServiceRequest } from 'fhir/r4';
import { FhirClient } from '../../src/client';
import { readDose } from '../support/dose-ext';
import { snapshot, type PlanSnapshot } from '../support/plan-state';
import type { Dose } from '../../src/progression/types';

const ROOT = resolve(__dirname, '..', '..');
/** The `exercise-dose` extension's canonical URL (implementation-guide.md, Extensions). */
export const EXERCISE_DOSE_URL = 'https://gradus.health/fhir/StructureDefinition/exercise-dose';
export const CLINICIAN = 'Practitioner/demo-clinician';

export interface ServiceUnderTest {
  url: string;
  fhirBaseUrl: string;
  keyFile: string;
}

/** A demo patient as its fixture (fixtures/demo/<story>.json) tells it: ids and the name the pages show. */
export interface DemoStory {
  story: string;
  patientId: string;
  planId: string;
  /** Given names and family name, e.g. "Amara Okafor". */
  name: string;
}

export function demoStory(story: string): DemoStory {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'demo', `${story}.json`), 'utf8')) as Bundle;
  const resources = (bundle.entry ?? []).map((e) => e.resource);
  const patient = resources.find((r): r is Patient => r?.resourceType === 'Patient');
  const plan = resources.find((r) => r?.resourceType === 'CarePlan');
  const n = patient?.name?.[0];
  if (!patient?.id || !plan?.id || !n) throw new Error(`fixtures/demo/${story}.json has no Patient with a name and a CarePlan`);
  return { story, patientId: patient.id, planId: plan.id, name: [...(n.given ?? []), n.family ?? ''].join(' ').trim() };
}

const tokens = new Map<string, Promise<string>>();

/** A backend access token printed by `gradus token` (cached per service). */
export function backendToken(service: ServiceUnderTest): Promise<string> {
  let token = tokens.get(service.fhirBaseUrl);
  if (!token) {
    const args = [join(ROOT, 'bin', 'gradus.cjs'), 'token', '--server', service.fhirBaseUrl, '--client-id', 'gradus-nightly', '--key', service.keyFile];
    token = new Promise<string>((done, fail) => {
      execFile(process.execPath, args, { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) => {
        const printed = stdout.trim();
        if (err || printed === '') fail(new Error(`gradus token failed (${err?.message ?? 'no output'}):\n${stderr}`));
        else done(printed);
      });
    });
    tokens.set(service.fhirBaseUrl, token);
    token.catch(() => tokens.delete(service.fhirBaseUrl));
  }
  return token;
}

/** The FHIR server as the backend client reads it. */
export function backendClient(service: ServiceUnderTest): FhirClient {
  return new FhirClient({ baseUrl: service.fhirBaseUrl, token: () => backendToken(service), retries: 0 });
}

/** Plan, orders based on it, their Provenances and how many versions the plan has had. */
export const planState = (service: ServiceUnderTest, planId: string): Promise<PlanSnapshot> => snapshot(backendClient(service), planId);

/**
 * The Provenances about one resource (`Provenance?target=ServiceRequest/<id>`). The IG has a changed order's
 * Provenance target the new order, and one target the plan only when the phase changed, so
 * `Provenance?target=CarePlan/<id>` alone does not find an approval's Provenances.
 */
export function provenancesOf(service: ServiceUnderTest, reference: string): Promise<Provenance[]> {
  return backendClient(service).search<Provenance>('Provenance', { target: reference });
}

/** Whether a Provenance names the demo clinician as its verifier (provenance-participant-type `verifier`). */
export function verifiedByClinician(p: Provenance): boolean {
  return p.agent.some((a) => a.type?.coding?.some((c) => c.code === 'verifier') === true && a.who?.reference === CLINICIAN);
}

/** The order the plan lists now for an exercise code (e.g. `glute-bridge`), or undefined. */
export function listedOrder(state: PlanSnapshot, exercise: string): ServiceRequest | undefined {
  const listed = new Set((state.plan.activity ?? []).map((a) => a.reference?.reference?.replace(/^.*\b(ServiceRequest\/[^/]+)(\/_history\/.*)?$/, '$1')));
  return state.orders.find((o) => listed.has(`ServiceRequest/${o.id ?? ''}`) && o.code?.coding?.some((c) => c.code === exercise) === true);
}

/** The order's dose, read by the test suite's own reader; also checks the extension's URL is the IG's. */
export function doseOf(order: ServiceRequest): Dose {
  if (!order.extension?.some((e) => e.url === EXERCISE_DOSE_URL)) throw new Error(`ServiceRequest/${order.id ?? '?'} has no ${EXERCISE_DOSE_URL} extension`);
  return readDose(order);
}

/** Every Observation about the patient (the embedded server pages nothing away at this size). */
export function observationsOf(service: ServiceUnderTest, patientId: string): Promise<Observation[]> {
  return backendClient(service).search<Observation>('Observation', { subject: `Patient/${patientId}` });
}
