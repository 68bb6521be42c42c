/** Plain HTTP calls to the service and its FHIR server as an outside client makes them, and the shapes tests expect. */
import type { Observation, OperationOutcome } from 'fhir/r4';

export const SD = 'https://gradus.health/fhir/StructureDefinition';
export const PLAN_PROFILE = `${SD}/gradus-exercise-plan`;
export const CHECK_IN_PROFILE = `${SD}/gradus-daily-check-in`;
export const DEMO_NOW = '2026-11-27T09:00:00+01:00';
export const NOW_QUERY = `now=${encodeURIComponent(DEMO_NOW)}`;
export const FHIR_JSON = 'application/fhir+json';

export interface Reply {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body; undefined when empty or not JSON (then see `text`). */
  body: unknown;
}

export interface CallInit {
  method?: string;
  /** An object is sent as JSON (application/fhir+json unless a content-type header says otherwise); a string as is. */
  body?: unknown;
  headers?: Record<string, string>;
}

export async function call(url: string, init: CallInit = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: FHIR_JSON, ...init.headers };
  let body: string | undefined;
  if (typeof init.body === 'string') body = init.body;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['content-type'] ??= FHIR_JSON;
  const response = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** The shape every error has: an OperationOutcome with an error issue and diagnostics, as application/fhir+json. */
export function expectOutcome(reply: Reply, status: number): OperationOutcome {
  // status and the start of the body together, so a wrong status shows what came back
  expect(`${reply.status} ${reply.text.slice(0, 400)}`).toMatch(new RegExp(`^${status} `));
  expect(reply.headers.get('content-type')).toContain(FHIR_JSON);
  const outcome = reply.body as OperationOutcome;
  expect(outcome?.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]?.severity).toBe('error');
  expect(outcome.issue[0]?.diagnostics).toEqual(expect.stringMatching(/\S/));
  return outcome;
}

/** A daily check-in claiming the Gradus profile: pain as given (0-10 is valid), fatigue 3. */
export function checkIn(patientRef: string, pain: number, effective = '2026-11-20T07:30:00+01:00'): Observation {
  return {
    resourceType: 'Observation',
    meta: { profile: [CHECK_IN_PROFILE] },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
    code: { coding: [{ system: 'https://gradus.health/fhir/CodeSystem/gradus', code: 'daily-check-in' }] },
    subject: { reference: patientRef },
    effectiveDateTime: effective,
    component: [
      { code: { coding: [{ system: 'http://loinc.org', code: '72514-3' }] }, valueInteger: pain },
      { code: { coding: [{ system: 'https://gradus.health/fhir/CodeSystem/gradus', code: 'fatigue' }] }, valueInteger: 3 },
    ],
  };
}
