/**
 * The sandbox EHR's demo users: one clinician (a Practitioner the service seeds) and one patient user per demo
 * patient. In: the demo patients; out: the users (their `id` is their fhirUser, also the OpenID `sub`).
 * See: https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html#fhiruser
 */
import type { SandboxUser } from './types';

export const CLINICIAN: SandboxUser = {
  id: 'Practitioner/demo-clinician',
  fhirUser: 'Practitioner/demo-clinician',
  name: 'Dr Alex Morgan',
};

/** A FHIR id: https://hl7.org/fhir/R4/datatypes.html#id */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

export function demoUsers(patients: readonly { id: string; name: string }[]): SandboxUser[] {
  for (const p of patients) {
    if (!FHIR_ID.test(p.id)) throw new Error('a demo patient id is not a FHIR id ([A-Za-z0-9-.]{1,64})');
  }
  return [
    { ...CLINICIAN },
    ...patients.map((p) => ({ id: `Patient/${p.id}`, fhirUser: `Patient/${p.id}`, name: p.name, patient: p.id })),
  ];
}

/** Whether a user is the clinician (no patient of their own). */
export function isClinician(user: SandboxUser): boolean {
  return user.patient === undefined;
}

/** Who the user is, for pages: "Dr Alex Morgan (clinician)". */
export function describeUser(user: SandboxUser): string {
  return `${user.name} (${isClinician(user) ? 'clinician' : 'patient'})`;
}
