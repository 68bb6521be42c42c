/**
 * Searches confined to the launch patient: the query in, the query to run instead out (or a 403).
 *
 * - Patient: `_id=<patient>` is added unless an `_id` already names only the patient.
 * - CarePlan, ServiceRequest, Observation, Goal: `subject=Patient/<patient>` is added unless a plain
 *   `subject` or `patient` parameter already names only the patient. Other forms of these parameters
 *   (chains, `:missing`, `:identifier`) stay, and the added one narrows them.
 * - Provenance (searched by `_tag` and `target`): cannot be narrowed by one parameter; a `target` or
 *   `patient` that names a resource of another patient is refused, and the response filter drops every
 *   Provenance whose targets are outside the compartment.
 * Any value of a compartment parameter naming someone else (`subject=Patient/other`, one alternative of
 * `Patient/me,Patient/other`) is refused rather than quietly changed. Other types cannot be searched in a
 * patient context.
 * See: https://hl7.org/fhir/R4/search.html; https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import { referenceKey } from '../fhir/reference';
import { Compartment, SUBJECT_TYPES } from './access-compartment';
import { forbidden, outside } from './access-grant';

/** A parsed query: every parameter with all its values (a repeated parameter is ANDed). */
export type Query = Record<string, string[]>;

/** A query as parsed by express or URLSearchParams (`string | string[]`), other values left out. */
export function normalizeQuery(query: Readonly<Record<string, unknown>>): Query {
  const out: Query = {};
  for (const [key, value] of Object.entries(query)) {
    const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    if (values.length > 0) out[key] = values;
  }
  return out;
}

/** A query string (without `?`) of a parsed query, in its order. */
export function queryString(query: Query): string {
  const params = new URLSearchParams();
  for (const [key, values] of Object.entries(query)) for (const value of values) params.append(key, value);
  return params.toString();
}

/** The parameters that name the compartment, per type, in their plain forms. */
const PLAIN: Readonly<Record<string, readonly string[]>> = {
  Patient: ['_id'],
  Provenance: ['patient', 'patient:Patient'],
  ...Object.fromEntries([...SUBJECT_TYPES].map((t) => [t, ['subject', 'subject:Patient', 'patient', 'patient:Patient']])),
};

/** Whether one alternative of a compartment parameter names the patient (`Patient/<id>`, a URL of it, or the bare id). */
const namesPatient = (value: string, compartment: Compartment): boolean =>
  value === compartment.patientId || referenceKey(value) === compartment.reference;

/** What a refused value names, for the message. */
const named = (key: string, value: string): string => `the search parameter ${key}=${value}`;

/** The query to run for a search of `type` confined to the compartment; throws a 403 when it names someone else. */
export async function narrowSearch(type: string, query: Query, compartment: Compartment): Promise<Query> {
  const plain = PLAIN[type];
  if (!plain) throw forbidden(`${type} is not in a patient's compartment: it cannot be searched in the launch's patient context`);
  let narrowed = false;
  for (const key of plain) {
    for (const value of query[key] ?? []) {
      for (const alternative of value.split(',')) {
        if (!namesPatient(alternative, compartment)) throw forbidden(outside(named(key, alternative)));
      }
      narrowed = true;
    }
  }
  if (type === 'Provenance') {
    await checkTargets(query, compartment);
    return query;
  }
  if (narrowed) return query;
  const [param, value] = type === 'Patient' ? ['_id', compartment.patientId] : ['subject', compartment.reference];
  return { ...query, [param]: [...(query[param] ?? []), value] };
}

/** Refuses a Provenance `target` (or `target:Type`) naming a stored resource outside the compartment. */
async function checkTargets(query: Query, compartment: Compartment): Promise<void> {
  for (const [key, values] of Object.entries(query)) {
    const m = /^target(?::([A-Z][A-Za-z]+))?$/.exec(key);
    if (!m) continue;
    for (const value of values) {
      for (const alternative of value.split(',')) {
        const target = referenceKey(alternative) ?? (m[1] !== undefined ? referenceKey(`${m[1]}/${alternative}`) : undefined);
        if (target === undefined) throw forbidden(`${named(key, alternative)} must name its target as Type/id in the launch's patient context`);
        const [targetType = '', id = ''] = target.split('/');
        if (targetType === 'Patient' ? id !== compartment.patientId : (await compartment.stored(targetType, id)) !== undefined && !(await compartment.holdsStored(targetType, id))) {
          throw forbidden(outside(named(key, alternative)));
        }
      }
    }
  }
}
