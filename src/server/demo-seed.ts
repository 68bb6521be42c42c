/**
 * The demo patients (fixtures/demo/*.json) as seed data for the embedded server. Each Bundle tells a story
 * up to its `timestamp`; to keep the story true today, every date in it is moved forward by the whole days
 * between that timestamp and the clock (times of day and UTC offsets kept), so `$progress` without `now`
 * sees what the story describes. Birth dates stay as they are.
 */
import type { Bundle, Patient, Practitioner, Resource } from 'fhir/r4';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FhirStore } from './fhir-store';

export const DEMO_DIR = resolve(__dirname, '..', '..', 'fixtures', 'demo');
const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** A FHIR date or dateTime string moved by `days` calendar days; other strings unchanged. */
export function shiftDate(value: string, days: number): string {
  const m = DATE.exec(value);
  if (!m) return value;
  const moved = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + days * DAY_MS);
  return `${moved.toISOString().slice(0, 10)}${m[4] ?? ''}`;
}

/** A copy of `value` with every date and dateTime moved by `days` (keys named birthDate excepted). */
export function shiftDates<T>(value: T, days: number): T {
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string') return key === 'birthDate' ? v : shiftDate(v, days);
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value, '') as T;
}

/**
 * A copy of a demo Bundle whose Observation ids are prefixed with the story (`flare-checkin-1`), and every
 * reference to them rewritten: the demo files each number their logs from 1, and one server holds them all.
 */
export function namespaceObservations(bundle: Bundle, story: string): Bundle {
  const renamed = new Map<string, string>();
  for (const entry of bundle.entry ?? []) {
    const r = entry.resource;
    if (r?.resourceType === 'Observation' && r.id !== undefined) renamed.set(`Observation/${r.id}`, `Observation/${story}-${r.id}`);
  }
  const walk = (v: unknown, key: string): unknown => {
    if (typeof v === 'string' && (key === 'reference' || key === 'fullUrl')) {
      const m = /(Observation\/[A-Za-z0-9\-.]+)$/.exec(v);
      const to = m?.[1] !== undefined ? renamed.get(m[1]) : undefined;
      return to !== undefined && m ? v.slice(0, m.index) + to : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, key));
    if (v !== null && typeof v === 'object') {
      const copy = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
      if (copy.resourceType === 'Observation' && typeof copy.id === 'string') copy.id = `${story}-${copy.id}`;
      return copy;
    }
    return v;
  };
  return walk(bundle, '') as Bundle;
}

export interface DemoPatient {
  /** The story, from the file name (`flare`, `progressing`, ...). */
  story: string;
  planId: string;
  patientId: string;
  /** The patient's name as the pages show it ("Amara Okafor"). */
  name: string;
}

/** The sandbox's clinician (`serve --auth`): the user of EHR launches and the verifier of approved changes. */
export const DEMO_CLINICIAN: Practitioner = {
  resourceType: 'Practitioner',
  id: 'demo-clinician',
  active: true,
  name: [{ use: 'official', family: 'Morgan', given: ['Alex'], prefix: ['Dr'], text: 'Dr Alex Morgan' }],
  qualification: [{ code: { text: 'Physiotherapist' } }],
};

function displayName(patient: Resource): string {
  const name = (patient as Patient).name?.[0];
  return name?.text ?? [...(name?.given ?? []), name?.family].filter((x) => x !== undefined).join(' ');
}

/** Whole days from a Bundle's timestamp to the clock (0 when the timestamp is absent or later). */
export function daysSince(timestamp: string | undefined, clock: Date): number {
  const then = timestamp === undefined ? NaN : Date.parse(timestamp);
  return Number.isNaN(then) ? 0 : Math.max(0, Math.floor((clock.getTime() - then) / DAY_MS));
}

/** Reads the demo Bundles, moves them to the clock (unless `asOfTimestamp`), and stores their resources. */
export async function seedDemo(store: FhirStore, options: { clock: Date; asOfTimestamp?: boolean; dir?: string }): Promise<DemoPatient[]> {
  const dir = options.dir ?? DEMO_DIR;
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  const patients: DemoPatient[] = [];
  for (const file of files) {
    const story = file.replace(/\.json$/, '');
    const original = namespaceObservations(JSON.parse(await readFile(join(dir, file), 'utf8')) as Bundle, story);
    const bundle = options.asOfTimestamp === true ? original : shiftDates(original, daysSince(original.timestamp, options.clock));
    const resources = (bundle.entry ?? []).flatMap((e): Resource[] => (e.resource ? [e.resource] : []));
    await store.seed(resources);
    const plan = resources.find((r) => r.resourceType === 'CarePlan');
    const patient = resources.find((r) => r.resourceType === 'Patient');
    if (plan?.id !== undefined && patient?.id !== undefined) patients.push({ story, planId: plan.id, patientId: patient.id, name: displayName(patient) });
  }
  return patients;
}
