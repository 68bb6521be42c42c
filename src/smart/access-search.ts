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
 *
 * The criteria of a conditional create (`If-None-Exist`, a Bundle entry's `request.ifNoneExist`) are a search
 * too, run by the server across every patient, and its answer (201, 200 with the match, 412 for several)
 * tells what it found; they cannot be narrowed (that would change what the client asked), so in the patient
 * context they must already be confined (`checkCriteria`): a Provenance only by `_tag` (Gradus's own
 * idempotent writes: `_tag=<evaluation-key system>|<hash>`); a CarePlan, ServiceRequest, Observation or Goal
 * by a plain `subject` or `patient` naming only the patient; a Patient, or any other type, never.
 * See: https://hl7.org/fhir/R4/search.html; https://hl7.org/fhir/R4/http.html#ccreate; https://hl7.org/fhir/smart-app-launch/scopes-and-launch-context.html
 */
import { EVALUATION_KEY_SYSTEM } from '../fhir/codes';
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

/**
 * Whether the query names the compartment through a plain parameter of `type`; throws `refuse(key, value)` for
 * any alternative of one that names someone else.
 */
function namesOnlyPatient(type: string, query: Query, compartment: Compartment, refuse: (key: string, alternative: string) => Error): boolean {
  let namesIt = false;
  for (const key of PLAIN[type] ?? []) {
    for (const value of query[key] ?? []) {
      for (const alternative of value.split(',')) if (!namesPatient(alternative, compartment)) throw refuse(key, alternative);
      namesIt = true;
    }
  }
  return namesIt;
}

/** The query to run for a search of `type` confined to the compartment; throws a 403 when it names someone else. */
export async function narrowSearch(type: string, query: Query, compartment: Compartment): Promise<Query> {
  if (!PLAIN[type]) throw forbidden(`${type} is not in a patient's compartment: it cannot be searched in the launch's patient context`);
  const narrowed = namesOnlyPatient(type, query, compartment, (key, alternative) => forbidden(outside(named(key, alternative))));
  if (type === 'Provenance') {
    await checkTargets(query, compartment);
    return query;
  }
  if (narrowed) return query;
  const [param, value] = type === 'Patient' ? ['_id', compartment.patientId] : ['subject', compartment.reference];
  return { ...query, [param]: [...(query[param] ?? []), value] };
}

/** The start of every refusal of a conditional create's criteria. */
const CONFINE = "a conditional create's criteria (If-None-Exist) must be confined to the launch patient";

/**
 * Refuses (403) the criteria of a conditional create of `type` in the patient context unless they are
 * confined to the patient (see the file comment). `criteria` as sent: absent, null or '' is a plain create
 * (as the server takes it); several values (a repeated header) must each pass.
 */
export function checkCriteria(type: string, criteria: unknown, compartment: Compartment): void {
  if (criteria === undefined || criteria === null || criteria === '') return;
  const refuse = (why: string): ReturnType<typeof forbidden> => forbidden(`${CONFINE}: ${why}`);
  if (Array.isArray(criteria)) {
    if (criteria.length === 0) throw refuse('they are empty');
    for (const one of criteria as unknown[]) checkCriteria(type, one, compartment);
    return;
  }
  if (typeof criteria !== 'string') throw refuse('they are not a query string');
  // The server parses `Type?criteria` up to its second "?": what follows one would not be searched at all.
  if (criteria.includes('?')) throw refuse('they must not hold a "?"');
  const query: Query = {};
  for (const [key, value] of new URLSearchParams(criteria)) (query[key] ??= []).push(value);
  const keys = Object.keys(query);
  if (type === 'Provenance') {
    // Only Gradus's own evaluation keys (unguessable hashes): any other tag would test for another patient's records.
    const tags = (query._tag ?? []).flatMap((v) => v.split(','));
    if (keys.length === 0 || keys.some((k) => k !== '_tag') || tags.length === 0 || tags.some((t) => !t.startsWith(`${EVALUATION_KEY_SYSTEM}|`) || t.length === EVALUATION_KEY_SYSTEM.length + 1)) {
      throw refuse(`a Provenance is created conditionally only on _tag=${EVALUATION_KEY_SYSTEM}|<evaluation key>`);
    }
    return;
  }
  if (!SUBJECT_TYPES.has(type)) throw refuse(`a ${type} may not be created conditionally in the launch's patient context`);
  const widening = keys.find((k) => /^_(rev)?include(:|$)/.test(k));
  if (widening !== undefined) throw refuse(`${widening} is not allowed in them`);
  if (!namesOnlyPatient(type, query, compartment, (key, alternative) => refuse(`${key}=${alternative} does not name ${compartment.reference}`))) {
    throw refuse(`they need a subject or patient parameter naming ${compartment.reference}`);
  }
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
